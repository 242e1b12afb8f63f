/**
 * gather and scatterAdd along a dimension (torch.gather, torch.scatter_add out of
 * place) with gradients, as PyTorch 1.13, over the native kernels of
 * native/core/gather_dim.cpp.
 *
 * The index is a Tensor of integral floats or an IndexTensor ({ data: Int32Array,
 * shape }); it has as many dimensions as the input (a 0-d tensor counts as 1-d, as in
 * PyTorch) and, outside `dim`, no larger extents. Every index is checked before
 * anything runs: a non-integer or one outside [0, size of dim) is a RangeError naming
 * its position.
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { axisViewOf, normalizeDim } from './axis-view.js';
import { embedBox, narrowBox } from './box.js';

/** Integer indices with a shape, as an index argument of gather and scatterAdd. */
export interface IndexTensor {
  /** The indices, row-major; data.length is the product of shape. */
  data: Int32Array;
  /** The index's shape. */
  shape: readonly number[];
}

interface Index {
  /** The caller's values (integral floats or int32), not yet range-checked. */
  values: ArrayLike<number>;
  shape: number[];
}

/** "[1, 2]" for flat position i of `shape` ("[]" for 0-d). */
function position(i: number, shape: readonly number[]): string {
  const at = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    at[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return `[${at.join(', ')}]`;
}

/** The index's values and shape; a Tensor's must be integers. */
function readIndex(op: string, index: unknown): Index {
  if (index instanceof Tensor) {
    const values = index.data;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v)) throw rangeError(op, `index${position(i, index.shape)} must be an integer, but received ${v}`);
    }
    return { values, shape: [...index.shape] };
  }
  const o = index as Partial<IndexTensor> | null;
  if (o === null || typeof o !== 'object' || !(o.data instanceof Int32Array) || !Array.isArray(o.shape)) {
    throw typeError(op, `index must be a Tensor or an IndexTensor ({ data: Int32Array, shape }), but received ${describe(index)}`);
  }
  const shape = o.shape as unknown[];
  if (!shape.every((s) => Number.isInteger(s) && (s as number) >= 0)) {
    throw typeError(op, `index.shape must be an array of non-negative integers, but received [${shape.join(', ')}]`);
  }
  const n = shapeSize(shape as number[]);
  if (o.data.length !== n) {
    throw shapeError(op, `index.data must have ${n} elements (index.shape ${formatShape(shape as number[])}), but has ${o.data.length}`);
  }
  return { values: o.data, shape: [...(shape as number[])] };
}

/** The shape as the kernels see it: a 0-d tensor is one element along its only dim. */
const asOneD = (shape: readonly number[]): number[] => (shape.length === 0 ? [1] : [...shape]);

/** Checks index's rank and extents against a tensor named `name` (`all`: every dim, else all but dim). */
function checkExtents(op: string, idx: number[], name: string, shape: number[], dim: number, all: boolean): void {
  if (idx.length !== shape.length) {
    throw shapeError(op, `index must have as many dimensions as ${name} (${shape.length}), but has shape ${formatShape(idx)}`);
  }
  for (let d = 0; d < idx.length; d++) {
    if ((all || d !== dim) && idx[d]! > shape[d]!) {
      const where = all ? 'in every dimension' : `outside dimension ${dim}`;
      throw shapeError(op, `index of shape ${formatShape(idx)} must be no larger than ${name} ${formatShape(shape)} ${where} (dimension ${d}: ${idx[d]} > ${shape[d]})`);
    }
  }
}

/** The index as int32 after checking every value against [0, size) (a copy: backward reads it later). */
function checkRange(op: string, index: Index, dim: number, size: number): Int32Array {
  const { values } = index;
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= size) {
      throw rangeError(op, `index${position(i, index.shape)} = ${v} is out of range for dimension ${dim} of input with size ${size} (expected [0, ${size}))`);
    }
    ids[i] = v;
  }
  return ids;
}

/** g scatter-added into zeros of `shape` (data shape) along dim at `index` (of box shape). */
function scatterInto(shape: number[], dim: number, ids: Int32Array, box: number[], g: Float32Array, target: Float32Array): void {
  const v = axisViewOf(box, dim);
  const n = box[dim]!;
  const fullBox = [...box];
  fullBox[dim] = shape[dim]!;
  const same = fullBox.every((s, d) => s === shape[d]);
  const part = same ? target : narrowBox(target, shape, fullBox);
  native.scatterAddDim(g, v.outer, shape[dim]!, v.inner, n, ids, part);
  if (!same) embedBox(target, shape, part, fullBox);
}

/** src gathered along dim at `index` (of box shape); src has `shape`. */
function gatherFrom(src: Float32Array, shape: number[], dim: number, ids: Int32Array, box: number[]): Float32Array {
  const v = axisViewOf(box, dim);
  const n = box[dim]!;
  const fullBox = [...box];
  fullBox[dim] = shape[dim]!;
  const same = fullBox.every((s, d) => s === shape[d]);
  const part = same ? src : narrowBox(src, shape, fullBox);
  const out = floatsForOverwrite(shapeSize(box));
  native.gatherDim(part, v.outer, shape[dim]!, v.inner, n, ids, out);
  return out;
}

/**
 * out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (torch.gather(x, dim, index)): the
 * result has index's shape. The gradient of x scatter-adds the upstream gradient back
 * to the gathered positions (repeated indices accumulate).
 */
export function gather(x: Tensor, dim: number, index: Tensor | IndexTensor): Tensor {
  const op = 'gather';
  expectTensor(op, 'input', x);
  const d = normalizeDim(op, 'dim', dim, x.ndim);
  const idx = readIndex(op, index);
  const xs = asOneD(x.shape);
  const box = asOneD(idx.shape);
  checkExtents(op, box, 'input', xs, d, false);
  const ids = checkRange(op, idx, d, xs[d]!);
  const result = new Tensor(gatherFrom(x.data, xs, d, ids, box), idx.shape);
  record('GatherBackward', [x], [result], ([g]) => {
    const gx = floats(x.size);
    scatterInto(xs, d, ids, box, g!.data, gx);
    return [new Tensor(gx, x.shape)];
  });
  return result;
}

/**
 * x with src added at index along dim (torch.scatter_add(x, dim, index, src), out of
 * place): for dim = 1, out[i][index[i][j][k]][k] += src[i][j][k] for every position of
 * index; src may be larger than index (its corner is used), x may be larger outside
 * dim. Repeated indices accumulate in index order. Gradients: x's is the upstream
 * gradient, src's is the upstream gradient gathered at index (0 outside index's extent).
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor | IndexTensor, src: Tensor): Tensor {
  const op = 'scatterAdd';
  expectTensor(op, 'input', x);
  const d = normalizeDim(op, 'dim', dim, x.ndim);
  const idx = readIndex(op, index);
  expectTensor(op, 'src', src);
  const xs = asOneD(x.shape);
  const ss = asOneD(src.shape);
  const box = asOneD(idx.shape);
  checkExtents(op, box, 'input', xs, d, false);
  checkExtents(op, box, 'src', ss, d, true);
  const ids = checkRange(op, idx, d, xs[d]!);
  const same = box.every((s, i) => s === ss[i]);
  const part = same ? src.data : narrowBox(src.data, ss, box);
  const out = x.data.slice();
  scatterInto(xs, d, ids, box, part, out);
  const result = new Tensor(out, x.shape);
  record('ScatterAddBackward', [x, src], [result], ([g]) => {
    let gs: Tensor | null = null;
    if (src.requiresGrad) {
      const picked = gatherFrom(g!.data, xs, d, ids, box);
      let data = picked;
      if (!same) {
        data = floats(src.size);
        embedBox(data, ss, picked, box);
      }
      gs = new Tensor(data, src.shape);
    }
    return [x.requiresGrad ? new Tensor(g!.data.slice(), x.shape) : null, gs];
  });
  return result;
}
