/**
 * Activation functions over Tensors, forward and backward, on the native kernels
 * (PyTorch 1.13 formulas and special values). Low-level and functional: each call
 * is one native pass; the autograd layer builds on these.
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectFinite, readOptions } from '../validate.js';
import { floats, floatsForOverwrite } from '../memory.js';

export type ActivationName =
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'geluTanh'
  | 'silu'
  | 'mish'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'hardtanh'
  | 'hardsigmoid'
  | 'hardswish'
  // Elementwise math (the public exp, log, ... of ops/math.ts run on these).
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'log1p'
  | 'expm1'
  | 'reciprocal'
  | 'square'
  | 'pow'
  | 'clamp';

export interface ActivationOptions {
  /** leakyRelu: slope for x <= 0. Default 0.01. */
  negativeSlope?: number;
  /** elu: scale of the negative part. Default 1. */
  alpha?: number;
  /** softplus: log(1 + exp(beta x)) / beta. Default 1. */
  beta?: number;
  /** softplus: linear where beta x > threshold. Default 20. */
  threshold?: number;
  /** hardtanh: lower bound. Default -1. */
  minVal?: number;
  /** hardtanh: upper bound. Default 1. */
  maxVal?: number;
  /** pow: x ** exponent. Default 1. */
  exponent?: number;
  /** clamp: lower bound, may be -Infinity (none). Default -Infinity. */
  min?: number;
  /** clamp: upper bound, may be +Infinity (none). Default +Infinity. */
  max?: number;
}

type Params = [] | [number] | [number, number];

interface Entry {
  options: readonly (keyof ActivationOptions)[];
  defaults: number[];
  /** The backward reads the forward output instead of the input. */
  savesOutput: boolean;
  /** Options may be +-Infinity (clamp's bounds); NaN is refused all the same. */
  infiniteOk?: boolean;
}

const TABLE: Record<ActivationName, Entry> = {
  relu: { options: [], defaults: [], savesOutput: false },
  leakyRelu: { options: ['negativeSlope'], defaults: [0.01], savesOutput: false },
  elu: { options: ['alpha'], defaults: [1], savesOutput: false },
  selu: { options: [], defaults: [], savesOutput: false },
  gelu: { options: [], defaults: [], savesOutput: false },
  geluTanh: { options: [], defaults: [], savesOutput: false },
  silu: { options: [], defaults: [], savesOutput: false },
  mish: { options: [], defaults: [], savesOutput: false },
  sigmoid: { options: [], defaults: [], savesOutput: true },
  tanh: { options: [], defaults: [], savesOutput: true },
  softplus: { options: ['beta', 'threshold'], defaults: [1, 20], savesOutput: false },
  hardtanh: { options: ['minVal', 'maxVal'], defaults: [-1, 1], savesOutput: false },
  hardsigmoid: { options: [], defaults: [], savesOutput: false },
  hardswish: { options: [], defaults: [], savesOutput: false },
  exp: { options: [], defaults: [], savesOutput: true },
  log: { options: [], defaults: [], savesOutput: false },
  sqrt: { options: [], defaults: [], savesOutput: true },
  abs: { options: [], defaults: [], savesOutput: false },
  log1p: { options: [], defaults: [], savesOutput: false },
  expm1: { options: [], defaults: [], savesOutput: true },
  reciprocal: { options: [], defaults: [], savesOutput: true },
  square: { options: [], defaults: [], savesOutput: false },
  pow: { options: ['exponent'], defaults: [1], savesOutput: false },
  clamp: { options: ['min', 'max'], defaults: [-Infinity, Infinity], savesOutput: false, infiniteOk: true },
};

export const ACTIVATIONS = Object.keys(TABLE) as ActivationName[];

function entry(op: string, name: unknown): Entry {
  if (typeof name !== 'string' || !Object.hasOwn(TABLE, name)) {
    throw typeError(op, `name must be one of ${ACTIVATIONS.join(', ')}, but received ${describe(name)}`);
  }
  return TABLE[name as ActivationName];
}

function params(op: string, e: Entry, options: ActivationOptions | undefined): Params {
  const opts = readOptions(op, options, e.options);
  return e.options.map((key, i) =>
    opts[key] === undefined ? e.defaults[i]! : e.infiniteOk ? expectNotNaN(op, `options.${key}`, opts[key]) : expectFinite(op, `options.${key}`, opts[key]),
  ) as Params;
}

function expectNotNaN(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(op, `${name} must be a number, but received ${describe(value)}`);
  if (Number.isNaN(value)) throw rangeError(op, `${name} must be a number other than NaN, but received NaN`);
  return value;
}

type Fwd = (x: Float32Array, y: Float32Array, ...p: number[]) => void;
type Bwd = (src: Float32Array, dy: Float32Array, dx: Float32Array, ...p: number[]) => void;
const fns = native as unknown as Record<string, Fwd & Bwd>;

/**
 * Whether `activationBackward(name, ...)` takes the forward output (sigmoid, tanh, exp, sqrt, expm1,
 * reciprocal) rather than the input.
 */
export function activationSavesOutput(name: ActivationName): boolean {
  return entry('activationSavesOutput', name).savesOutput;
}

/** y = f(x) elementwise, as a new tensor of x's shape. */
export function activation(name: ActivationName, x: Tensor, options?: ActivationOptions): Tensor {
  const op = `activation(${String(name)})`;
  const e = entry(op, name);
  expectTensor(op, 'x', x);
  const p = params(op, e, options);
  const y = floatsForOverwrite(x.size);
  fns[`${name}Fwd`]!(x.data, y, ...p);
  return new Tensor(y, x.shape);
}

/**
 * dx = dy * f'(saved), where saved is the forward input x, or the forward output y
 * for the activations whose backward reads it (see activationSavesOutput).
 */
export function activationBackward(name: ActivationName, saved: Tensor, dy: Tensor, options?: ActivationOptions): Tensor {
  const op = `activationBackward(${String(name)})`;
  const e = entry(op, name);
  expectTensor(op, 'saved', saved);
  expectTensor(op, 'dy', dy);
  sameShape(op, 'saved', saved, 'dy', dy);
  const p = params(op, e, options);
  const dx = floatsForOverwrite(saved.size);
  fns[`${name}Bwd`]!(saved.data, dy.data, dx, ...p);
  return new Tensor(dx, saved.shape);
}

function sameShape(op: string, an: string, a: Tensor, bn: string, b: Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw shapeError(op, `${bn} has shape ${formatShape(b.shape)} but ${an} has shape ${formatShape(a.shape)}`);
  }
}

function rowsCols(op: string, x: Tensor): [number, number] {
  if (x.ndim < 1) throw shapeError(op, `x must have at least 1 dimension, but has shape ${formatShape(x.shape)}`);
  const cols = x.shape[x.ndim - 1]!;
  return [cols === 0 ? 0 : x.size / cols, cols];
}

/** Softmax along the last axis (numerically stable: max-shifted). */
export function softmax(x: Tensor): Tensor {
  expectTensor('softmax', 'x', x);
  const [rows, cols] = rowsCols('softmax', x);
  const y = floatsForOverwrite(x.size);
  native.softmaxFwd(x.data, y, rows, cols);
  return new Tensor(y, x.shape);
}

/** log(softmax(x)) along the last axis, computed as (x - max) - log(sum(exp(x - max))). */
export function logSoftmax(x: Tensor): Tensor {
  expectTensor('logSoftmax', 'x', x);
  const [rows, cols] = rowsCols('logSoftmax', x);
  const y = floatsForOverwrite(x.size);
  native.logSoftmaxFwd(x.data, y, rows, cols);
  return new Tensor(y, x.shape);
}

/** Gradient of softmax from its output y: y * (dy - sum(dy * y)) per row. */
export function softmaxBackward(y: Tensor, dy: Tensor): Tensor {
  const op = 'softmaxBackward';
  expectTensor(op, 'y', y);
  expectTensor(op, 'dy', dy);
  sameShape(op, 'y', y, 'dy', dy);
  const [rows, cols] = rowsCols(op, y);
  const dx = floatsForOverwrite(y.size);
  native.softmaxBwd(y.data, dy.data, dx, rows, cols);
  return new Tensor(dx, y.shape);
}

/** Gradient of logSoftmax from its output y: dy - exp(y) * sum(dy) per row. */
export function logSoftmaxBackward(y: Tensor, dy: Tensor): Tensor {
  const op = 'logSoftmaxBackward';
  expectTensor(op, 'y', y);
  expectTensor(op, 'dy', dy);
  sameShape(op, 'y', y, 'dy', dy);
  const [rows, cols] = rowsCols(op, y);
  const dx = floatsForOverwrite(y.size);
  native.logSoftmaxBwd(y.data, dy.data, dx, rows, cols);
  return new Tensor(dx, y.shape);
}
