/** Datasets: indexable collections of samples, as torch.utils.data.Dataset. */
import { rangeError, shapeError, typeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { describe, expectInteger } from '../validate.js';
import { collateSamples, type Sample } from './collate.js';

/**
 * A map-style dataset: `length` samples, each a tuple of fields (Tensors, typed
 * arrays of numbers or numbers; see stackSamples for how DataLoader batches them).
 */
export interface Dataset<S extends Sample = Sample> {
  readonly length: number;
  /** Sample i, one value per field (for a TensorDataset: each tensor's row i). */
  get(index: number): S;
  /**
   * Optional fast path: samples `indices` stacked along a new first dimension,
   * one tensor per field. DataLoader uses it when present.
   */
  getBatch?(indices: ArrayLike<number>): Tensor[];
}

/**
 * Copies rows `indices` of `t` (viewed as [N, ...]) into a new [indices.length, ...] tensor,
 * or into `out`, in one native call. An Int32Array goes to native code as it is (which
 * checks its range); any other list of numbers is checked and converted here.
 */
export function gatherRows(t: Tensor, indices: ArrayLike<number>, out?: Float32Array): Tensor {
  const n = t.shape[0]!;
  const row = n === 0 ? 0 : t.size / n;
  const data = out ?? new Float32Array(indices.length * row);
  if (data.length !== indices.length * row) throw rangeError('gatherRows', `out has ${data.length} elements, need ${indices.length * row}`);
  native.gatherRows(t.data, 1, n, row, rowIndices(indices, n), data);
  return new Tensor(data, [indices.length, ...t.shape.slice(1)]);
}

/** `indices` as an Int32Array, with the binding's message for an index outside [0, rows). */
function rowIndices(indices: ArrayLike<number>, rows: number): Int32Array {
  if (indices instanceof Int32Array) return indices;
  const ids = new Int32Array(indices.length);
  for (let i = 0; i < ids.length; i++) {
    const v = indices[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < rows)) throw rangeError('gatherRows', `indices[${i}] must be an integer in [0, ${rows}), but received ${v}`);
    ids[i] = v;
  }
  return ids;
}

/** Samples are rows of the given tensors, which share their first dimension. */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw rangeError('TensorDataset', 'needs at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw typeError('TensorDataset', `tensors[${i}] must be a Tensor, but received ${describe(t)}`);
      if (t.ndim === 0) throw shapeError('TensorDataset', `tensors[${i}] is 0-d; each tensor needs a first (sample) dimension`);
      if (t.shape[0] !== tensors[0]!.shape[0]) {
        throw shapeError('TensorDataset', `tensors[${i}] has shape ${formatShape(t.shape)} but tensors[0] has ${tensors[0]!.shape[0]} samples`);
      }
    });
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  get(index: number): Tensor[] {
    expectInteger('TensorDataset.get', 'index', index, 0, this.length - 1);
    return this.tensors.map((t) => {
      const g = gatherRows(t, [index]);
      return g.reshape(t.shape.slice(1));
    });
  }

  getBatch(indices: ArrayLike<number>): Tensor[] {
    return this.tensors.map((t) => gatherRows(t, indices));
  }
}

/** The samples of `dataset` at `indices` (integers in [0, dataset.length)), in that order. */
export class Subset<S extends Sample = Sample> implements Dataset<S> {
  readonly dataset: Dataset<S>;
  readonly indices: Int32Array;

  constructor(dataset: Dataset<S>, indices: ArrayLike<number>) {
    this.dataset = dataset;
    const n = indices.length;
    this.indices = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = indices[i]!;
      if (!Number.isInteger(v)) throw rangeError('Subset', `indices[${i}] must be an integer, but received ${v}`);
      if (v < 0 || v >= dataset.length) throw rangeError('Subset', `indices[${i}] = ${v} is out of range for a dataset of ${dataset.length}`);
      this.indices[i] = v;
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): S {
    expectInteger('Subset.get', 'index', index, 0, this.length - 1);
    return this.dataset.get(this.indices[index]!);
  }

  getBatch(indices: ArrayLike<number>): Tensor[] {
    const mapped = Int32Array.from(indices as ArrayLike<number>, (i) => {
      if (!(i >= 0 && i < this.indices.length)) throw rangeError('Subset.getBatch', `index ${i} is out of range for a subset of ${this.indices.length}`);
      return this.indices[i]!;
    });
    if (this.dataset.getBatch) return this.dataset.getBatch(mapped);
    return collateSamples(Array.from(mapped, (i) => this.dataset.get(i)), mapped);
  }
}

/**
 * The default collate, as torch.utils.data.default_collate: one tensor per sample
 * position, stacked along a new first dimension. Tensors of one shape S give
 * [batch, ...S]; typed arrays of one length L give [batch, L]; numbers give [batch]
 * (class indices for CrossEntropyLoss, like a TensorDataset's targets). Values
 * become float32. A sample that is not an array, or positions whose kind, shape or
 * length differ between samples, are errors naming the sample and the position.
 */
export function stackSamples(samples: readonly Sample[]): Tensor[] {
  return collateSamples(samples);
}
