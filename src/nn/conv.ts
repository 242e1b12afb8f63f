/**
 * Convolution modules: Conv1d, Conv2d, ConvTranspose2d with PyTorch 1.13's layouts
 * (conv weight [outC, inC/groups, *k], transposed [inC, outC/groups, *k]), defaults,
 * initialisation (kaiming_uniform_(a=sqrt(5)), bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)))
 * and stateDict keys (weight, bias).
 */
import { rangeError, typeError } from '../errors.js';
import { zeros } from '../factories.js';
import { type ConvPadding, conv1d, conv2d, convTranspose2d, readTuple } from '../ops/conv.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { pad } from './functional-extra.js';
import { describe, expectBoolean, expectInteger, readOptions } from '../validate.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface ConvNdOptions {
  /** Stride of the window (default 1). */
  stride?: number | readonly number[];
  /** Zero padding on both sides, or 'same' (stride 1 only) / 'valid'. Default 0. */
  padding?: ConvPadding;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
  /** Blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /**
   * How the padding is filled: 'zeros' (default), 'reflect', 'replicate' or 'circular'
   * (PyTorch's padding_mode; the input is padded by nn.functional.pad, then convolved unpadded).
   */
  paddingMode?: ConvPaddingMode;
}
export type ConvPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
export type Conv2dOptions = ConvNdOptions;
export type Conv1dOptions = ConvNdOptions;

const tuple = (v: readonly number[]): string => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

function resetConvParameters(weight: Parameter, bias: Parameter | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias !== null) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, { a: -bound, b: bound });
  }
}

abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[] | 'same' | 'valid';
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly paddingMode: ConvPaddingMode;
  /** For a non-zeros paddingMode: the (before, after) pairs given to pad, last dimension first. */
  readonly #padPairs: readonly number[];
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  protected constructor(op: string, dims: number, inChannels: number, outChannels: number, kernelSize: number | readonly number[], options: unknown) {
    super();
    this.inChannels = expectInteger(op, 'inChannels', inChannels, 1);
    this.outChannels = expectInteger(op, 'outChannels', outChannels, 1);
    this.kernelSize = Object.freeze(readTuple(op, 'kernelSize', kernelSize, dims, 1));
    const o = readOptions(op, options, ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode'] as const);
    this.stride = Object.freeze(o.stride === undefined ? Array<number>(dims).fill(1) : readTuple(op, 'options.stride', o.stride, dims, 1));
    this.dilation = Object.freeze(o.dilation === undefined ? Array<number>(dims).fill(1) : readTuple(op, 'options.dilation', o.dilation, dims, 1));
    this.groups = o.groups === undefined ? 1 : expectInteger(op, 'options.groups', o.groups, 1);
    if (o.padding === 'same' || o.padding === 'valid') {
      if (o.padding === 'same' && this.stride.some((s) => s !== 1)) throw rangeError(op, "padding='same' is not supported for strided convolutions");
      this.padding = o.padding;
    } else if (typeof o.padding === 'string') {
      throw rangeError(op, `options.padding must be a number, ${dims} numbers, 'same' or 'valid', but received "${o.padding}"`);
    } else {
      this.padding = Object.freeze(o.padding === undefined ? Array<number>(dims).fill(0) : readTuple(op, 'options.padding', o.padding, dims, 0));
    }
    const mode = o.paddingMode === undefined ? 'zeros' : o.paddingMode;
    if (mode !== 'zeros' && mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') {
      throw rangeError(op, `options.paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', but received ${describe(o.paddingMode)}`);
    }
    this.paddingMode = mode;
    // PyTorch's _reversed_padding_repeated_twice: 'same' puts the odd extra on the right
    const pairs: number[] = [];
    for (let i = dims - 1; i >= 0; i--) {
      if (this.padding === 'valid') pairs.push(0, 0);
      else if (this.padding === 'same') {
        const total = this.dilation[i]! * (this.kernelSize[i]! - 1);
        pairs.push(Math.floor(total / 2), total - Math.floor(total / 2));
      } else pairs.push(this.padding[i]!, this.padding[i]!);
    }
    this.#padPairs = Object.freeze(pairs);
    const hasBias = o.bias === undefined ? true : expectBoolean(op, 'options.bias', o.bias);
    if (this.inChannels % this.groups !== 0) throw rangeError(op, `inChannels (${this.inChannels}) must be divisible by groups (${this.groups})`);
    if (this.outChannels % this.groups !== 0) throw rangeError(op, `outChannels (${this.outChannels}) must be divisible by groups (${this.groups})`);
    this.weight = this.registerParameter('weight', new Parameter(zeros([this.outChannels, this.inChannels / this.groups, ...this.kernelSize])));
    this.bias = this.registerParameter('bias', hasBias ? new Parameter(zeros(this.outChannels)) : null);
    this.resetParameters();
  }

  /** PyTorch's default initialisation. */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  protected convOptions(): { stride: readonly number[]; padding: ConvPadding; dilation: readonly number[]; groups: number } {
    const padding = this.paddingMode === 'zeros' ? this.padding : 'valid';
    return { stride: this.stride, padding, dilation: this.dilation, groups: this.groups };
  }

  /** The input padded by paddingMode (unchanged for 'zeros', which the convolution pads itself). */
  protected padInput(input: Tensor): Tensor {
    if (this.paddingMode === 'zeros' || this.#padPairs.every((p) => p === 0)) return input;
    expectTensor(this.constructor.name, 'input', input);
    return pad(input, this.#padPairs, { mode: this.paddingMode });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=false';
    if (this.paddingMode !== 'zeros') s += `, paddingMode=${this.paddingMode}`;
    return s;
  }
}

/** nn.Conv2d: input [N, inC, H, W] (or [inC, H, W]) -> [N, outC, H', W'], weight [outC, inC/groups, kH, kW]. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: Conv2dOptions) {
    super('Conv2d', 2, inChannels, outChannels, kernelSize, options);
  }

  forward(input: Tensor): Tensor {
    return conv2d(this.padInput(input), this.weight, this.bias, this.convOptions());
  }
}

/** nn.Conv1d: input [N, inC, L] (or [inC, L]) -> [N, outC, L'], weight [outC, inC/groups, k]. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: Conv1dOptions) {
    super('Conv1d', 1, inChannels, outChannels, kernelSize, options);
  }

  forward(input: Tensor): Tensor {
    return conv1d(this.padInput(input), this.weight, this.bias, this.convOptions());
  }
}

export interface ConvTranspose2dOptions {
  /** Stride (default 1). */
  stride?: number | readonly number[];
  /** dilation*(k-1) - padding zero padding is added to both sides of the input (default 0). */
  padding?: number | readonly number[];
  /** Extra size added to one side of the output (default 0). */
  outputPadding?: number | readonly number[];
  /** Blocked connections (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
  /** Only 'zeros' is supported. */
  paddingMode?: 'zeros';
}

/** nn.ConvTranspose2d: weight [inC, outC/groups, kH, kW]; the gradient of Conv2d with respect to its input. */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly outputPadding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: ConvTranspose2dOptions) {
    super();
    const op = 'ConvTranspose2d';
    this.inChannels = expectInteger(op, 'inChannels', inChannels, 1);
    this.outChannels = expectInteger(op, 'outChannels', outChannels, 1);
    this.kernelSize = Object.freeze(readTuple(op, 'kernelSize', kernelSize, 2, 1));
    const o = readOptions(op, options, ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode'] as const);
    this.stride = Object.freeze(o.stride === undefined ? [1, 1] : readTuple(op, 'options.stride', o.stride, 2, 1));
    this.padding = Object.freeze(o.padding === undefined ? [0, 0] : readTuple(op, 'options.padding', o.padding, 2, 0));
    this.outputPadding = Object.freeze(o.outputPadding === undefined ? [0, 0] : readTuple(op, 'options.outputPadding', o.outputPadding, 2, 0));
    this.dilation = Object.freeze(o.dilation === undefined ? [1, 1] : readTuple(op, 'options.dilation', o.dilation, 2, 1));
    this.groups = o.groups === undefined ? 1 : expectInteger(op, 'options.groups', o.groups, 1);
    if (o.paddingMode !== undefined && o.paddingMode !== 'zeros') {
      throw rangeError(op, `options.paddingMode must be 'zeros' (the only mode supported for ConvTranspose2d), but received ${describe(o.paddingMode)}`);
    }
    const hasBias = o.bias === undefined ? true : expectBoolean(op, 'options.bias', o.bias);
    if (this.inChannels % this.groups !== 0) throw rangeError(op, `inChannels (${this.inChannels}) must be divisible by groups (${this.groups})`);
    if (this.outChannels % this.groups !== 0) throw rangeError(op, `outChannels (${this.outChannels}) must be divisible by groups (${this.groups})`);
    for (let i = 0; i < 2; i++) {
      if (this.outputPadding[i]! >= this.stride[i]! && this.outputPadding[i]! >= this.dilation[i]!) {
        throw rangeError(op, `options.outputPadding must be smaller than either stride or dilation, but received ${tuple(this.outputPadding)}`);
      }
    }
    this.weight = this.registerParameter('weight', new Parameter(zeros([this.inChannels, this.outChannels / this.groups, ...this.kernelSize])));
    this.bias = this.registerParameter('bias', hasBias ? new Parameter(zeros(this.outChannels)) : null);
    this.resetParameters();
  }

  /** PyTorch's default initialisation (fan in from the weight as stored: outC/groups * kH * kW). */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  /**
   * `outputSize` ([H, W], or the full shape [N, C, H, W] / unbatched [C, H, W], as in PyTorch) picks the output padding that
   * gives that size when the stride makes several sizes possible.
   */
  forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    const outputPadding = outputSize === undefined ? this.outputPadding : this.outputPaddingFor(input, outputSize);
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }

  private outputPaddingFor(input: Tensor, outputSize: readonly number[]): number[] {
    const op = 'ConvTranspose2d';
    expectTensor(op, 'input', input);
    if (input.ndim !== 3 && input.ndim !== 4) throw rangeError(op, `input must be 3-D or 4-D, but has ${input.ndim} dimensions`);
    // PyTorch: the spatial size, or the full output shape ([C, H, W] unbatched, [N, C, H, W] batched)
    const full = input.ndim === 4 ? '[N, C, H, W]' : '[C, H, W]';
    if (!Array.isArray(outputSize) || (outputSize.length !== 2 && outputSize.length !== input.ndim)) {
      throw typeError(op, `outputSize must be [H, W] or ${full} for a ${input.ndim}-D input, but received ${describe(outputSize)}`);
    }
    const want = outputSize.slice(-2).map((v, i) => expectInteger(op, `outputSize[${outputSize.length - 2 + i}]`, v, 0));
    const spatial = input.shape.slice(-2);
    return want.map((size, i) => {
      const k = this.kernelSize[i]!, s = this.stride[i]!, p = this.padding[i]!, d = this.dilation[i]!;
      const min = (spatial[i]! - 1) * s - 2 * p + d * (k - 1) + 1;
      // PyTorch's _output_padding: at most stride - 1 extra (a larger dilation does not widen the range)
      const max = min + s - 1;
      if (size < min || size > max) {
        throw rangeError(op, `requested an output size of ${want.join('x')}, but valid sizes range from ${min} to ${max} in dimension ${i} (for an input of shape [${input.shape.join(', ')}])`);
      }
      return size - min;
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, outputPadding=${tuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=false';
    return s;
  }
}
