/** Modules that only change shape: Identity, Flatten, Unflatten. */
import { rangeError, shapeError, typeError } from '../errors.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { describe, expectInteger, readOptions } from '../validate.js';
import { Module } from './module.js';

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

function normDim(op: string, dim: number, ndim: number): number {
  expectInteger(op, 'dim', dim, -Math.max(1, ndim), Math.max(1, ndim) - 1);
  return dim < 0 ? dim + ndim : dim;
}

export interface FlattenOptions {
  /** First dimension to flatten (default 1). */
  startDim?: number;
  /** Last dimension to flatten (default -1). */
  endDim?: number;
}

/** Flattens dimensions startDim..endDim into one: [N, C, H, W] -> [N, C*H*W] by default. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(options?: FlattenOptions) {
    super();
    const o = readOptions('Flatten', options, ['startDim', 'endDim'] as const);
    this.startDim = o.startDim === undefined ? 1 : expectInteger('Flatten', 'options.startDim', o.startDim);
    this.endDim = o.endDim === undefined ? -1 : expectInteger('Flatten', 'options.endDim', o.endDim);
  }

  forward(input: Tensor): Tensor {
    expectTensor('Flatten', 'input', input);
    // a 0-d input counts as 1-d for the dims (PyTorch: startDim 1, the default, is out of range)
    const s = normDim('Flatten', this.startDim, input.ndim);
    const e = normDim('Flatten', this.endDim, input.ndim);
    if (input.ndim === 0) return input.reshape(1);
    if (s > e) throw rangeError('Flatten', `startDim ${this.startDim} comes after endDim ${this.endDim} for shape ${formatShape(input.shape)}`);
    const shape = [...input.shape.slice(0, s), shapeSize(input.shape.slice(s, e + 1)), ...input.shape.slice(e + 1)];
    return input.reshape(shape);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Splits one dimension into a shape: Unflatten(1, [2, 5]) turns [N, 10] into [N, 2, 5]. */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];

  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    this.dim = expectInteger('Unflatten', 'dim', dim);
    if (!Array.isArray(unflattenedSize)) {
      throw typeError('Unflatten', `unflattenedSize must be a non-empty array of integers, but received ${describe(unflattenedSize)}`);
    }
    if (unflattenedSize.length === 0) throw rangeError('Unflatten', 'unflattenedSize must be a non-empty array of integers, but received an empty array');
    unflattenedSize.forEach((d, i) => expectInteger('Unflatten', `unflattenedSize[${i}]`, d, -1));
    if (unflattenedSize.filter((d) => d === -1).length > 1) {
      throw rangeError('Unflatten', `unflattenedSize may contain -1 at most once, but received ${formatShape(unflattenedSize)}`);
    }
    this.unflattenedSize = Object.freeze(unflattenedSize.slice());
  }

  forward(input: Tensor): Tensor {
    expectTensor('Unflatten', 'input', input);
    const d = normDim('Unflatten', this.dim, input.ndim);
    const known = this.unflattenedSize.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
    const sizes = this.unflattenedSize.map((v) => (v === -1 ? input.shape[d]! / known : v));
    if (shapeSize(sizes) !== input.shape[d]) {
      throw shapeError('Unflatten', `cannot unflatten dimension ${d} of size ${input.shape[d]} into ${formatShape(this.unflattenedSize)}`);
    }
    return input.reshape([...input.shape.slice(0, d), ...sizes, ...input.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=${formatShape(this.unflattenedSize)}`;
  }
}
