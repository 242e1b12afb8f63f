/**
 * Tensor: float32, row-major, contiguous. `data` is a Float32Array view that native
 * code reads and writes without copying; memory belongs to JS and is garbage
 * collected like any other object (no dispose, no tidy).
 */
import { inspect } from 'node:util';

import { rangeError, shapeError, typeError } from './errors.js';
import { formatTensor } from './format.js';
import { checkShape, formatShape, inferShape, shapeSize } from './shape.js';
import { describe } from './validate.js';

/** Nested arrays of numbers as returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

export class Tensor {
  /** Dimensions, outermost first. Frozen. */
  readonly shape: readonly number[];
  /** The elements in row-major order. Shared with views made by `reshape`. */
  readonly data: Float32Array;

  /**
   * Wraps `data` without copying (the tensor and the array share memory).
   * `shape` defaults to `[data.length]` and must hold exactly `data.length` elements.
   */
  constructor(data: Float32Array, shape?: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw typeError('Tensor', `data must be a Float32Array, but received ${describe(data)}`);
    }
    const dims = shape === undefined ? [data.length] : checkShape('Tensor', 'shape', shape);
    const size = shapeSize(dims);
    if (size !== data.length) {
      throw shapeError('Tensor', `shape ${formatShape(dims)} needs ${size} elements, but data has ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze(dims);
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements (PyTorch's `numel()`). */
  numel(): number {
    return this.data.length;
  }

  /** Number of dimensions (PyTorch's `dim()`). */
  dim(): number {
    return this.shape.length;
  }

  /**
   * A view with another shape over the same memory. One dimension may be -1 and
   * is inferred. `t.reshape(2, -1)` and `t.reshape([2, -1])` are the same.
   */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    const dims = (shape.length === 1 && Array.isArray(shape[0]) ? shape[0] : shape) as readonly number[];
    return new Tensor(this.data, inferShape('reshape', dims, this.size));
  }

  /** Same as reshape: every Tensor is contiguous, so every view is legal. */
  view(...shape: number[] | [readonly number[]]): Tensor {
    return this.reshape(...shape);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw rangeError(
        'item',
        `only a tensor with one element can be converted to a number, but this one has shape ${formatShape(this.shape)} (${this.size} elements)`,
      );
    }
    return this.data[0]!;
  }

  /** Nested arrays of numbers (a plain number for a 0-d tensor). */
  toArray(): NestedArray {
    const { data, shape } = this;
    if (shape.length === 0) return data[0]!;
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[dim]!;
      const inner = stride / (n || 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === shape.length - 1 ? data[offset + i]! : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** A copy with its own memory. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  toString(): string {
    return formatTensor(this.data, this.shape);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/** The tensor itself, or a TypeError naming the op and argument. */
export function expectTensor(op: string, name: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw typeError(op, `${name} must be a Tensor, but received ${describe(value)}`);
  return value;
}
