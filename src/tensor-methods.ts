/**
 * Tensor methods as PyTorch spells them (`x.matmul(w).add(b).relu().sum()`): each is the
 * library function of the same name with the tensor as its first argument, so it has
 * that function's semantics, gradient and errors (which name the function). Installed on
 * Tensor.prototype when the package loads (src/index.ts imports this module); their types
 * merge into the Tensor class through `interface Tensor extends TensorMethods` in
 * tensor.ts, which imports this file's types only, so there is no load-order cycle.
 */
import { Tensor } from './tensor.js';
import { rangeError } from './errors.js';
import { formatShape } from './shape.js';
import { logSoftmax, relu, sigmoid, softmax, tanh } from './nn/activation.js';
import { add, argmax, div, max, mean, mul, neg, sub, sum, type ReductionDimOptions } from './ops/arith.js';
import { abs, clamp, exp, expm1, log, log1p, pow, reciprocal, sqrt, square, type ClampOptions } from './ops/math.js';
import { bmm, matmul, type MatmulOptions } from './ops/matmul.js';
import { argmin, min } from './ops/min.js';
import { chunk, indexSelect, narrow, permute, split, transpose } from './ops/shape-ops.js';
import { flatten, squeeze, unsqueeze } from './ops/squeeze.js';
import { std, variance, type VarianceOptions } from './ops/variance.js';
import { logsumexp, type LogsumexpOptions } from './ops/logsumexp.js';
import { norm, type NormOptions } from './ops/norm.js';
import { broadcastTo, expand } from './ops/expand.js';
import { eq, ge, gt, le, lt, ne } from './ops/compare.js';
import { maskedFill, where } from './ops/where.js';
import { maximum, minimum } from './ops/maximum.js';
import { cumprod, cumsum } from './ops/cumulative.js';
import { gather, scatterAdd, type IndexTensor } from './ops/gather.js';
import { argsort, sort, topk, type SortOptions, type TopkOptions } from './ops/sort.js';

/** The methods every Tensor has once the package is loaded (see the module comment). */
export interface TensorMethods {
  /** this + other, broadcasting (add). */
  add(other: Tensor | number): Tensor;
  /** this - other, broadcasting (sub). */
  sub(other: Tensor | number): Tensor;
  /** this * other elementwise, broadcasting (mul). */
  mul(other: Tensor | number): Tensor;
  /** this / other elementwise, broadcasting (div). */
  div(other: Tensor | number): Tensor;
  /** -this (neg). */
  neg(): Tensor;
  /** this ** exponent elementwise (pow). */
  pow(exponent: number): Tensor;
  abs(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  log1p(): Tensor;
  expm1(): Tensor;
  reciprocal(): Tensor;
  square(): Tensor;
  /** Clamped to [min, max] (clamp; either bound may be left out). */
  clamp(options: ClampOptions): Tensor;
  relu(): Tensor;
  sigmoid(): Tensor;
  tanh(): Tensor;
  /** softmax along dim (nn.functional.softmax; without dim, PyTorch's implicit choice). */
  softmax(dim?: number): Tensor;
  /** log(softmax) along dim (nn.functional.logSoftmax). */
  logSoftmax(dim?: number): Tensor;
  /** Sum over dim (a number or a list), or over everything (sum). */
  sum(dim?: number | readonly number[], options?: ReductionDimOptions): Tensor;
  /** Mean over dim (a number or a list), or over everything (mean). */
  mean(dim?: number | readonly number[], options?: ReductionDimOptions): Tensor;
  /** Maxima along dim with their indices (max). */
  max(dim: number, options?: ReductionDimOptions): { values: Tensor; indices: Int32Array };
  /** Minima along dim with their indices (min). */
  min(dim: number, options?: ReductionDimOptions): { values: Tensor; indices: Int32Array };
  argmax(dim: number): Int32Array;
  argmin(dim: number): Int32Array;
  /** Variance over dim, unbiased by default (var). */
  var(dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor;
  /** Standard deviation over dim, unbiased by default (std). */
  std(dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor;
  /** log(sum(exp)) over dim, computed stably (logsumexp). */
  logsumexp(dim: number | readonly number[], options?: LogsumexpOptions): Tensor;
  /** Vector p-norm over dim or all elements (norm: torch.linalg.vector_norm). */
  norm(options?: NormOptions): Tensor;
  /** Repeated along size-1 and new leading dimensions: `x.expand(3, -1)` or `x.expand([3, -1])` (expand; a copy, not a view). */
  expand(...shape: number[] | [readonly number[]]): Tensor;
  /** expand to a shape x broadcasts to (broadcastTo). */
  broadcastTo(shape: readonly number[]): Tensor;
  /** this == other elementwise as 0/1 floats, broadcasting (eq; no gradient). */
  eq(other: Tensor | number): Tensor;
  /** this != other as 0/1 (ne). */
  ne(other: Tensor | number): Tensor;
  /** this < other as 0/1 (lt). */
  lt(other: Tensor | number): Tensor;
  /** this <= other as 0/1 (le). */
  le(other: Tensor | number): Tensor;
  /** this > other as 0/1 (gt). */
  gt(other: Tensor | number): Tensor;
  /** this >= other as 0/1 (ge). */
  ge(other: Tensor | number): Tensor;
  /** Elementwise larger of this and other, broadcasting (maximum). */
  maximum(other: Tensor | number): Tensor;
  /** Elementwise smaller of this and other, broadcasting (minimum). */
  minimum(other: Tensor | number): Tensor;
  /** This where condition is nonzero, other elsewhere: where(condition, this, other), as PyTorch's x.where(condition, y). */
  where(condition: Tensor, other: Tensor | number): Tensor;
  /** value where mask is nonzero (maskedFill). */
  maskedFill(mask: Tensor, value: number): Tensor;
  /** Running sum along dim (cumsum). */
  cumsum(dim: number): Tensor;
  /** Running product along dim (cumprod). */
  cumprod(dim: number): Tensor;
  /** Sorted along dim with the source indices (sort: stable, NaN largest). */
  sort(options?: SortOptions): { values: Tensor; indices: Int32Array };
  /** The indices that sort along dim (argsort). */
  argsort(options?: SortOptions): Int32Array;
  /** The k largest (or smallest) along dim with their indices (topk). */
  topk(k: number, options?: TopkOptions): { values: Tensor; indices: Int32Array };
  /** Values at index along dim (gather). */
  gather(dim: number, index: Tensor | IndexTensor): Tensor;
  /** A copy with src added at index along dim (scatterAdd: torch.scatter_add, out of place). */
  scatterAdd(dim: number, index: Tensor | IndexTensor, src: Tensor): Tensor;
  /** Matrix product with other (matmul: 1-D, 2-D and batched operands). */
  matmul(other: Tensor, options?: MatmulOptions): Tensor;
  /** Batched product of [B, M, K] and [B, K, N] (bmm). */
  bmm(other: Tensor, options?: MatmulOptions): Tensor;
  /** Swaps two dimensions, by default the last two (transpose). */
  transpose(dim0?: number, dim1?: number): Tensor;
  /** Transpose of a matrix; a 0-d or 1-d tensor comes back as it is (PyTorch's t()). */
  t(): Tensor;
  /** Reorders the dimensions: `x.permute(2, 0, 1)` or `x.permute([2, 0, 1])` (permute). */
  permute(...dims: number[] | [readonly number[]]): Tensor;
  squeeze(dim?: number): Tensor;
  unsqueeze(dim: number): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  narrow(dim: number, start: number, length: number): Tensor;
  split(sizes: number | readonly number[], dim?: number): Tensor[];
  chunk(chunks: number, dim?: number): Tensor[];
  indexSelect(dim: number, index: Tensor | ArrayLike<number>): Tensor;
}

/** `f(2, 3)` and `f([2, 3])` alike, as PyTorch's size arguments. */
function listOrSpread(args: number[] | [readonly number[]]): readonly number[] {
  return (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as readonly number[];
}

/** PyTorch's t(): at most 2 dimensions. */
function matrixTranspose(x: Tensor): Tensor {
  if (x.ndim > 2) {
    throw rangeError('t', `expects a tensor with at most 2 dimensions, but received shape ${formatShape(x.shape)} (${x.ndim}-D); use transpose(dim0, dim1)`);
  }
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

const METHODS: TensorMethods & ThisType<Tensor> = {
  add(other) { return add(this, other); },
  sub(other) { return sub(this, other); },
  mul(other) { return mul(this, other); },
  div(other) { return div(this, other); },
  neg() { return neg(this); },
  pow(exponent) { return pow(this, exponent); },
  abs() { return abs(this); },
  exp() { return exp(this); },
  log() { return log(this); },
  sqrt() { return sqrt(this); },
  log1p() { return log1p(this); },
  expm1() { return expm1(this); },
  reciprocal() { return reciprocal(this); },
  square() { return square(this); },
  clamp(options) { return clamp(this, options); },
  relu() { return relu(this); },
  sigmoid() { return sigmoid(this); },
  tanh() { return tanh(this); },
  softmax(dim) { return softmax(this, dim); },
  logSoftmax(dim) { return logSoftmax(this, dim); },
  sum(dim, options) { return sum(this, dim, options); },
  mean(dim, options) { return mean(this, dim, options); },
  max(dim, options) { return max(this, dim, options); },
  min(dim, options) { return min(this, dim, options); },
  argmax(dim) { return argmax(this, dim); },
  argmin(dim) { return argmin(this, dim); },
  var(dim, options) { return variance(this, dim, options); },
  std(dim, options) { return std(this, dim, options); },
  logsumexp(dim, options) { return logsumexp(this, dim, options); },
  norm(options) { return norm(this, options); },
  expand(...shape) { return expand(this, listOrSpread(shape)); },
  broadcastTo(shape) { return broadcastTo(this, shape); },
  eq(other) { return eq(this, other); },
  ne(other) { return ne(this, other); },
  lt(other) { return lt(this, other); },
  le(other) { return le(this, other); },
  gt(other) { return gt(this, other); },
  ge(other) { return ge(this, other); },
  maximum(other) { return maximum(this, other); },
  minimum(other) { return minimum(this, other); },
  where(condition, other) { return where(condition, this, other); },
  maskedFill(mask, value) { return maskedFill(this, mask, value); },
  cumsum(dim) { return cumsum(this, dim); },
  cumprod(dim) { return cumprod(this, dim); },
  sort(options) { return sort(this, options); },
  argsort(options) { return argsort(this, options); },
  topk(k, options) { return topk(this, k, options); },
  gather(dim, index) { return gather(this, dim, index); },
  scatterAdd(dim, index, src) { return scatterAdd(this, dim, index, src); },
  matmul(other, options) { return matmul(this, other, options); },
  bmm(other, options) { return bmm(this, other, options); },
  transpose(dim0, dim1) { return transpose(this, dim0, dim1); },
  t() { return matrixTranspose(this); },
  permute(...dims) { return permute(this, listOrSpread(dims)); },
  squeeze(dim) { return squeeze(this, dim); },
  unsqueeze(dim) { return unsqueeze(this, dim); },
  flatten(startDim, endDim) { return flatten(this, startDim, endDim); },
  narrow(dim, start, length) { return narrow(this, dim, start, length); },
  split(sizes, dim) { return split(this, sizes, dim); },
  chunk(chunks, dim) { return chunk(this, chunks, dim); },
  indexSelect(dim, index) { return indexSelect(this, dim, index); },
};

/** The method names, in the order installed (for tests and docs). */
export const TENSOR_METHOD_NAMES = Object.freeze(Object.keys(METHODS)) as readonly (keyof TensorMethods)[];

// Non-enumerable, like class methods, so they stay out of for-in and object spreads.
for (const name of TENSOR_METHOD_NAMES) {
  Object.defineProperty(Tensor.prototype, name, { value: METHODS[name], writable: true, configurable: true, enumerable: false });
}
