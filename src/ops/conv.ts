/**
 * Convolution and pooling ops with autograd (PyTorch 1.13 semantics): conv1d/conv2d
 * (im2col + sgemm natively), convTranspose2d, max/avg pooling 1-d and 2-d, adaptive
 * average pooling. Inputs are [N, C, H, W] (or unbatched [C, H, W]; 1-d: [N, C, L]
 * or [C, L]). One native call per forward and one per backward.
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectInteger, readOptions } from '../validate.js';
import { floats, floatsForOverwrite } from '../memory.js';

const EMPTY = new Float32Array(0);

/** A size given as a number or a tuple of `dims` numbers, each >= min. */
export function readTuple(op: string, name: string, value: unknown, dims: number, min: number): number[] {
  if (typeof value === 'number') return Array<number>(dims).fill(expectInteger(op, name, value, min));
  if (Array.isArray(value) && value.length === dims) return value.map((v, i) => expectInteger(op, `${name}[${i}]`, v, min));
  if (Array.isArray(value)) throw rangeError(op, `${name} must be a number or ${dims} numbers, but received ${value.length} numbers`);
  throw typeError(op, `${name} must be an integer or an array of ${dims} integers, but received ${describe(value)}`);
}

interface Layout {
  /** Whether the input had a batch dimension. */
  batched: boolean;
  n: number;
  c: number;
  h: number;
  w: number;
}

/** Reads [N, C, *spatial] or [C, *spatial] with `dims` spatial dimensions (1 or 2) as 2-D planes. */
function layoutOf(op: string, input: Tensor, dims: 1 | 2): Layout {
  const nd = input.ndim;
  if (nd !== dims + 1 && nd !== dims + 2) {
    const want = dims === 2 ? '3-D [C, H, W] or 4-D [N, C, H, W]' : '2-D [C, L] or 3-D [N, C, L]';
    throw shapeError(op, `input must be ${want}, but has shape ${formatShape(input.shape)}`);
  }
  const batched = nd === dims + 2;
  const s = input.shape;
  const n = batched ? s[0]! : 1;
  const c = s[batched ? 1 : 0]!;
  const h = dims === 2 ? s[nd - 2]! : 1;
  const w = s[nd - 1]!;
  return { batched, n, c, h, w };
}

function outShape(l: Layout, c: number, oh: number, ow: number, dims: 1 | 2): number[] {
  const spatial = dims === 2 ? [oh, ow] : [ow];
  return l.batched ? [l.n, c, ...spatial] : [c, ...spatial];
}

// ---------------------------------------------------------------- convolution

export type ConvPadding = number | readonly number[] | 'same' | 'valid';

export interface ConvOptions {
  /** Stride of the window (default 1). */
  stride?: number | readonly number[];
  /** Zero padding on both sides, or 'same' (stride 1 only) / 'valid' (none). Default 0. */
  padding?: ConvPadding;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
  /** Blocked connections from input to output channels (default 1). */
  groups?: number;
}

interface ConvParams {
  stride: number[];
  /** Symmetric padding per dimension, plus an extra zero row/column at the end for asymmetric 'same'. */
  pad: number[];
  extra: number[];
  dilation: number[];
  groups: number;
}

function readConvParams(op: string, options: unknown, kernel: number[], dims: number): ConvParams {
  const o = readOptions(op, options, ['stride', 'padding', 'dilation', 'groups'] as const);
  const stride = o.stride === undefined ? Array<number>(dims).fill(1) : readTuple(op, 'options.stride', o.stride, dims, 1);
  const dilation = o.dilation === undefined ? Array<number>(dims).fill(1) : readTuple(op, 'options.dilation', o.dilation, dims, 1);
  const groups = o.groups === undefined ? 1 : expectInteger(op, 'options.groups', o.groups, 1);
  let pad = Array<number>(dims).fill(0);
  let extra = Array<number>(dims).fill(0);
  if (o.padding === 'same') {
    if (stride.some((s) => s !== 1)) throw rangeError(op, "padding='same' is not supported for strided convolutions");
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    pad = total.map((t) => Math.floor(t / 2));
    extra = total.map((t, i) => t - 2 * pad[i]!);
  } else if (o.padding === 'valid') {
    // no padding
  } else if (typeof o.padding === 'string') {
    throw rangeError(op, `options.padding must be a number, ${dims} numbers, 'same' or 'valid', but received "${o.padding}"`);
  } else if (o.padding !== undefined) {
    pad = readTuple(op, 'options.padding', o.padding, dims, 0);
  }
  return { stride, pad, extra, dilation, groups };
}

/** Copies planes [h, w] into [h + eh, w + ew] with zeros at the end; and the reverse crop. */
function padEnd(x: Float32Array, planes: number, h: number, w: number, eh: number, ew: number): Float32Array {
  const H = h + eh, W = w + ew;
  const out = floats(planes * H * W);
  for (let p = 0; p < planes; p++) for (let y = 0; y < h; y++) out.set(x.subarray((p * h + y) * w, (p * h + y + 1) * w), (p * H + y) * W);
  return out;
}
function cropEnd(x: Float32Array, planes: number, h: number, w: number, eh: number, ew: number): Float32Array {
  const H = h + eh, W = w + ew;
  const out = floats(planes * h * w);
  for (let p = 0; p < planes; p++) for (let y = 0; y < h; y++) out.set(x.subarray((p * H + y) * W, (p * H + y) * W + w), (p * h + y) * w);
  return out;
}

function convImpl(op: string, dims: 1 | 2, input: Tensor, weight: Tensor, bias: Tensor | null, options: unknown): Tensor {
  expectTensor(op, 'input', input);
  expectTensor(op, 'weight', weight);
  if (bias !== null && bias !== undefined) expectTensor(op, 'bias', bias);
  else bias = null;
  const l = layoutOf(op, input, dims);
  if (weight.ndim !== dims + 2) {
    throw shapeError(op, `weight must be ${dims + 2}-D [outC, inC/groups, ${dims === 2 ? 'kH, kW' : 'k'}], but has shape ${formatShape(weight.shape)}`);
  }
  const o = weight.shape[0]!;
  const kh = dims === 2 ? weight.shape[2]! : 1;
  const kw = weight.shape[dims + 1]!;
  const kernel = dims === 2 ? [kh, kw] : [kw];
  const p = readConvParams(op, options, kernel, dims);
  const [sh, sw] = dims === 2 ? [p.stride[0]!, p.stride[1]!] : [1, p.stride[0]!];
  const [ph, pw] = dims === 2 ? [p.pad[0]!, p.pad[1]!] : [0, p.pad[0]!];
  const [dh, dw] = dims === 2 ? [p.dilation[0]!, p.dilation[1]!] : [1, p.dilation[0]!];
  const [eh, ew] = dims === 2 ? [p.extra[0]!, p.extra[1]!] : [0, p.extra[0]!];
  const groups = p.groups;
  if (l.c % groups !== 0 || o % groups !== 0) {
    throw rangeError(op, `input channels (${l.c}) and output channels (${o}) must both be divisible by groups (${groups})`);
  }
  if (weight.shape[1]! * groups !== l.c) {
    throw shapeError(op, `weight of shape ${formatShape(weight.shape)} with groups=${groups} expects ${weight.shape[1]! * groups} input channels, but input of shape ${formatShape(input.shape)} has ${l.c}`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== o)) {
    throw shapeError(op, `bias must have shape [${o}], but has shape ${formatShape(bias.shape)}`);
  }
  const H = l.h + eh, W = l.w + ew;
  const effH = dh * (kh - 1) + 1, effW = dw * (kw - 1) + 1;
  if (effH > H + 2 * ph || effW > W + 2 * pw) {
    throw shapeError(op, `the (dilated) kernel ${dims === 2 ? `${effH}x${effW}` : effW} is larger than the padded input ${dims === 2 ? `${H + 2 * ph}x${W + 2 * pw}` : W + 2 * pw} (input shape ${formatShape(input.shape)})`);
  }
  const oh = Math.floor((H + 2 * ph - effH) / sh) + 1;
  const ow = Math.floor((W + 2 * pw - effW) / sw) + 1;
  const asym = eh !== 0 || ew !== 0;
  const x = asym ? padEnd(input.data, l.n * l.c, l.h, l.w, eh, ew) : input.data;
  const y = floatsForOverwrite(l.n * o * oh * ow);
  const geom = [l.n, l.c, H, W, o, kh, kw, sh, sw, ph, pw, dh, dw, groups] as const;
  native.conv2dForward(x, weight.data, bias ? bias.data : EMPTY, y, ...geom);
  const result = new Tensor(y, outShape(l, o, oh, ow, dims));
  const inputs = bias === null ? [input, weight] : [input, weight, bias];
  record(dims === 2 ? 'Conv2dBackward' : 'Conv1dBackward', inputs, [result], ([g]) => {
    const dx = input.requiresGrad ? floatsForOverwrite(x.length) : EMPTY;
    const dwt = weight.requiresGrad ? floatsForOverwrite(weight.size) : EMPTY;
    const db = bias !== null && bias.requiresGrad ? floatsForOverwrite(o) : EMPTY;
    native.conv2dBackward(x, weight.data, g!.data, dx, dwt, db, ...geom);
    const grads: (Tensor | null)[] = [
      input.requiresGrad ? new Tensor(asym ? cropEnd(dx, l.n * l.c, l.h, l.w, eh, ew) : dx, input.shape) : null,
      weight.requiresGrad ? new Tensor(dwt, weight.shape) : null,
      bias !== null && bias.requiresGrad ? new Tensor(db, [o]) : null,
    ];
    return grads.slice(0, inputs.length);
  }, [input, weight]);
  return result;
}

/** torch.nn.functional.conv2d: input [N, C, H, W] (or [C, H, W]), weight [outC, C/groups, kH, kW], bias [outC]. */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options?: ConvOptions): Tensor {
  return convImpl('conv2d', 2, input, weight, bias, options);
}

/** torch.nn.functional.conv1d: input [N, C, L] (or [C, L]), weight [outC, C/groups, k], bias [outC]. */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options?: ConvOptions): Tensor {
  return convImpl('conv1d', 1, input, weight, bias, options);
}

export interface ConvTransposeOptions {
  /** Stride (default 1). */
  stride?: number | readonly number[];
  /** Implicit zero padding removed from both sides of the output: dilation*(k-1) - padding is added (default 0). */
  padding?: number | readonly number[];
  /** Extra size added to one side of the output (default 0; smaller than stride or dilation). */
  outputPadding?: number | readonly number[];
  /** Blocked connections (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: number | readonly number[];
}

/**
 * torch.nn.functional.conv_transpose2d: input [N, inC, H, W] (or unbatched), weight
 * [inC, outC/groups, kH, kW], bias [outC]; output size (H-1)*s - 2p + d(k-1) + outputPadding + 1.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options?: ConvTransposeOptions): Tensor {
  const op = 'convTranspose2d';
  expectTensor(op, 'input', input);
  expectTensor(op, 'weight', weight);
  if (bias !== null && bias !== undefined) expectTensor(op, 'bias', bias);
  else bias = null;
  const l = layoutOf(op, input, 2);
  const o = readOptions(op, options, ['stride', 'padding', 'outputPadding', 'groups', 'dilation'] as const);
  const [sh, sw] = o.stride === undefined ? [1, 1] : readTuple(op, 'options.stride', o.stride, 2, 1);
  const [ph, pw] = o.padding === undefined ? [0, 0] : readTuple(op, 'options.padding', o.padding, 2, 0);
  const [oph, opw] = o.outputPadding === undefined ? [0, 0] : readTuple(op, 'options.outputPadding', o.outputPadding, 2, 0);
  const [dh, dw] = o.dilation === undefined ? [1, 1] : readTuple(op, 'options.dilation', o.dilation, 2, 1);
  const groups = o.groups === undefined ? 1 : expectInteger(op, 'options.groups', o.groups, 1);
  if (weight.ndim !== 4) throw shapeError(op, `weight must be 4-D [inC, outC/groups, kH, kW], but has shape ${formatShape(weight.shape)}`);
  if (weight.shape[0] !== l.c) {
    throw shapeError(op, `weight of shape ${formatShape(weight.shape)} expects ${weight.shape[0]} input channels, but input of shape ${formatShape(input.shape)} has ${l.c}`);
  }
  if (l.c % groups !== 0) throw rangeError(op, `input channels (${l.c}) must be divisible by groups (${groups})`);
  const cOut = weight.shape[1]! * groups;
  const [kh, kw] = [weight.shape[2]!, weight.shape[3]!];
  if ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)) {
    throw rangeError(op, `options.outputPadding (${oph}, ${opw}) must be smaller than either stride (${sh}, ${sw}) or dilation (${dh}, ${dw})`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== cOut)) {
    throw shapeError(op, `bias must have shape [${cOut}], but has shape ${formatShape(bias.shape)}`);
  }
  if (l.h < 1 || l.w < 1) throw shapeError(op, `input must have non-empty spatial dimensions, but has shape ${formatShape(input.shape)}`);
  const oh = (l.h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const ow = (l.w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (oh < 1 || ow < 1) throw shapeError(op, `the output size ${oh}x${ow} is not positive (input shape ${formatShape(input.shape)})`);
  const y = floatsForOverwrite(l.n * cOut * oh * ow);
  const geom = [l.n, l.c, l.h, l.w, cOut, kh, kw, sh, sw, ph, pw, dh, dw, groups, oph, opw] as const;
  native.convTranspose2dForward(input.data, weight.data, bias ? bias.data : EMPTY, y, ...geom);
  const result = new Tensor(y, outShape(l, cOut, oh, ow, 2));
  const inputs = bias === null ? [input, weight] : [input, weight, bias];
  record('ConvTranspose2dBackward', inputs, [result], ([g]) => {
    const dx = input.requiresGrad ? floatsForOverwrite(input.size) : EMPTY;
    const dwt = weight.requiresGrad ? floatsForOverwrite(weight.size) : EMPTY;
    const db = bias !== null && bias.requiresGrad ? floatsForOverwrite(cOut) : EMPTY;
    native.convTranspose2dBackward(input.data, weight.data, g!.data, dx, dwt, db, ...geom);
    const grads: (Tensor | null)[] = [
      input.requiresGrad ? new Tensor(dx, input.shape) : null,
      weight.requiresGrad ? new Tensor(dwt, weight.shape) : null,
      bias !== null && bias.requiresGrad ? new Tensor(db, [cOut]) : null,
    ];
    return grads.slice(0, inputs.length);
  }, [input, weight]);
  return result;
}

// ---------------------------------------------------------------- pooling

/** PyTorch's pooling output size (ceil mode: the last window must start inside the input or left padding). */
function poolOut(inp: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const num = inp + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
  let out = Math.floor(num / s) + 1;
  if (ceil && (out - 1) * s >= inp + p) out--;
  return out;
}

interface PoolParams {
  kernel: [number, number];
  stride: [number, number];
  pad: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
}

function readPool(op: string, dims: 1 | 2, kernelSize: unknown, o: Partial<Record<'stride' | 'padding' | 'dilation' | 'ceilMode', unknown>>): PoolParams {
  const k = readTuple(op, 'kernelSize', kernelSize, dims, 1);
  const s = o.stride === undefined || o.stride === null ? k : readTuple(op, 'options.stride', o.stride, dims, 1);
  const p = o.padding === undefined ? Array<number>(dims).fill(0) : readTuple(op, 'options.padding', o.padding, dims, 0);
  const d = o.dilation === undefined ? Array<number>(dims).fill(1) : readTuple(op, 'options.dilation', o.dilation, dims, 1);
  const ceilMode = o.ceilMode === undefined ? false : expectBoolean(op, 'options.ceilMode', o.ceilMode);
  k.forEach((kk, i) => {
    if (p[i]! > Math.floor(kk / 2)) throw rangeError(op, `padding (${p.join(', ')}) must be at most half the kernel size (${k.join(', ')})`);
  });
  const two = (v: number[], one: number): [number, number] => (dims === 2 ? [v[0]!, v[1]!] : [one, v[0]!]);
  return { kernel: two(k, 1), stride: two(s, 1), pad: two(p, 0), dilation: two(d, 1), ceilMode };
}

function poolSizes(op: string, l: Layout, p: PoolParams, input: Tensor): [number, number] {
  const oh = poolOut(l.h, p.kernel[0], p.stride[0], p.pad[0], p.dilation[0], p.ceilMode);
  const ow = poolOut(l.w, p.kernel[1], p.stride[1], p.pad[1], p.dilation[1], p.ceilMode);
  if (oh < 1 || ow < 1) throw shapeError(op, `the output size ${oh}x${ow} is too small for input of shape ${formatShape(input.shape)}`);
  return [oh, ow];
}

export interface MaxPoolOptions {
  /** Window stride (default: the kernel size). */
  stride?: number | readonly number[] | null;
  /** Implicit -infinity padding on both sides, at most half the kernel (default 0). */
  padding?: number | readonly number[];
  /** Spacing between window elements (default 1). */
  dilation?: number | readonly number[];
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

function maxPoolImpl(op: string, dims: 1 | 2, input: Tensor, kernelSize: unknown, options: unknown): Tensor {
  expectTensor(op, 'input', input);
  const l = layoutOf(op, input, dims);
  const p = readPool(op, dims, kernelSize, readOptions(op, options, ['stride', 'padding', 'dilation', 'ceilMode'] as const));
  const [oh, ow] = poolSizes(op, l, p, input);
  const planes = l.n * l.c;
  const y = floatsForOverwrite(planes * oh * ow);
  const idx = new Int32Array(y.length);
  native.maxPool2dForward(input.data, y, idx, planes, l.h, l.w, p.kernel[0], p.kernel[1], p.stride[0], p.stride[1], p.pad[0], p.pad[1], p.dilation[0], p.dilation[1], p.ceilMode);
  const result = new Tensor(y, outShape(l, l.c, oh, ow, dims));
  record(dims === 2 ? 'MaxPool2dBackward' : 'MaxPool1dBackward', [input], [result], ([g]) => {
    const dx = floatsForOverwrite(input.size);
    native.maxPool2dBackward(g!.data, idx, dx, planes, l.h, l.w, p.kernel[0], p.kernel[1], p.stride[0], p.stride[1], p.pad[0], p.pad[1], p.dilation[0], p.dilation[1], p.ceilMode);
    return [new Tensor(dx, input.shape)];
  });
  return result;
}

/** torch.nn.functional.max_pool2d over [N, C, H, W] (or [C, H, W]); the backward routes through the saved argmax. */
export function maxPool2d(input: Tensor, kernelSize: number | readonly number[], options?: MaxPoolOptions): Tensor {
  return maxPoolImpl('maxPool2d', 2, input, kernelSize, options);
}

/** torch.nn.functional.max_pool1d over [N, C, L] (or [C, L]). */
export function maxPool1d(input: Tensor, kernelSize: number | readonly number[], options?: MaxPoolOptions): Tensor {
  return maxPoolImpl('maxPool1d', 1, input, kernelSize, options);
}

export interface AvgPoolOptions {
  /** Window stride (default: the kernel size). */
  stride?: number | readonly number[] | null;
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: number | readonly number[];
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size (2-d only, default none). */
  divisorOverride?: number | null;
}

function avgPoolImpl(op: string, dims: 1 | 2, input: Tensor, kernelSize: unknown, options: unknown): Tensor {
  expectTensor(op, 'input', input);
  const l = layoutOf(op, input, dims);
  const keys = dims === 2 ? (['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const) : (['stride', 'padding', 'ceilMode', 'countIncludePad'] as const);
  const o = readOptions(op, options, keys) as Partial<Record<'stride' | 'padding' | 'ceilMode' | 'countIncludePad' | 'divisorOverride', unknown>>;
  const p = readPool(op, dims, kernelSize, { stride: o.stride, padding: o.padding, ceilMode: o.ceilMode });
  const include = o.countIncludePad === undefined ? true : expectBoolean(op, 'options.countIncludePad', o.countIncludePad);
  const divisor = o.divisorOverride === undefined || o.divisorOverride === null ? 0 : expectInteger(op, 'options.divisorOverride', o.divisorOverride, 1, 2 ** 31 - 1);
  const [oh, ow] = poolSizes(op, l, p, input);
  const planes = l.n * l.c;
  const geom = [planes, l.h, l.w, p.kernel[0], p.kernel[1], p.stride[0], p.stride[1], p.pad[0], p.pad[1], p.ceilMode, include, divisor] as const;
  const y = floatsForOverwrite(planes * oh * ow);
  native.avgPool2dForward(input.data, y, ...geom);
  const result = new Tensor(y, outShape(l, l.c, oh, ow, dims));
  record(dims === 2 ? 'AvgPool2dBackward' : 'AvgPool1dBackward', [input], [result], ([g]) => {
    const dx = floatsForOverwrite(input.size);
    native.avgPool2dBackward(g!.data, dx, ...geom);
    return [new Tensor(dx, input.shape)];
  });
  return result;
}

/** torch.nn.functional.avg_pool2d over [N, C, H, W] (or [C, H, W]). */
export function avgPool2d(input: Tensor, kernelSize: number | readonly number[], options?: AvgPoolOptions): Tensor {
  return avgPoolImpl('avgPool2d', 2, input, kernelSize, options);
}

/** torch.nn.functional.avg_pool1d over [N, C, L] (or [C, L]); no divisorOverride, as in PyTorch. */
export function avgPool1d(input: Tensor, kernelSize: number | readonly number[], options?: Omit<AvgPoolOptions, 'divisorOverride'>): Tensor {
  return avgPoolImpl('avgPool1d', 1, input, kernelSize, options);
}

/** An adaptive output size: one number, or [h, w] where null keeps the input's size. */
export type AdaptiveSize = number | readonly (number | null)[];

/**
 * torch.nn.functional.adaptive_avg_pool2d: output cell i averages input rows
 * [floor(i*H/oH), ceil((i+1)*H/oH)) (and likewise for columns).
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  const op = 'adaptiveAvgPool2d';
  expectTensor(op, 'input', input);
  const l = layoutOf(op, input, 2);
  let size: (number | null)[];
  if (typeof outputSize === 'number') size = [outputSize, outputSize];
  else if (Array.isArray(outputSize) && outputSize.length === 2) size = [...(outputSize as (number | null)[])];
  else throw typeError(op, `outputSize must be an integer or an array of 2 integers (or nulls), but received ${describe(outputSize)}`);
  const oh = size[0] === null ? l.h : expectInteger(op, 'outputSize[0]', size[0], 0);
  const ow = size[1] === null ? l.w : expectInteger(op, 'outputSize[1]', size[1], 0);
  if (l.h < 1 || l.w < 1) throw shapeError(op, `input must have non-empty spatial dimensions, but has shape ${formatShape(input.shape)}`);
  const planes = l.n * l.c;
  const y = floatsForOverwrite(planes * oh * ow);
  native.adaptiveAvgPool2dForward(input.data, y, planes, l.h, l.w, oh, ow);
  const result = new Tensor(y, outShape(l, l.c, oh, ow, 2));
  record('AdaptiveAvgPool2dBackward', [input], [result], ([g]) => {
    const dx = floatsForOverwrite(input.size);
    native.adaptiveAvgPool2dBackward(g!.data, dx, planes, l.h, l.w, oh, ow);
    return [new Tensor(dx, input.shape)];
  });
  return result;
}

