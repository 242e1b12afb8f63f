/** linalg: the full GEMM over Tensors, with the fused bias + activation epilogue. */
import { rangeError, shapeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, readOptions } from '../validate.js';
import { productDims } from './matmul.js';
import { floats } from '../memory.js';

/**
 * Activations the GEMM epilogue applies while the tile is in registers. 'gelu' and
 * 'gelu_tanh' are PyTorch's GELU with approximate 'none' (erf form) and 'tanh'
 * (nn.functional.gelu's `approximate` option), with the same bits as nn.functional.gelu
 * applied to the product.
 */
export type GemmActivation = 'none' | 'relu' | 'gelu' | 'gelu_tanh';

/** Native codes of GemmActivation (native/include/axonal/kernels/gemm_kernels.h). */
const ACTIVATION_CODES: Record<GemmActivation, number> = { none: 0, relu: 1, gelu: 2, gelu_tanh: 3 };

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
  native.sgemmEx(
    transA, transB, m, n, k, alpha, a.data, Math.max(1, aCols), b.data, Math.max(1, bCols),
    beta, out, Math.max(1, n), bias ? bias.data : null, activation,
  );
  return new Tensor(out, [m, n]);
}
