/**
 * Tensor: float32, row-major, contiguous. `data` is a Float32Array view that native
 * code reads and writes without copying; memory belongs to JS and is garbage
 * collected like any other object (no dispose, no tidy).
 */
import { keepBuffer } from './memory.js';
import { inspect } from 'node:util';

import { type BackwardOptions, record, backward as runBackward } from './autograd/engine.js';
import type { Node } from './autograd/node.js';
import { rangeError, shapeError, stateError, typeError } from './errors.js';
import { formatTensor } from './format.js';
import { checkShape, formatShape, inferShape, MAX_ELEMENTS, shapesEqual, shapeSize } from './shape.js';
import { describe } from './validate.js';
import type { TensorMethods } from './tensor-methods.js';

/**
 * Version counters, one per data array: views made by reshape/detach share the array
 * and so the counter, as PyTorch's views share theirs.
 */
const versions = new WeakMap<Float32Array, number>();

/** Nested arrays of numbers as returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/**
 * The PyTorch-style methods (`x.matmul(w).relu().sum()`), installed by src/tensor-methods.ts
 * when the package loads; declared here so they are part of the Tensor type.
 */
export interface Tensor extends TensorMethods {}

export class Tensor {
  /** Dimensions, outermost first. Frozen. */
  readonly shape: readonly number[];
  /** The elements in row-major order. Shared with views made by `reshape`. */
  readonly data: Float32Array;

  #requiresGrad = false;
  #grad: Tensor | null = null;
  #gradFn: Node | null = null;
  #outputIndex = 0;
  #retainsGrad = false;

  /**
   * Wraps `data` without copying (the tensor and the array share memory).
   * `shape` defaults to `[data.length]` and must hold exactly `data.length` elements.
   */
  constructor(data: Float32Array, shape?: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw typeError('Tensor', `data must be a Float32Array, but received ${describe(data)}`);
    }
    const dims = shape === undefined ? [data.length] : checkExtent('Tensor', 'shape', checkShape('Tensor', 'shape', shape));
    const size = shapeSize(dims);
    if (size !== data.length) {
      throw shapeError('Tensor', `shape ${formatShape(dims)} needs ${size} elements, but data has ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze(dims);
  }

  /**
   * Whether gradients flow to this tensor: set on leaves (parameters, inputs);
   * always true for results of ops recorded in the graph.
   */
  get requiresGrad(): boolean {
    return this.#requiresGrad || this.#gradFn !== null;
  }

  set requiresGrad(flag: boolean) {
    if (typeof flag !== 'boolean') throw typeError('requiresGrad', `must be a boolean, but received ${describe(flag)}`);
    if (this.#gradFn !== null) {
      if (flag) return;
      throw stateError(
        'requiresGrad',
        'only leaf tensors can change requiresGrad; use t.detach() for a tensor outside the graph',
      );
    }
    this.#requiresGrad = flag;
  }

  /** Sets requiresGrad in place and returns this tensor (PyTorch's requires_grad_). */
  requiresGrad_(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** Accumulated gradient of a leaf after backward (or of a tensor that called retainGrad()). */
  get grad(): Tensor | null {
    return this.#grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null) {
      if (!(value instanceof Tensor)) throw typeError('grad', `must be a Tensor or null, but received ${describe(value)}`);
      if (!shapesEqual(value.shape, this.shape)) {
        throw shapeError('grad', `assigned gradient has shape ${formatShape(value.shape)} but the tensor has shape ${formatShape(this.shape)}`);
      }
      keepBuffer(value.data);
    }
    this.#grad = value;
  }

  /** The graph node that made this tensor; null for leaves. */
  get gradFn(): Node | null {
    return this.#gradFn;
  }

  /** Which output of its gradFn this tensor is. */
  get outputIndex(): number {
    return this.#outputIndex;
  }

  /** True for tensors not made by a recorded op (parameters, inputs, detached tensors). */
  get isLeaf(): boolean {
    return this.#gradFn === null;
  }

  /** Keep `.grad` on this non-leaf tensor after backward (PyTorch's retain_grad). */
  retainGrad(): this {
    if (!this.requiresGrad) throw stateError('retainGrad', 'called on a tensor that does not require grad');
    this.#retainsGrad = true;
    return this;
  }

  get retainsGrad(): boolean {
    return this.#retainsGrad;
  }

  /**
   * How many times library in-place ops (optimizer steps, ops.reduce.fill/copy/axpy)
   * have changed this tensor's data, as PyTorch's `_version`. Direct writes to
   * `data` are not counted (like writes through PyTorch's `.data`).
   */
  get _version(): number {
    return versions.get(this.data) ?? 0;
  }

  /** @internal Marks the data as changed in place: backward refuses graphs that saved it before. */
  _bumpVersion(): void {
    versions.set(this.data, (versions.get(this.data) ?? 0) + 1);
  }

  /** @internal Called by the autograd recorder on op outputs. */
  _attachGradFn(node: Node, outputIndex: number): void {
    this.#gradFn = node;
    this.#outputIndex = outputIndex;
  }

  /** A tensor sharing this one's memory, outside the graph (no gradFn, no requiresGrad). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /**
   * Computes the gradient of this tensor with respect to every leaf that requires
   * grad, accumulating into their `.grad`. `grad` defaults to 1 for a
   * one-element tensor.
   */
  backward(grad?: Tensor | null, options?: BackwardOptions): void {
    runBackward([this], grad === undefined || grad === null ? [] : [grad], options);
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
    const out = new Tensor(this.data, checkExtent('reshape', 'shape', inferShape('reshape', dims, this.size)));
    const inputShape = this.shape;
    record('ViewBackward', [this], [out], ([g]) => [new Tensor(g!.data, inputShape)]);
    return out;
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
    const out = new Tensor(this.data.slice(), this.shape);
    record('CloneBackward', [this], [out], ([g]) => [g!]);
    return out;
  }

  toString(): string {
    const suffixes: string[] = [];
    if (this.#gradFn !== null) suffixes.push(`gradFn=<${this.#gradFn.name}>`);
    else if (this.#requiresGrad) suffixes.push('requiresGrad=true');
    return formatTensor(this.data, this.shape, suffixes);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * `shape` itself when its non-zero dimensions multiply to at most MAX_ELEMENTS; a
 * RangeError otherwise. An empty tensor of shape [0, 1e300] holds nothing, but a sum
 * over its first dimension, a slice or a broadcast of it would ask for 1e300 elements.
 */
export function checkExtent(op: string, name: string, shape: number[]): number[] {
  let extent = 1;
  for (const d of shape) if (d !== 0) extent *= d;
  if (extent > MAX_ELEMENTS) {
    throw rangeError(
      op,
      `${name} ${formatShape(shape)} has dimensions that multiply to ${extent} (leaving out the zeros), more than the ${MAX_ELEMENTS} elements a tensor can hold`,
    );
  }
  return shape;
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/** The tensor itself, or a TypeError naming the op and argument. */
export function expectTensor(op: string, name: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw typeError(op, `${name} must be a Tensor, but received ${describe(value)}`);
  return value;
}
