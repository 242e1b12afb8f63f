/** y = x W^T + b over the last dimension of x, as torch.nn.functional.linear, on sgemm. */
import { leafGradSink, needsGrad, record } from '../autograd/engine.js';
import { shapeError, stateError } from '../errors.js';
import { native } from '../native.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { floats, floatsForOverwrite } from '../memory.js';

const onesCache = new Map<number, Float32Array>();

/** A cached row of ones: db = 1^T dY as a GEMM. */
export function ones(n: number): Float32Array {
  let v = onesCache.get(n);
  if (!v) {
    v = new Float32Array(n).fill(1);
    if (onesCache.size > 64) onesCache.clear();
    onesCache.set(n, v);
  }
  return v;
}

// Weights that freeze() snapshotted: never written again, so the GEMM keeps their
// packing (one per kernel config) instead of packing them on every call.
const packCaches = new WeakMap<Tensor, object>();

/** Marks `weight` (a frozen model's own copy, never written again) for packing once. */
export function keepPackedWeight(weight: Tensor): void {
  if (!packCaches.has(weight)) packCaches.set(weight, {});
}

/**
 * input [..., in], weight [out, in] (PyTorch's layout), bias [out] or null.
 * Returns [..., out].
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return linearWithActivation(input, weight, bias, 0);
}

/**
 * linear followed by relu in one GEMM (the activation applied while each output
 * tile is in registers). Only without gradients: the fused form saves nothing for a
 * backward. activation: 0 none, 1 relu.
 */
export function linearRelu(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  if (needsGrad(input, weight, bias)) {
    throw stateError('linearRelu', 'the fused form records no gradient; use linear and relu when gradients are needed');
  }
  return linearWithActivation(input, weight, bias, 1);
}

/**
 * GELU(input W^T + b) as one GEMM with GELU in its epilogue (the same bits as linear
 * then gelu); inference only, like linearRelu.
 */
export function linearGelu(input: Tensor, weight: Tensor, bias: Tensor | null, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (needsGrad(input, weight, bias)) {
    throw stateError('linearGelu', 'the fused form records no gradient; use linear and gelu when gradients are needed');
  }
  return linearWithActivation(input, weight, bias, approximate === 'tanh' ? 3 : 2);
}

function linearWithActivation(input: Tensor, weight: Tensor, bias: Tensor | null, activation: number): Tensor {
  const op = 'linear';
  expectTensor(op, 'input', input);
  expectTensor(op, 'weight', weight);
  if (bias !== null) expectTensor(op, 'bias', bias);
  if (weight.ndim !== 2) throw shapeError(op, `weight must be 2-D [out, in], but has shape ${formatShape(weight.shape)}`);
  const [outF, inF] = weight.shape as [number, number];
  if (input.ndim < 1 || input.shape[input.ndim - 1] !== inF) {
    throw shapeError(op, `input has shape ${formatShape(input.shape)} but weight has shape ${formatShape(weight.shape)}: the last dimension of input must be ${inF}`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw shapeError(op, `bias has shape ${formatShape(bias.shape)} but weight has ${outF} output features`);
  }
  const rows = shapeSize(input.shape.slice(0, -1));
  const out = floatsForOverwrite(rows * outF);
  // The bias is added in the GEMM's epilogue, while each tile of the output is in registers.
  // (One row is a matrix-vector product, which reads the weights in place: no packing to keep.)
  const packCache = rows > 1 ? packCaches.get(weight) : undefined;
  native.sgemmEx(false, true, rows, outF, inF, 1, input.data, Math.max(1, inF), weight.data, Math.max(1, inF), 0, out, Math.max(1, outF), bias ? bias.data : null, activation, packCache);
  const result = new Tensor(out, [...input.shape.slice(0, -1), outF]);
  const inputs = bias === null ? [input, weight] : [input, weight, bias];
  if (activation !== 0) return result;
  record('LinearBackward', inputs, [result], ([g]) => {
    const dy = g!.data;
    const grads: (Tensor | null)[] = [null, null, null];
    if (input.requiresGrad) {
      const dx = floatsForOverwrite(input.size);
      native.sgemm(false, false, rows, inF, outF, 1, dy, Math.max(1, outF), weight.data, Math.max(1, inF), 0, dx, Math.max(1, inF));
      grads[0] = new Tensor(dx, input.shape);
    }
    if (weight.requiresGrad) {
      // dW = dY^T X, accumulated straight into a parameter's .grad when it is one.
      const sink = leafGradSink(weight);
      const dw = sink ?? floatsForOverwrite(weight.size);
      native.sgemm(true, false, outF, inF, rows, 1, dy, Math.max(1, outF), input.data, Math.max(1, inF), sink ? 1 : 0, dw, Math.max(1, inF));
      grads[1] = sink ? null : new Tensor(dw, weight.shape);
    }
    if (bias !== null && bias.requiresGrad) {
      const sink = leafGradSink(bias);
      const db = sink ?? floatsForOverwrite(outF);
      native.sgemm(false, false, 1, outF, rows, 1, ones(rows), Math.max(1, rows), dy, Math.max(1, outF), sink ? 1 : 0, db, Math.max(1, outF));
      grads[2] = sink ? null : new Tensor(db, bias.shape);
    }
    return grads.slice(0, inputs.length);
  }, [input, weight]);
  return result;
}
