/**
 * Nearest-neighbour resizing as PyTorch 1.13's F.interpolate(mode='nearest') and
 * nn.Upsample, for [N, C, L] and [N, C, H, W] inputs. Output index dst reads input
 * index min(floor(dst * scale), in - 1) in float32, where scale is 1 / scaleFactor
 * when a scale factor is given (as PyTorch passes it to its kernel) and in / out when
 * a size is; so scaleFactor 1.7 and the size it gives can pick different rows. As
 * measured on PyTorch 1.13's CPU kernels, a one-channel 4-D input (which PyTorch sees
 * as channels-last and sends to another kernel) takes nearest_idx's exact cases: a
 * dimension that keeps its length reads dst, one that doubles it dst >> 1, whatever the
 * scale factor. Each spatial dimension is one indexSelect, whose backward scatter-adds
 * the gradient: the gradient of this forward. PyTorch 1.13's backward always takes the
 * exact cases, so with a scale factor other than 1 or 2 that keeps or doubles a length
 * (1.1 on 7 elements: its forward reads floor(dst / 1.1)), its gradient is not that of
 * its forward; here the gradient follows the forward.
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { indexSelect } from '../ops/shape-ops.js';
import { formatShape } from '../shape.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { describe, readOptions } from '../validate.js';
import { Module } from './module.js';

/** The interpolation modes PyTorch 1.13 has; only 'nearest' is implemented. */
export type InterpolateMode = 'nearest';

export interface InterpolateOptions {
  /** Output size of the spatial dimensions: one number for all, or one per dimension. */
  size?: number | readonly number[];
  /** Multiplier of the spatial sizes (output = floor(input * scaleFactor)): one number, or one per dimension. */
  scaleFactor?: number | readonly number[];
  /** Only 'nearest' (the default) is supported. */
  mode?: InterpolateMode;
}

const SPATIAL_NAMES: Record<number, readonly string[]> = { 1: ['W'], 2: ['H', 'W'] };

function perDim(op: string, name: string, value: unknown, dims: number, inputShape: readonly number[]): number[] {
  if (typeof value === 'number') return new Array<number>(dims).fill(value);
  if (!Array.isArray(value)) throw typeError(op, `${name} must be a number or an array of numbers, but received ${describe(value)}`);
  if (value.length !== dims) {
    throw shapeError(op, `${name} must have one entry per spatial dimension (${dims} for an input of shape ${formatShape(inputShape)}), but received ${value.length}`);
  }
  value.forEach((v, i) => {
    if (typeof v !== 'number') throw typeError(op, `${name}[${i}] must be a number, but received ${describe(v)}`);
  });
  return value as number[];
}

/** Reads and checks options that do not depend on the input (the module checks them at construction). */
function readInterpolateOptions(op: string, options: unknown): { size?: unknown; scaleFactor?: unknown } {
  const o = readOptions(op, options, ['size', 'scaleFactor', 'mode'] as const);
  if (o.mode !== undefined && o.mode !== 'nearest') {
    throw rangeError(op, `options.mode must be 'nearest' (the only mode supported), but received ${describe(o.mode)}`);
  }
  if (o.size !== undefined && o.scaleFactor !== undefined) {
    throw rangeError(op, 'only one of options.size and options.scaleFactor may be given, but received both');
  }
  if (o.size === undefined && o.scaleFactor === undefined) {
    throw rangeError(op, 'one of options.size and options.scaleFactor must be given, but received neither');
  }
  const check = (name: string, v: unknown, ok: (n: number) => boolean, what: string) => {
    const list = typeof v === 'number' ? [v] : Array.isArray(v) ? v : null;
    if (list === null) throw typeError(op, `options.${name} must be a number or an array of numbers, but received ${describe(v)}`);
    list.forEach((n: unknown, i) => {
      const label = typeof v === 'number' ? `options.${name}` : `options.${name}[${i}]`;
      if (typeof n !== 'number') throw typeError(op, `${label} must be a number, but received ${describe(n)}`);
      if (!ok(n)) throw rangeError(op, `${label} must be ${what}, but received ${n}`);
    });
  };
  if (o.size !== undefined) check('size', o.size, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  if (o.scaleFactor !== undefined) check('scaleFactor', o.scaleFactor, (n) => Number.isFinite(n) && n > 0, 'a positive finite number');
  return { size: o.size, scaleFactor: o.scaleFactor };
}

/**
 * Input index of every output index along one dimension, in float32 as PyTorch 1.13's
 * CPU kernels: min(floor(dst * scale), in - 1). With `exactCases` (its channels-last
 * kernel, which calls nearest_idx), an output as long as the input copies it and one
 * twice as long reads dst >> 1, whatever the scale factor.
 */
function nearestIndices(inSize: number, outSize: number, scaleFactor: number | undefined, exactCases: boolean): Int32Array {
  const ids = new Int32Array(outSize);
  if (exactCases && (outSize === inSize || outSize === 2 * inSize)) {
    const shift = outSize === inSize ? 0 : 1;
    for (let d = 0; d < outSize; d++) ids[d] = d >> shift;
    return ids;
  }
  const scale = Math.fround(scaleFactor === undefined ? inSize / outSize : 1 / scaleFactor);
  for (let d = 0; d < outSize; d++) ids[d] = Math.min(Math.floor(Math.fround(d * scale)), inSize - 1);
  return ids;
}

function resize(op: string, input: Tensor, size: unknown, scaleFactor: unknown): Tensor {
  expectTensor(op, 'input', input);
  const dims = input.ndim - 2;
  if (dims !== 1 && dims !== 2) {
    throw shapeError(op, `input must be 3-D [N, C, L] or 4-D [N, C, H, W] (mode 'nearest'), but received a Tensor of shape ${formatShape(input.shape)}`);
  }
  if (input.shape[1] === 0 || input.shape.slice(2).some((d) => d === 0)) {
    throw shapeError(op, `input must have non-empty channel and spatial dimensions (only the batch may be empty), but received a Tensor of shape ${formatShape(input.shape)}`);
  }
  const inSizes = input.shape.slice(2);
  const scales = scaleFactor === undefined ? undefined : perDim(op, 'options.scaleFactor', scaleFactor, dims, input.shape);
  const outSizes = scales === undefined ? perDim(op, 'options.size', size, dims, input.shape) : inSizes.map((n, i) => Math.floor(n * scales[i]!));
  outSizes.forEach((n, i) => {
    if (!(n >= 1)) {
      throw rangeError(op, `options.scaleFactor must give output sizes of at least 1, but ${scales![i]} gives floor(${inSizes[i]} * ${scales![i]}) = ${n} for dimension ${SPATIAL_NAMES[dims]![i]} of an input of shape ${formatShape(input.shape)}`);
    }
  });
  let out = input;
  for (let i = 0; i < dims; i++) {
    out = indexSelect(out, 2 + i, nearestIndices(inSizes[i]!, outSizes[i]!, scales?.[i], dims === 2 && input.shape[1] === 1));
  }
  return out;
}

/**
 * Resizes the spatial dimensions of [N, C, L] or [N, C, H, W] (PyTorch's F.interpolate),
 * mode 'nearest' only: exactly one of options.size and options.scaleFactor.
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const { size, scaleFactor } = readInterpolateOptions('interpolate', options);
  return resize('interpolate', input, size, scaleFactor);
}

export interface UpsampleOptions extends InterpolateOptions {}

/** nn.Upsample: interpolate with fixed options (mode 'nearest', PyTorch's default). */
export class Upsample extends Module {
  readonly size: number | readonly number[] | undefined;
  readonly scaleFactor: number | readonly number[] | undefined;
  readonly mode: InterpolateMode = 'nearest';
  constructor(options: UpsampleOptions) {
    super();
    const o = readInterpolateOptions('Upsample', options);
    this.size = o.size as number | readonly number[] | undefined;
    this.scaleFactor = o.scaleFactor as number | readonly number[] | undefined;
  }
  forward(input: Tensor): Tensor {
    return resize('Upsample', input, this.size, this.scaleFactor);
  }
  override extraRepr(): string {
    const show = (v: number | readonly number[]) => (typeof v === 'number' ? `${v}` : `[${v.join(', ')}]`);
    const first = this.scaleFactor !== undefined ? `scaleFactor=${show(this.scaleFactor)}` : `size=${show(this.size!)}`;
    return `${first}, mode='${this.mode}'`;
  }
}
