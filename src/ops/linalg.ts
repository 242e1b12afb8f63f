/** linalg: the full GEMM over Tensors, with the fused bias + activation epilogue. */
import { needsGrad, record } from '../autograd/engine.js';
import { rangeError, shapeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, readOptions } from '../validate.js';
import { productDims } from './matmul.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { activation as applyActivation, activationBackward, type ActivationName } from './activation.js';
import { columnSums, scale } from './reduce.js';

/**
 * Activations the GEMM epilogue applies while the tile is in registers. 'gelu' and
 * 'gelu_tanh' are PyTorch's GELU with approximate 'none' (erf form) and 'tanh'
 * (nn.functional.gelu's `approximate` option), with the same bits as nn.functional.gelu
 * applied to the product.
 */
export type GemmActivation = 'none' | 'relu' | 'gelu' | 'gelu_tanh';

/** Native codes of GemmActivation (native/include/axonal/kernels/gemm_kernels.h). */
const ACTIVATION_CODES: Record<GemmActivation, number> = { none: 0, relu: 1, gelu: 2, gelu_tanh: 3 };

/** The activation ops with the same bits as each epilogue (null: none). */
const ACTIVATION_OPS: readonly (ActivationName | null)[] = [null, 'relu', 'gelu', 'geluTanh'];

export interface GemmOptions {
  /** Scales op(a) op(b). Default 1. */
  alpha?: number;
  /** Scales c. Default 0 when c is absent, 1 when given. With beta 0, c is ignored (NaN in c does not propagate). */
  beta?: number;
  /** Added (times beta) to the product: shape [M, N]. Not modified. */
  c?: Tensor;
  /** Use a's transpose: a is stored [K, M]. Default false. */
  transA?: boolean;
  /** Use b's transpose: b is stored [N, K] (PyTorch's Linear weight layout). Default false. */
  transB?: boolean;
  /** Per-column bias, shape [N], added to every row. */
  bias?: Tensor;
  /** Activation applied last: 'none' (default), 'relu', 'gelu' (erf form) or 'gelu_tanh' (tanh approximation). */
  activation?: GemmActivation;
}

const GEMM_OPTIONS = ['alpha', 'beta', 'c', 'transA', 'transB', 'bias', 'activation'] as const;

/**
 * act(alpha * op(a) op(b) + beta * c + bias) as a new [M, N] tensor, in one native call
 * (bias and activation fused into the kernel's epilogue). a and b are 2-D.
 *
 * Differentiable in a, b, c and bias (torch.addmm's gradients, then the activation's):
 * when one of them requires grad, the product is kept before the activation, which
 * then runs as its own op with the same bits as the fused epilogue.
 */
export function gemm(a: Tensor, b: Tensor, options?: GemmOptions): Tensor {
  const op = 'linalg.gemm';
  expectTensor(op, 'a', a);
  expectTensor(op, 'b', b);
  const opts = readOptions(op, options, GEMM_OPTIONS);
  const transA = opts.transA === undefined ? false : expectBoolean(op, 'options.transA', opts.transA);
  const transB = opts.transB === undefined ? false : expectBoolean(op, 'options.transB', opts.transB);
  const alpha = opts.alpha === undefined ? 1 : expectFinite(op, 'options.alpha', opts.alpha);
  const c = opts.c === undefined ? undefined : expectTensor(op, 'options.c', opts.c);
  const beta = opts.beta === undefined ? (c ? 1 : 0) : expectFinite(op, 'options.beta', opts.beta);
  const bias = opts.bias === undefined ? undefined : expectTensor(op, 'options.bias', opts.bias);
  let activation = 0;
  if (opts.activation !== undefined) {
    const code = typeof opts.activation === 'string' ? ACTIVATION_CODES[opts.activation as GemmActivation] : undefined;
    if (code === undefined || !Object.hasOwn(ACTIVATION_CODES, opts.activation as string)) {
      throw rangeError(op, `options.activation must be one of ${Object.keys(ACTIVATION_CODES).map((s) => `"${s}"`).join(', ')}, but received ${describe(opts.activation)}`);
    }
    activation = code;
  }
  for (const [name, t] of [['a', a], ['b', b]] as const) {
    if (t.ndim !== 2) throw shapeError(op, `${name} must be 2-D, but has shape ${formatShape(t.shape)}`);
  }
  const aRows = a.shape[0]!, aCols = a.shape[1]!, bRows = b.shape[0]!, bCols = b.shape[1]!;
  const { m, n, k } = productDims(op, aRows, aCols, transA, b.shape, bRows, bCols, transB);
  if (beta !== 0 && !c) throw rangeError(op, `options.beta is ${beta} but no options.c was given`);
  const out = floats(m * n);
  if (c) {
    if (c.ndim !== 2 || c.shape[0] !== m || c.shape[1] !== n) {
      throw shapeError(op, `options.c must have shape [${m}, ${n}] (the product's), but has shape ${formatShape(c.shape)}`);
    }
    if (beta !== 0) out.set(c.data);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== n)) {
    throw shapeError(op, `options.bias must have shape [${n}] (one value per column), but has shape ${formatShape(bias.shape)}`);
  }
  const lda = Math.max(1, aCols);
  const ldb = Math.max(1, bCols);
  const grad = needsGrad(a, b, c, bias);
  const act = ACTIVATION_OPS[activation]!;
  // With a gradient to record, the epilogue stops before the activation: its input is saved.
  native.sgemmEx(transA, transB, m, n, k, alpha, a.data, lda, b.data, ldb, beta, out, Math.max(1, n), bias ? bias.data : null, grad ? 0 : activation);
  const z = new Tensor(out, [m, n]);
  if (!grad) return z;
  const result = act === null ? z : applyActivation(act, z);
  const inputs = [a, b, ...(c ? [c] : []), ...(bias ? [bias] : [])];
  record('GemmBackward', inputs, [result], ([g]) => {
    const dz = act === null ? g! : activationBackward(act, z, g!);
    const ldz = Math.max(1, n);
    const grads: (Tensor | null)[] = [null, null];
    if (a.requiresGrad) {
      // d op(A) = alpha dZ op(B)^T, stored back in A's layout (matmul's backward, scaled).
      const d = floatsForOverwrite(a.size);
      if (!transA) native.sgemm(false, !transB, m, k, n, alpha, dz.data, ldz, b.data, ldb, 0, d, lda);
      else native.sgemm(transB, true, k, m, n, alpha, b.data, ldb, dz.data, ldz, 0, d, lda);
      grads[0] = new Tensor(d, a.shape);
    }
    if (b.requiresGrad) {
      // d op(B) = alpha op(A)^T dZ, stored back in B's layout.
      const d = floatsForOverwrite(b.size);
      if (!transB) native.sgemm(!transA, false, k, n, m, alpha, a.data, lda, dz.data, ldz, 0, d, ldb);
      else native.sgemm(true, transA, n, k, m, alpha, dz.data, ldz, a.data, lda, 0, d, ldb);
      grads[1] = new Tensor(d, b.shape);
    }
    if (c) grads.push(c.requiresGrad ? scale(dz, beta).reshape(c.shape) : null);
    if (bias) grads.push(bias.requiresGrad ? columnSums(dz) : null);
    return grads;
  }, [a, b]);
  return result;
}
