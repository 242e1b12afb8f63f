/**
 * y = x1^T W_o x2 + b_o for every output o over the last dimension of x1 and x2, as
 * torch.nn.functional.bilinear: weight [out, in1, in2], bias [out], any leading
 * (batch) dimensions shared by both inputs.
 *
 * The row-wise outer products P = x1 (x) x2 [rows, in1*in2] turn the contraction into
 * one GEMM against the weight viewed as [out, in1*in2] (bias in its epilogue); backward
 * is one GEMM for dW = dY^T P and one for dP = dY W. Only building P and contracting dP
 * back onto x1 and x2 are loops here: O(rows*in1*in2), 1/out of the GEMM's work.
 */
import { leafGradSink, record } from '../autograd/engine.js';
import { shapeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { ones } from './linear.js';
import { floats } from '../memory.js';

/** input1 [..., in1], input2 [..., in2], weight [out, in1, in2], bias [out] or null; returns [..., out]. */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const op = 'bilinear';
  expectTensor(op, 'input1', input1);
  expectTensor(op, 'input2', input2);
  expectTensor(op, 'weight', weight);
  if (bias !== null && bias !== undefined) expectTensor(op, 'bias', bias);
  else bias = null;
  if (weight.ndim !== 3) throw shapeError(op, `weight must be 3-D [out, in1, in2], but has shape ${formatShape(weight.shape)}`);
  const [outF, in1, in2] = weight.shape as [number, number, number];
  if (input1.ndim < 1) throw shapeError(op, `input1 must have at least 1 dimension, but is 0-d`);
  if (input1.ndim !== input2.ndim) {
    throw shapeError(op, `input1 and input2 must have the same number of dimensions, but have shapes ${formatShape(input1.shape)} and ${formatShape(input2.shape)}`);
  }
  const nd = input1.ndim;
  for (let d = 0; d < nd - 1; d++) {
    if (input1.shape[d] !== input2.shape[d]) {
      throw shapeError(op, `input1 and input2 must have the same batch dimensions, but have shapes ${formatShape(input1.shape)} and ${formatShape(input2.shape)} (dimension ${d} differs)`);
    }
  }
  if (input1.shape[nd - 1] !== in1) {
    throw shapeError(op, `input1 has shape ${formatShape(input1.shape)} but weight has shape ${formatShape(weight.shape)}: the last dimension of input1 must be ${in1}`);
  }
  if (input2.shape[nd - 1] !== in2) {
    throw shapeError(op, `input2 has shape ${formatShape(input2.shape)} but weight has shape ${formatShape(weight.shape)}: the last dimension of input2 must be ${in2}`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw shapeError(op, `bias must have shape [${outF}] (weight has ${outF} output features), but has shape ${formatShape(bias.shape)}`);
  }

  const rows = shapeSize(input1.shape.slice(0, -1));
  const K = in1 * in2;
  const x1 = input1.data;
  const x2 = input2.data;
  const P = floats(rows * K);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < in1; i++) {
      const a = x1[r * in1 + i]!;
      const o = r * K + i * in2;
      for (let j = 0; j < in2; j++) P[o + j] = a * x2[r * in2 + j]!;
    }
  }
  const out = floats(rows * outF);
  native.sgemmEx(false, true, rows, outF, K, 1, P, Math.max(1, K), weight.data, Math.max(1, K), 0, out, Math.max(1, outF), bias ? bias.data : null, 0);
  const result = new Tensor(out, [...input1.shape.slice(0, -1), outF]);
  const inputs = bias === null ? [input1, input2, weight] : [input1, input2, weight, bias];

  record('BilinearBackward', inputs, [result], ([g]) => {
    const dy = g!.data;
    const grads: (Tensor | null)[] = [null, null, null, null];
    if (input1.requiresGrad || input2.requiresGrad) {
      const dP = floats(rows * K);
      native.sgemm(false, false, rows, K, outF, 1, dy, Math.max(1, outF), weight.data, Math.max(1, K), 0, dP, Math.max(1, K));
      const dx1 = input1.requiresGrad ? floats(input1.size) : null;
      const dx2 = input2.requiresGrad ? floats(input2.size) : null;
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < in1; i++) {
          const o = r * K + i * in2;
          const a = x1[r * in1 + i]!;
          let acc = 0;
          for (let j = 0; j < in2; j++) {
            const d = dP[o + j]!;
            acc += d * x2[r * in2 + j]!;
            if (dx2) dx2[r * in2 + j]! += d * a;
          }
          if (dx1) dx1[r * in1 + i] = acc;
        }
      }
      grads[0] = dx1 ? new Tensor(dx1, input1.shape) : null;
      grads[1] = dx2 ? new Tensor(dx2, input2.shape) : null;
    }
    if (weight.requiresGrad) {
      // dW = dY^T P, accumulated straight into a parameter's .grad when it is one.
      const sink = leafGradSink(weight);
      const dw = sink ?? floats(weight.size);
      native.sgemm(true, false, outF, K, rows, 1, dy, Math.max(1, outF), P, Math.max(1, K), sink ? 1 : 0, dw, Math.max(1, K));
      grads[2] = sink ? null : new Tensor(dw, weight.shape);
    }
    if (bias !== null && bias.requiresGrad) {
      const sink = leafGradSink(bias);
      const db = sink ?? floats(outF);
      native.sgemm(false, false, 1, outF, rows, 1, ones(rows), Math.max(1, rows), dy, Math.max(1, outF), sink ? 1 : 0, db, Math.max(1, outF));
      grads[3] = sink ? null : new Tensor(db, bias.shape);
    }
    return grads.slice(0, inputs.length);
  }, [input1, input2, weight]);
  return result;
}
