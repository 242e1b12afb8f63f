/**
 * Data-movement ops with gradients: transpose/permute, cat/stack, split/chunk,
 * narrow, indexSelect. Each is one graph node whose backward moves the gradient
 * back the same way.
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { formatShape, MAX_ELEMENTS, shapesEqual, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectInteger } from '../validate.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';

function normDim(op: string, dim: number, ndim: number, name = 'dim'): number {
  const n = Math.max(ndim, 1);
  expectInteger(op, name, dim, -n, n - 1);
  return dim < 0 ? dim + n : dim;
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** out[j] = src[index of j under `dims`]: a general permutation copy. */
function permuteData(src: Float32Array, shape: readonly number[], dims: readonly number[]): Float32Array {
  const out = floats(src.length);
  const inStrides = stridesOf(shape);
  const outShape = dims.map((d) => shape[d]!);
  const srcStrideOfOut = dims.map((d) => inStrides[d]!);
  const nd = outShape.length;
  if (nd === 0 || src.length === 0) {
    out.set(src);
    return out;
  }
  const counter = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const innerN = outShape[last]!;
  const innerStride = srcStrideOfOut[last]!;
  let srcBase = 0;
  for (let o = 0; o < out.length; o += innerN) {
    for (let i = 0, s = srcBase; i < innerN; i++, s += innerStride) out[o + i] = src[s]!;
    for (let d = last - 1; d >= 0; d--) {
      counter[d]!++;
      srcBase += srcStrideOfOut[d]!;
      if (counter[d]! < outShape[d]!) break;
      srcBase -= srcStrideOfOut[d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
  return out;
}

/** Reorders dimensions: permute(x, [0, 2, 1]) swaps the last two of a 3-D tensor. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const op = 'permute';
  expectTensor(op, 'input', x);
  if (!Array.isArray(dims)) throw typeError(op, `dims must be an array of integers, but received ${describe(dims)}`);
  if (dims.length !== x.ndim) {
    throw shapeError(op, `dims must list each of the ${x.ndim} dimensions once, but received ${describe(dims)}`);
  }
  const norm = dims.map((d, i) => normDim(op, d, x.ndim, `dims[${i}]`));
  if (new Set(norm).size !== norm.length) throw shapeError(op, `dims ${formatShape(dims)} repeats a dimension`);
  const out = new Tensor(permuteData(x.data, x.shape, norm), norm.map((d) => x.shape[d]!));
  const inverse = new Array<number>(norm.length);
  norm.forEach((d, i) => (inverse[d] = i));
  record('PermuteBackward', [x], [out], ([g]) => [new Tensor(permuteData(g!.data, g!.shape, inverse), x.shape)]);
  return out;
}

/** Swaps two dimensions (default the last two: a matrix transpose). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  expectTensor('transpose', 'input', x);
  const a = normDim('transpose', dim0, x.ndim, 'dim0');
  const b = normDim('transpose', dim1, x.ndim, 'dim1');
  if (x.ndim < 2) return x;
  const dims = Array.from({ length: x.ndim }, (_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims);
}

/** [outer, dim, inner] view sizes of a shape around `dim`. */
function around(shape: readonly number[], dim: number): [number, number, number] {
  return [shapeSize(shape.slice(0, dim)), shape[dim]!, shapeSize(shape.slice(dim + 1))];
}

/** PyTorch 1.13's legacy rule: 1-D empty tensors ([0]) are skipped by cat whatever the other shapes. */
const isLegacyEmpty = (t: Tensor): boolean => t.ndim === 1 && t.size === 0;

/** Concatenates tensors along an existing dimension. Tensors of shape [0] are skipped, as in PyTorch. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  const op = 'cat';
  if (!Array.isArray(tensors) || tensors.length === 0) throw typeError(op, `tensors must be a non-empty array of Tensors, but received ${describe(tensors)}`);
  tensors.forEach((t, i) => expectTensor(op, `tensors[${i}]`, t));
  const refIndex = Math.max(0, tensors.findIndex((t) => !isLegacyEmpty(t)));
  const first = tensors[refIndex]!;
  tensors.forEach((t, i) => {
    if (t.ndim === 0) throw shapeError(op, `zero-dimensional tensors cannot be concatenated, but tensors[${i}] has shape []`);
  });
  const d = normDim(op, dim, first.ndim);
  tensors.forEach((t, i) => {
    if (isLegacyEmpty(t)) return;
    const same = t.ndim === first.ndim && t.shape.every((s: number, j: number) => j === d || s === first.shape[j]);
    if (!same) {
      throw shapeError(op, `tensors[${i}] has shape ${formatShape(t.shape)} but tensors[${refIndex}] has ${formatShape(first.shape)} (they may differ only in dimension ${d})`);
    }
  });
  const parts = tensors.filter((t) => t === first || !isLegacyEmpty(t));
  const total = parts.reduce((a, t) => a + t.shape[d]!, 0);
  const [outer, , inner] = around(first.shape, d);
  const outShape = first.shape.slice();
  outShape[d] = total;
  const outSize = outer * total * inner;
  if (outSize > MAX_ELEMENTS) throw rangeError(op, `the result ${formatShape(outShape)} has ${outSize} elements, more than the ${MAX_ELEMENTS} a tensor can hold`);
  const out = floats(outSize);
  let offset = 0;
  for (const t of parts) {
    const rowLen = t.shape[d]! * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * rowLen, (o + 1) * rowLen), o * total * inner + offset * inner);
    offset += t.shape[d]!;
  }
  const result = new Tensor(out, outShape);
  record('CatBackward', tensors, [result], ([g]) => {
    let off = 0;
    return tensors.map((t) => {
      if (t !== first && isLegacyEmpty(t)) return new Tensor(floats(0), t.shape);
      const piece = slicePlain(g!.data, outer, total, inner, off, t.shape[d]!);
      off += t.shape[d]!;
      return new Tensor(piece, t.shape);
    });
  });
  return result;
}

/** Stacks same-shaped tensors along a new dimension. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  const op = 'stack';
  if (!Array.isArray(tensors) || tensors.length === 0) throw typeError(op, `tensors must be a non-empty array of Tensors, but received ${describe(tensors)}`);
  tensors.forEach((t, i) => {
    expectTensor(op, `tensors[${i}]`, t);
    if (!shapesEqual(t.shape, tensors[0]!.shape)) {
      throw shapeError(op, `tensors[${i}] has shape ${formatShape(t.shape)} but tensors[0] has ${formatShape(tensors[0]!.shape)}`);
    }
  });
  const ndim = tensors[0]!.ndim + 1;
  expectInteger(op, 'dim', dim, -ndim, ndim - 1);
  const d = dim < 0 ? dim + ndim : dim;
  const expanded = tensors.map((t) => t.reshape([...t.shape.slice(0, d), 1, ...t.shape.slice(d)]));
  return cat(expanded, d);
}

function slicePlain(src: Float32Array, outer: number, size: number, inner: number, start: number, length: number): Float32Array {
  const out = floats(outer * length * inner);
  for (let o = 0; o < outer; o++) {
    const from = (o * size + start) * inner;
    out.set(src.subarray(from, from + length * inner), o * length * inner);
  }
  return out;
}

/** Elements start..start+length-1 along dim (a copy). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const op = 'narrow';
  expectTensor(op, 'input', x);
  noScalar(op, x);
  const d = normDim(op, dim, x.ndim);
  const [outer, size, inner] = around(x.shape, d);
  // A negative start counts from the end, as in PyTorch.
  expectInteger(op, 'start', start, -size, size);
  if (start < 0) start += size;
  expectInteger(op, 'length', length, 0, size - start);
  const shape = x.shape.slice();
  shape[d] = length;
  const out = new Tensor(slicePlain(x.data, outer, size, inner, start, length), shape);
  record('NarrowBackward', [x], [out], ([g]) => {
    const dx = floats(x.size);
    for (let o = 0; o < outer; o++) dx.set(g!.data.subarray(o * length * inner, (o + 1) * length * inner), (o * size + start) * inner);
    return [new Tensor(dx, x.shape)];
  });
  return out;
}

/** narrow, split and chunk need a dimension to cut along, as in PyTorch. */
function noScalar(op: string, x: Tensor): void {
  if (x.ndim === 0) throw shapeError(op, 'expected a tensor with at least 1 dimension, but input has shape [] (0-d)');
}

/** Splits into pieces of `sizes` (an array) or of `size` each (the last may be smaller) along dim. */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  const op = 'split';
  expectTensor(op, 'input', x);
  noScalar(op, x);
  const d = normDim(op, dim, x.ndim);
  const total = x.shape[d]!;
  let parts: number[];
  if (typeof sizes === 'number') {
    const s = expectInteger(op, 'splitSize', sizes, 1);
    parts = [];
    for (let i = 0; i < total; i += s) parts.push(Math.min(s, total - i));
    if (parts.length === 0) parts.push(0);
  } else {
    if (!Array.isArray(sizes)) throw typeError(op, `sizes must be a number or an array, but received ${describe(sizes)}`);
    parts = sizes.map((s, i) => expectInteger(op, `sizes[${i}]`, s, 0));
    const sum = parts.reduce((a, b) => a + b, 0);
    if (sum !== total) throw shapeError(op, `sizes ${formatShape(parts)} sum to ${sum} but dimension ${d} has ${total}`);
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const p of parts) {
    out.push(narrow(x, d, start, p));
    start += p;
  }
  return out;
}

/** Splits into `chunks` nearly equal pieces along dim (as torch.chunk). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  expectTensor('chunk', 'input', x);
  noScalar('chunk', x);
  expectInteger('chunk', 'chunks', chunks, 1);
  const d = normDim('chunk', dim, x.ndim);
  // An empty dimension gives `chunks` empty pieces, as in PyTorch.
  if (x.shape[d] === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.ceil(x.shape[d]! / chunks), d);
}

/** Rows (or slices along dim) picked by integer indices; gradients scatter-add back. */
export function indexSelect(x: Tensor, dim: number, index: Tensor | ArrayLike<number>): Tensor {
  const op = 'indexSelect';
  expectTensor(op, 'input', x);
  const d = normDim(op, dim, x.ndim);
  const idx = index instanceof Tensor ? index.data : index;
  if (idx === null || typeof idx !== 'object' || typeof idx.length !== 'number') {
    throw typeError(op, `index must be a Tensor or an array of integers, but received ${describe(index)}`);
  }
  // A 0-d input is one element along its only index.
  const [outer, size, inner] = around(x.ndim === 0 ? [1] : x.shape, d);
  const n = idx.length;
  // Always a copy: the backward reads it after the caller may have reused `index`.
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = idx[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= size) throw rangeError(op, `index[${i}] = ${v} is out of range for dimension ${d} of size ${size}`);
    ids[i] = v;
  }
  const out = floatsForOverwrite(outer * n * inner);
  native.gatherRows(x.data, outer, size, inner, ids, out);
  const shape = x.shape.slice();
  shape[d] = n;
  const result = new Tensor(out, shape);
  record('IndexSelectBackward', [x], [result], ([g]) => {
    // Zeroed: repeated indices accumulate, unselected entries stay 0.
    const dx = floats(x.size);
    native.scatterAddRows(g!.data, outer, size, inner, ids, -1, dx);
    return [new Tensor(dx, x.shape)];
  });
  return result;
}
