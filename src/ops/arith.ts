/**
 * Elementwise arithmetic with NumPy/PyTorch broadcasting, and reductions, with
 * gradients. Same-shape, row and column cases go straight to the native kernels;
 * other broadcasts expand the smaller operand first. Gradients of broadcast
 * operands are summed back over the broadcast dimensions.
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape, MAX_ELEMENTS, shapesEqual, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectInteger, readOptions } from '../validate.js';
import * as R from './reduce.js';
import { floats } from '../memory.js';

type Operand = Tensor | number;
type BinaryName = 'add' | 'sub' | 'mul' | 'div';
const NODE: Record<BinaryName, string> = { add: 'AddBackward', sub: 'SubBackward', mul: 'MulBackward', div: 'DivBackward' };

function asTensor(op: string, name: string, v: Operand): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number') return new Tensor(Float32Array.of(v), []);
  throw typeError(op, `${name} must be a Tensor or a number, but received ${describe(v)}`);
}

export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw shapeError(op, `shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  const size = shapeSize(out);
  if (size > MAX_ELEMENTS) {
    throw rangeError(op, `shapes ${formatShape(a)} and ${formatShape(b)} broadcast to ${formatShape(out)}: ${size} elements, more than the ${MAX_ELEMENTS} a tensor can hold`);
  }
  return out;
}

/** Copies `t` broadcast to `shape` (which it must broadcast to). */
export function expandData(t: Tensor, shape: readonly number[]): Float32Array {
  const out = floats(shapeSize(shape));
  const nd = shape.length;
  const src = new Array<number>(nd).fill(1);
  t.shape.forEach((d, i) => (src[nd - t.ndim + i] = d));
  const strides = new Array<number>(nd);
  let acc = 1;
  for (let i = nd - 1; i >= 0; i--) {
    strides[i] = src[i] === 1 ? 0 : acc;
    acc *= src[i]!;
  }
  if (out.length === 0) return out;
  const idx = new Array<number>(nd).fill(0);
  const inner = nd === 0 ? 1 : shape[nd - 1]!;
  const innerStride = nd === 0 ? 0 : strides[nd - 1]!;
  let base = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let j = 0, s = base; j < inner; j++, s += innerStride) out[o + j] = t.data[s]!;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      base += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** Sums `grad` (of `shape`) down to `target`, the shape it was broadcast from. */
export function reduceToShape(grad: Tensor, target: readonly number[]): Tensor {
  if (shapesEqual(grad.shape, target)) return grad;
  let g = grad;
  const lead = g.ndim - target.length;
  for (let i = 0; i < lead; i++) g = R.sumAlong(g, 0);
  for (let i = 0; i < target.length; i++) {
    if (target[i] === 1 && g.shape[i] !== 1) g = R.sumAlong(g, i, { keepdim: true });
  }
  return new Tensor(g.data, target);
}

function binary(name: BinaryName, x: Operand, y: Operand): Tensor {
  const a = asTensor(name, 'a', x);
  const b = asTensor(name, 'b', y);
  const shape = broadcastShapes(name, a.shape, b.shape);
  const aFull = shapesEqual(a.shape, shape) ? a : new Tensor(expandData(a, shape), shape);
  // Same shape, a row [..., C] or a column [..., 1]: the native kernel broadcasts itself.
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const rowLike = b.ndim >= 1 && b.shape[b.ndim - 1] === cols && b.size === cols;
  const colLike = b.ndim === shape.length && b.shape[b.ndim - 1] === 1 && b.shape.slice(0, -1).every((d, i) => d === shape[i]);
  const bUse = shapesEqual(b.shape, shape) || rowLike || colLike ? b : new Tensor(expandData(b, shape), shape);
  return finish(name, a, b, aFull, bUse, R[name](aFull, bUse));
}

function finish(name: BinaryName, a: Tensor, b: Tensor, aUsed: Tensor, bUsed: Tensor, out: Tensor): Tensor {
  // What backward reads, as PyTorch saves it: mul's gradient of one operand reads the
  // other, div's of a reads b and of b reads both; add and sub read nothing.
  const saved: Tensor[] = [];
  if (name === 'mul' || name === 'div') {
    if (b.requiresGrad) saved.push(a);
    if (a.requiresGrad || (name === 'div' && b.requiresGrad)) saved.push(b);
  }
  record(NODE[name], [a, b], [out], ([g]) => {
    const { gradA, gradB } = R.binaryBackward(name, aUsed, bUsed, g!);
    return [a.requiresGrad ? reduceToShape(gradA, a.shape) : null, b.requiresGrad ? reduceToShape(gradB, b.shape) : null];
  }, saved);
  return out;
}

/** a + b with broadcasting (either may be a number). */
export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b);
/** a - b with broadcasting. */
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b);
/** a * b elementwise with broadcasting. */
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b);
/** a / b elementwise with broadcasting. */
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b);

/** -x. */
export function neg(x: Tensor): Tensor {
  expectTensor('neg', 'input', x);
  const out = R.scale(x, -1);
  record('NegBackward', [x], [out], ([g]) => [R.scale(g!, -1)]);
  return out;
}

export interface ReductionDimOptions {
  /** Keep reduced dimensions with size 1 (default false). */
  keepdim?: boolean;
}

/** Normalised, distinct reduction dims in descending order (every dim when `dim` is undefined or []). */
export function dimsOf(op: string, x: Tensor, dim: number | readonly number[] | undefined): number[] {
  const all = (): number[] => x.shape.map((_, i) => i).reverse();
  if (dim === undefined) return all();
  const list = typeof dim === 'number' ? [dim] : Array.isArray(dim) ? dim : null;
  if (list === null) throw typeError(op, `dim must be an integer or an array of integers, but received ${describe(dim)}`);
  // An empty list reduces over every dimension, as in PyTorch 1.13 (torch.sum(x, dim=[]) is the full sum).
  if (list.length === 0) return all();
  const nd = Math.max(1, x.ndim);
  const out = list.map((d, i) => {
    expectInteger(op, typeof dim === 'number' ? 'dim' : `dim[${i}]`, d, -nd, nd - 1);
    return d < 0 ? d + nd : d;
  });
  if (new Set(out).size !== out.length) throw shapeError(op, `dim ${formatShape(list)} repeats a dimension`);
  return out.sort((p, q) => q - p);
}

function reduceSum(op: string, x: Tensor, dim: number | readonly number[] | undefined, options: ReductionDimOptions | undefined, isMean: boolean): Tensor {
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, ['keepdim'] as const);
  const keepdim = o.keepdim === undefined ? false : expectBoolean(op, 'options.keepdim', o.keepdim);
  const dims = dimsOf(op, x, dim);
  let count = 1;
  for (const d of dims) count *= x.ndim === 0 ? 1 : x.shape[d]!;
  let out: Tensor;
  if (dim === undefined && !keepdim) {
    const s = native.sum(x.data);
    out = new Tensor(Float32Array.of(isMean ? s / Math.max(1, x.size) : s), []);
    if (isMean && x.size === 0) out.data[0] = NaN;
  } else {
    let t = x;
    for (const d of dims) t = R.sumAlong(t, d, { keepdim: true });
    // The mean over no elements is 0 / 0 = NaN, as in PyTorch.
    if (isMean) t = count === 0 ? new Tensor(floats(t.size).fill(NaN), t.shape) : R.scale(t, 1 / count);
    const shape = x.ndim === 0 ? [] : x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
    out = new Tensor(t.data, keepdim ? shape : shape.filter((_, i) => !dims.includes(i)));
  }
  const keptShape = x.ndim === 0 ? [] : x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  record(isMean ? 'MeanBackward' : 'SumBackward', [x], [out], ([g]) => {
    const gk = new Tensor(g!.data, keptShape);
    const full = new Tensor(expandData(gk, x.shape), x.shape);
    return [isMean ? R.scale(full, 1 / Math.max(1, count)) : full];
  });
  return out;
}

/** Sum of all elements, or along dim(s). */
export function sum(x: Tensor, dim?: number | readonly number[], options?: ReductionDimOptions): Tensor {
  return reduceSum('sum', x, dim, options, false);
}

/** Mean of all elements, or along dim(s). */
export function mean(x: Tensor, dim?: number | readonly number[], options?: ReductionDimOptions): Tensor {
  return reduceSum('mean', x, dim, options, true);
}

/** Checks max/argmax's (and min/argmin's) arguments with the caller's op name (the native reduction would name itself). */
export function checkMaxArgs(op: string, x: Tensor, dim: number): void {
  expectTensor(op, 'input', x);
  if (dim === undefined) {
    throw typeError(op, 'dim must be an integer, but received undefined (the reduction over all elements is not supported: reduce x.reshape(-1) along 0)');
  }
  const nd = Math.max(1, x.ndim);
  const d = expectInteger(op, 'dim', dim, -nd, nd - 1);
  const k = d < 0 ? d + nd : d;
  if (x.ndim > 0 && x.shape[k] === 0) {
    throw shapeError(op, `expected reduction dim ${k} to have non-zero size, but input has shape ${formatShape(x.shape)}`);
  }
}

/** Maximum along dim with the indices of the maxima (the first one, NaN wins, as PyTorch). */
export function max(x: Tensor, dim: number, options?: ReductionDimOptions): { values: Tensor; indices: Int32Array } {
  checkMaxArgs('max', x, dim);
  const o = readOptions('max', options, ['keepdim'] as const);
  if (o.keepdim !== undefined) expectBoolean('max', 'options.keepdim', o.keepdim);
  const { values, indices } = R.maxAlong(x, dim, options);
  record('MaxBackward', [x], [values], ([g]) => [R.maxAlongBackward(x, dim, g!, indices)]);
  return { values, indices };
}

/** Indices of the maxima along dim. */
export function argmax(x: Tensor, dim: number): Int32Array {
  checkMaxArgs('argmax', x, dim);
  return R.argmax(x, dim);
}
