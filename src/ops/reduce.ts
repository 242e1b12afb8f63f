/**
 * Broadcast arithmetic and reductions over Tensors: thin wrappers on the native reduce
 * family (native/binding/reduce_binding.cpp). Operands are viewed as [rows, cols] with
 * cols the last dimension; reductions view their input as [outer, axis, inner].
 */
import { shapeError, typeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { floats } from '../memory.js';

export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div';
const OPS: Record<BinaryOpName, number> = { add: 0, sub: 1, mul: 2, div: 3 };
const enum Bc {
  None = 0,
  Row = 1,
  Column = 2,
}

function rowsCols(t: Tensor): [number, number] {
  if (t.ndim === 0) return [1, 1];
  const cols = t.shape[t.ndim - 1]!;
  return [cols === 0 ? shapeSize(t.shape.slice(0, -1)) : t.size / cols, cols];
}

/** How b broadcasts against a: same shape, a row of a's last dimension, or a column (last dimension 1). */
function broadcastOf(op: string, a: Tensor, b: Tensor): Bc {
  const same = a.ndim === b.ndim && a.shape.every((d, i) => d === b.shape[i]);
  if (same) return Bc.None;
  const [rows, cols] = rowsCols(a);
  const isRow = (b.ndim === 1 || b.shape.slice(0, -1).every((d) => d === 1)) && b.ndim >= 1 && b.shape[b.ndim - 1] === cols;
  if (isRow && b.size === cols) return Bc.Row;
  const isColumn = b.ndim === a.ndim && b.shape[b.ndim - 1] === 1 && b.shape.slice(0, -1).every((d, i) => d === a.shape[i]);
  if (isColumn && b.size === rows) return Bc.Column;
  throw shapeError(
    op,
    `b of shape ${formatShape(b.shape)} does not broadcast against a of shape ${formatShape(a.shape)} ` +
      `(expected the same shape, a row [${cols}], or a column with last dimension 1)`,
  );
}

function binary(op: BinaryOpName, a: Tensor, b: Tensor): Tensor {
  expectTensor(op, 'a', a);
  expectTensor(op, 'b', b);
  const bc = broadcastOf(op, a, b);
  const [rows, cols] = rowsCols(a);
  const out = floats(a.size);
  const ld = Math.max(1, cols);
  native.binaryOp(OPS[op], bc, rows, cols, a.data, ld, b.data, ld, out, ld);
  return new Tensor(out, a.shape);
}

/** a + b, with b the same shape as a, a row over a's last dimension, or a column (last dimension 1). */
export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b);
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);
export const div = (a: Tensor, b: Tensor): Tensor => binary('div', a, b);

/** x + bias with bias [cols] added to every row (PyTorch's Linear bias). */
export function biasAdd(x: Tensor, bias: Tensor): Tensor {
  expectTensor('biasAdd', 'bias', bias);
  if (bias.ndim !== 1) throw shapeError('biasAdd', `bias must be 1-D, but has shape ${formatShape(bias.shape)}`);
  return binary('add', x, bias);
}

/** Gradients of `op(a, b)` given the output gradient: gradB has b's (broadcast) shape. */
export function binaryBackward(op: BinaryOpName, a: Tensor, b: Tensor, grad: Tensor): { gradA: Tensor; gradB: Tensor } {
  const name = `${op}Backward`;
  if (typeof op !== 'string' || !Object.hasOwn(OPS, op)) throw typeError(name, `op must be 'add', 'sub', 'mul' or 'div', but received ${describe(op)}`);
  expectTensor(name, 'a', a);
  expectTensor(name, 'b', b);
  expectTensor(name, 'grad', grad);
  const bc = broadcastOf(name, a, b);
  if (grad.size !== a.size) throw shapeError(name, `grad has shape ${formatShape(grad.shape)} but a has ${formatShape(a.shape)}`);
  const [rows, cols] = rowsCols(a);
  const gradA = floats(a.size);
  const gradB = floats(b.size);
  native.binaryBackward(OPS[op], bc, rows, cols, a.data, b.data, grad.data, gradA, gradB);
  return { gradA: new Tensor(gradA, a.shape), gradB: new Tensor(gradB, b.shape) };
}

/** Sums of each column of a [rows, cols] tensor (bias gradients). */
export function columnSums(x: Tensor): Tensor {
  expectTensor('columnSums', 'x', x);
  const [rows, cols] = rowsCols(x);
  const out = floats(cols);
  native.sumAxis(1, rows, cols, x.data, out, false);
  return new Tensor(out, [cols]);
}

/** alpha * x as a new tensor. */
export function scale(x: Tensor, alpha: number): Tensor {
  expectTensor('scale', 'x', x);
  const out = floats(x.size);
  native.scale(expectFinite('scale', 'alpha', alpha), x.data, out);
  return new Tensor(out, x.shape);
}

/** y += alpha * x, in place; returns y. */
export function axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
  expectTensor('axpy', 'x', x);
  expectTensor('axpy', 'y', y);
  native.axpy(expectFinite('axpy', 'alpha', alpha), x.data, y.data);
  y._bumpVersion();
  return y;
}

/** Sets every element of t to value, in place; returns t. */
export function fill(t: Tensor, value: number): Tensor {
  expectTensor('fill', 't', t);
  native.fill(t.data, expectFinite('fill', 'value', value));
  t._bumpVersion();
  return t;
}

/** Copies src into dst (same number of elements); returns dst. */
export function copy(src: Tensor, dst: Tensor): Tensor {
  expectTensor('copy', 'src', src);
  expectTensor('copy', 'dst', dst);
  native.copy(src.data, dst.data);
  dst._bumpVersion();
  return dst;
}

/** Sum of all elements (accumulated in double; the same for any thread count). */
export function sum(x: Tensor): number {
  expectTensor('sum', 'x', x);
  return native.sum(x.data);
}

/** Mean of all elements (NaN for an empty tensor, as PyTorch). */
export function mean(x: Tensor): number {
  expectTensor('mean', 'x', x);
  return native.sum(x.data) / x.size;
}

/** Squared L2 norm of all elements. */
export function sumSquares(x: Tensor): number {
  expectTensor('sumSquares', 'x', x);
  return native.sumSquares(x.data);
}

export interface ReduceOptions {
  /** Keep the reduced dimension with size 1. Default false. */
  keepdim?: boolean;
}
const REDUCE_OPTIONS = ['keepdim'] as const;

function axisDims(op: string, x: Tensor, dim: number): { outer: number; axis: number; inner: number; dim: number } {
  const nd = Math.max(1, x.ndim);
  const d = expectInteger(op, 'dim', dim, -nd, nd - 1);
  const k = d < 0 ? d + nd : d;
  const shape = x.ndim === 0 ? [1] : x.shape;
  return {
    outer: shapeSize(shape.slice(0, k)),
    axis: shape[k]!,
    inner: shapeSize(shape.slice(k + 1)),
    dim: k,
  };
}

function reducedShape(x: Tensor, dim: number, keepdim: boolean): number[] {
  const shape = x.ndim === 0 ? [1] : [...x.shape];
  if (keepdim) shape[dim] = 1;
  else shape.splice(dim, 1);
  return x.ndim === 0 ? [] : shape;
}

function reduceAlong(op: string, x: Tensor, dim: number, options: ReduceOptions | undefined, isMean: boolean): Tensor {
  expectTensor(op, 'x', x);
  const keepdim = readOptions(op, options, REDUCE_OPTIONS).keepdim;
  const keep = keepdim === undefined ? false : expectBoolean(op, 'options.keepdim', keepdim);
  const d = axisDims(op, x, dim);
  const out = floats(d.outer * d.inner);
  native.sumAxis(d.outer, d.axis, d.inner, x.data, out, isMean);
  return new Tensor(out, reducedShape(x, d.dim, keep));
}

/** Sum along one dimension (negative counts from the end). */
export const sumAlong = (x: Tensor, dim: number, options?: ReduceOptions): Tensor => reduceAlong('sumAlong', x, dim, options, false);
/** Mean along one dimension. */
export const meanAlong = (x: Tensor, dim: number, options?: ReduceOptions): Tensor => reduceAlong('meanAlong', x, dim, options, true);

/** Gradient of sumAlong/meanAlong: the output gradient repeated along `dim` (divided by its size for the mean). */
export function sumAlongBackward(x: Tensor, dim: number, grad: Tensor, isMean = false): Tensor {
  const op = 'sumAlongBackward';
  expectTensor(op, 'x', x);
  expectTensor(op, 'grad', grad);
  const d = axisDims(op, x, dim);
  if (grad.size !== d.outer * d.inner) throw shapeError(op, `grad has ${grad.size} elements, expected ${d.outer * d.inner}`);
  const gx = floats(x.size);
  native.sumAxisBackward(d.outer, d.axis, d.inner, grad.data, gx, expectBoolean(op, 'isMean', isMean));
  return new Tensor(gx, x.shape);
}

/** Max along one dimension and the index of its first occurrence (a NaN wins, as in PyTorch). */
export function maxAlong(x: Tensor, dim: number, options?: ReduceOptions): { values: Tensor; indices: Int32Array } {
  const op = 'maxAlong';
  expectTensor(op, 'x', x);
  const keepdim = readOptions(op, options, REDUCE_OPTIONS).keepdim;
  const keep = keepdim === undefined ? false : expectBoolean(op, 'options.keepdim', keepdim);
  const d = axisDims(op, x, dim);
  if (d.axis === 0) throw shapeError(op, `cannot take the max over dimension ${d.dim} of size 0 (shape ${formatShape(x.shape)})`);
  const values = floats(d.outer * d.inner);
  const indices = new Int32Array(d.outer * d.inner);
  native.maxAxis(d.outer, d.axis, d.inner, x.data, values, indices);
  return { values: new Tensor(values, reducedShape(x, d.dim, keep)), indices };
}

/** Indices of the maxima along `dim`. */
export function argmax(x: Tensor, dim: number): Int32Array {
  return maxAlong(x, dim).indices;
}

/** Gradient of maxAlong: grad routed to the argmax positions, zero elsewhere. */
export function maxAlongBackward(x: Tensor, dim: number, grad: Tensor, indices: Int32Array): Tensor {
  const op = 'maxAlongBackward';
  expectTensor(op, 'x', x);
  expectTensor(op, 'grad', grad);
  const d = axisDims(op, x, dim);
  const gx = floats(x.size);
  native.maxAxisBackward(d.outer, d.axis, d.inner, grad.data, indices, gx);
  return new Tensor(gx, x.shape);
}
