/** Pooling modules: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool2d (PyTorch 1.13 semantics). */
import {
  type AdaptiveSize, type AvgPoolOptions, type MaxPoolOptions, adaptiveAvgPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d, readTuple,
} from '../ops/conv.js';
import { typeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectInteger, readOptions } from '../validate.js';
import { Module } from './module.js';

export type MaxPool2dOptions = MaxPoolOptions;
export type MaxPool1dOptions = MaxPoolOptions;
export type AvgPool2dOptions = AvgPoolOptions;
export type AvgPool1dOptions = Omit<AvgPoolOptions, 'divisorOverride'>;

const fmt = (v: number | readonly number[]): string => (typeof v === 'number' ? `${v}` : `(${v.join(', ')})`);

/** Validates a size option now (so a bad module fails at construction) and keeps it as given. */
function size(op: string, name: string, v: unknown, dims: number, min: number): number | readonly number[] {
  const t = readTuple(op, name, v, dims, min);
  return typeof v === 'number' ? t[0]! : Object.freeze(t);
}

abstract class MaxPoolNd extends Module {
  readonly kernelSize: number | readonly number[];
  readonly stride: number | readonly number[];
  readonly padding: number | readonly number[];
  readonly dilation: number | readonly number[];
  readonly ceilMode: boolean;

  protected constructor(op: string, dims: number, kernelSize: number | readonly number[], options: unknown) {
    super();
    this.kernelSize = size(op, 'kernelSize', kernelSize, dims, 1);
    const o = readOptions(op, options, ['stride', 'padding', 'dilation', 'ceilMode'] as const);
    this.stride = o.stride === undefined || o.stride === null ? this.kernelSize : size(op, 'options.stride', o.stride, dims, 1);
    this.padding = o.padding === undefined ? 0 : size(op, 'options.padding', o.padding, dims, 0);
    this.dilation = o.dilation === undefined ? 1 : size(op, 'options.dilation', o.dilation, dims, 1);
    this.ceilMode = o.ceilMode === undefined ? false : expectBoolean(op, 'options.ceilMode', o.ceilMode);
  }

  protected poolOptions(): MaxPoolOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }

  override extraRepr(): string {
    return `kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}, dilation=${fmt(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/** nn.MaxPool2d over [N, C, H, W] (or [C, H, W]). */
export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: number | readonly number[], options?: MaxPool2dOptions) {
    super('MaxPool2d', 2, kernelSize, options);
  }
  forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.poolOptions());
  }
}

/** nn.MaxPool1d over [N, C, L] (or [C, L]). */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: number | readonly number[], options?: MaxPool1dOptions) {
    super('MaxPool1d', 1, kernelSize, options);
  }
  forward(input: Tensor): Tensor {
    return maxPool1d(input, this.kernelSize, this.poolOptions());
  }
}

abstract class AvgPoolNd extends Module {
  readonly kernelSize: number | readonly number[];
  readonly stride: number | readonly number[];
  readonly padding: number | readonly number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  protected constructor(op: string, dims: number, kernelSize: number | readonly number[], options: unknown) {
    super();
    this.kernelSize = size(op, 'kernelSize', kernelSize, dims, 1);
    const keys = dims === 2 ? (['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const) : (['stride', 'padding', 'ceilMode', 'countIncludePad'] as const);
    const o = readOptions(op, options, keys) as Partial<Record<'stride' | 'padding' | 'ceilMode' | 'countIncludePad' | 'divisorOverride', unknown>>;
    this.stride = o.stride === undefined || o.stride === null ? this.kernelSize : size(op, 'options.stride', o.stride, dims, 1);
    this.padding = o.padding === undefined ? 0 : size(op, 'options.padding', o.padding, dims, 0);
    this.ceilMode = o.ceilMode === undefined ? false : expectBoolean(op, 'options.ceilMode', o.ceilMode);
    this.countIncludePad = o.countIncludePad === undefined ? true : expectBoolean(op, 'options.countIncludePad', o.countIncludePad);
    this.divisorOverride =
      o.divisorOverride === undefined || o.divisorOverride === null ? null : expectInteger(op, 'options.divisorOverride', o.divisorOverride, 1, 2 ** 31 - 1);
  }

  override extraRepr(): string {
    return `kernelSize=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}, padding=${fmt(this.padding)}`;
  }
}

/** nn.AvgPool2d over [N, C, H, W] (or [C, H, W]). */
export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: number | readonly number[], options?: AvgPool2dOptions) {
    super('AvgPool2d', 2, kernelSize, options);
  }
  forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }
}

/** nn.AvgPool1d over [N, C, L] (or [C, L]). */
export class AvgPool1d extends AvgPoolNd {
  constructor(kernelSize: number | readonly number[], options?: AvgPool1dOptions) {
    super('AvgPool1d', 1, kernelSize, options);
  }
  forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
}

/** nn.AdaptiveAvgPool2d: outputSize is a number or [h, w] (null keeps the input size). */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: AdaptiveSize;

  constructor(outputSize: AdaptiveSize) {
    super();
    const op = 'AdaptiveAvgPool2d';
    if (typeof outputSize === 'number') this.outputSize = expectInteger(op, 'outputSize', outputSize, 0);
    else if (Array.isArray(outputSize) && outputSize.length === 2) {
      this.outputSize = Object.freeze(outputSize.map((v: unknown, i) => (v === null ? null : expectInteger(op, `outputSize[${i}]`, v, 0))));
    } else throw typeError(op, `outputSize must be an integer or an array of 2 integers (or nulls), but received ${describe(outputSize)}`);
  }

  forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  override extraRepr(): string {
    const s = this.outputSize;
    return `outputSize=${typeof s === 'number' ? s : `(${s.map((v) => (v === null ? 'None' : v)).join(', ')})`}`;
  }
}
