/**
 * nn.init: in-place initializers with PyTorch 1.13's formulas. They draw from the
 * default generator (seeded by manualSeed) unless given `{ generator }`.
 */
import { rangeError, typeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { formatShape } from '../shape.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { describe, expectFinite, readOptions } from '../validate.js';

export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

const LINEAR_LIKE = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid']);

/** The recommended gain for a nonlinearity (leaky_relu's negative slope is `param`, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, options?: { param?: number }): number {
  const op = 'calculateGain';
  const opts = readOptions(op, options, ['param'] as const);
  if (LINEAR_LIKE.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = opts.param === undefined ? 0.01 : expectFinite(op, 'options.param', opts.param);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw rangeError(op, `unsupported nonlinearity ${describe(nonlinearity)}`);
  }
}

/** fanIn = shape[1] * receptive field, fanOut = shape[0] * receptive field. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw rangeError('init', `fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape ${formatShape(t.shape)})`);
  }
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i]!;
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

interface GeneratorOption {
  /** Draw from this generator instead of the default one. */
  generator?: Generator;
}

function generatorOf(op: string, g: unknown): Generator {
  if (g === undefined) return defaultGenerator;
  if (typeof g !== 'object' || g === null || typeof (g as Generator).fillUniform !== 'function') {
    throw typeError(op, `options.generator must be a Generator, but received ${describe(g)}`);
  }
  return g as Generator;
}

export interface UniformOptions extends GeneratorOption {
  /** Lower bound (default 0). */
  a?: number;
  /** Upper bound (default 1). */
  b?: number;
}

/** Fills t with U(a, b). */
export function uniform_(t: Tensor, options?: UniformOptions): Tensor {
  const op = 'init.uniform_';
  expectTensor(op, 'tensor', t);
  const o = readOptions(op, options, ['a', 'b', 'generator'] as const);
  const a = o.a === undefined ? 0 : expectFinite(op, 'options.a', o.a);
  const b = o.b === undefined ? 1 : expectFinite(op, 'options.b', o.b);
  generatorOf(op, o.generator).fillUniform(t.data, a, b);
  return t;
}

export interface NormalOptions extends GeneratorOption {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 1). */
  std?: number;
}

/** Fills t with N(mean, std^2). */
export function normal_(t: Tensor, options?: NormalOptions): Tensor {
  const op = 'init.normal_';
  expectTensor(op, 'tensor', t);
  const o = readOptions(op, options, ['mean', 'std', 'generator'] as const);
  const mean = o.mean === undefined ? 0 : expectFinite(op, 'options.mean', o.mean);
  const std = o.std === undefined ? 1 : expectFinite(op, 'options.std', o.std);
  generatorOf(op, o.generator).fillNormal(t.data, mean, std);
  return t;
}

export function constant_(t: Tensor, value: number): Tensor {
  expectTensor('init.constant_', 'tensor', t);
  if (typeof value !== 'number') throw typeError('init.constant_', `value must be a number, but received ${describe(value)}`);
  t.data.fill(value);
  return t;
}

export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

export interface XavierOptions extends GeneratorOption {
  /** Scaling factor (default 1). */
  gain?: number;
}

/** U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio). */
export function xavierUniform_(t: Tensor, options?: XavierOptions): Tensor {
  const op = 'init.xavierUniform_';
  expectTensor(op, 'tensor', t);
  const o = readOptions(op, options, ['gain', 'generator'] as const);
  const gain = o.gain === undefined ? 1 : expectFinite(op, 'options.gain', o.gain);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  generatorOf(op, o.generator).fillUniform(t.data, -a, a);
  return t;
}

/** N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, options?: XavierOptions): Tensor {
  const op = 'init.xavierNormal_';
  expectTensor(op, 'tensor', t);
  const o = readOptions(op, options, ['gain', 'generator'] as const);
  const gain = o.gain === undefined ? 1 : expectFinite(op, 'options.gain', o.gain);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  generatorOf(op, o.generator).fillNormal(t.data, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
  return t;
}

export interface KaimingOptions extends GeneratorOption {
  /** Negative slope of the following leaky_relu (default 0). */
  a?: number;
  /** 'fan_in' (default) preserves the forward variance, 'fan_out' the backward one. */
  mode?: 'fan_in' | 'fan_out';
  /** Default 'leaky_relu'. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, o: Partial<Record<'a' | 'mode' | 'nonlinearity' | 'generator', unknown>>): number {
  const a = o.a === undefined ? 0 : expectFinite(op, 'options.a', o.a);
  const mode = o.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') {
    throw rangeError(op, `options.mode must be "fan_in" or "fan_out", but received ${describe(mode)}`);
  }
  const nonlinearity = (o.nonlinearity ?? 'leaky_relu') as Nonlinearity;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  if (fan === 0) return 0;
  return calculateGain(nonlinearity, { param: a }) / Math.sqrt(fan);
}

/** U(-bound, bound) with bound = gain * sqrt(3 / fan) (He et al.). */
export function kaimingUniform_(t: Tensor, options?: KaimingOptions): Tensor {
  const op = 'init.kaimingUniform_';
  expectTensor(op, 'tensor', t);
  const o = readOptions(op, options, ['a', 'mode', 'nonlinearity', 'generator'] as const);
  const bound = Math.sqrt(3) * kaimingStd(op, t, o);
  generatorOf(op, o.generator).fillUniform(t.data, -bound, bound);
  return t;
}

/** N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, options?: KaimingOptions): Tensor {
  const op = 'init.kaimingNormal_';
  expectTensor(op, 'tensor', t);
  const o = readOptions(op, options, ['a', 'mode', 'nonlinearity', 'generator'] as const);
  generatorOf(op, o.generator).fillNormal(t.data, 0, kaimingStd(op, t, o));
  return t;
}

/**
 * A (semi-)orthogonal matrix over t viewed as [shape[0], rest], from the QR
 * decomposition of a normal matrix with R's diagonal made positive (Saxe et al.).
 */
export function orthogonal_(t: Tensor, options?: XavierOptions): Tensor {
  const op = 'init.orthogonal_';
  expectTensor(op, 'tensor', t);
  const o = readOptions(op, options, ['gain', 'generator'] as const);
  const gain = o.gain === undefined ? 1 : expectFinite(op, 'options.gain', o.gain);
  if (t.ndim < 2) throw rangeError(op, `only tensors with 2 or more dimensions are supported, but the shape is ${formatShape(t.shape)}`);
  const rows = t.shape[0]!;
  const cols = rows === 0 ? 0 : t.size / rows;
  if (t.size === 0) return t;
  const flat = generatorOf(op, o.generator).fillNormal(new Float32Array(rows * cols));
  // Orthonormalise the columns of the tall orientation (n >= m) with modified
  // Gram-Schmidt, twice for accuracy: R's diagonal comes out positive.
  const tall = rows >= cols;
  const n = tall ? rows : cols;
  const m = tall ? cols : rows;
  const q = new Float64Array(n * m); // column-major: column j at q[j*n ..]
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = flat[i * cols + j]!;
      if (tall) q[j * n + i] = v;
      else q[i * n + j] = v;
    }
  }
  for (let j = 0; j < m; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[p * n + i]! * q[j * n + i]!;
        for (let i = 0; i < n; i++) q[j * n + i]! -= dot * q[p * n + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[j * n + i]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) q[j * n + i]! /= norm;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) t.data[i * cols + j] = gain * (tall ? q[j * n + i]! : q[i * n + j]!);
  }
  return t;
}
