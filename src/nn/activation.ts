/**
 * Activation modules and their functional forms, with gradients: one graph node
 * per call whose backward is the fused native backward of the same activation.
 */
import { record } from '../autograd/engine.js';
import { rangeError } from '../errors.js';
import {
  type ActivationName,
  type ActivationOptions,
  activation,
  activationBackward,
  activationSavesOutput,
  logSoftmax as logSoftmaxKernel,
  logSoftmaxBackward,
  softmax as softmaxKernel,
  softmaxBackward,
} from '../ops/activation.js';
import { transpose } from '../ops/shape-ops.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { describe, expectFinite, expectInteger, readOptions } from '../validate.js';
import { Module } from './module.js';

const NODE_NAMES: Record<ActivationName, string> = {
  relu: 'ReluBackward',
  leakyRelu: 'LeakyReluBackward',
  elu: 'EluBackward',
  selu: 'SeluBackward',
  gelu: 'GeluBackward',
  geluTanh: 'GeluBackward',
  silu: 'SiluBackward',
  mish: 'MishBackward',
  sigmoid: 'SigmoidBackward',
  tanh: 'TanhBackward',
  softplus: 'SoftplusBackward',
  hardtanh: 'HardtanhBackward',
  hardsigmoid: 'HardsigmoidBackward',
  hardswish: 'HardswishBackward',
  // PyTorch's grad_fn names (square is pow(x, 2) in 1.13).
  exp: 'ExpBackward',
  log: 'LogBackward',
  sqrt: 'SqrtBackward',
  abs: 'AbsBackward',
  log1p: 'Log1PBackward',
  expm1: 'Expm1Backward',
  reciprocal: 'ReciprocalBackward',
  square: 'PowBackward',
  pow: 'PowBackward',
  clamp: 'ClampBackward',
};

/** y = f(x) recorded with its backward (the elementwise math functions of ops/math.ts use it too). */
export function applyActivation(name: ActivationName, x: Tensor, options?: ActivationOptions): Tensor {
  expectTensor(name, 'input', x);
  const y = activation(name, x, options);
  const savesOutput = activationSavesOutput(name);
  record(NODE_NAMES[name], [x], [y], ([g]) => [activationBackward(name, savesOutput ? y : x, g!, options)]);
  return y;
}

export const relu = (x: Tensor): Tensor => applyActivation('relu', x);
export const selu = (x: Tensor): Tensor => applyActivation('selu', x);
export const silu = (x: Tensor): Tensor => applyActivation('silu', x);
export const mish = (x: Tensor): Tensor => applyActivation('mish', x);
export const sigmoid = (x: Tensor): Tensor => applyActivation('sigmoid', x);
export const tanh = (x: Tensor): Tensor => applyActivation('tanh', x);
export const hardsigmoid = (x: Tensor): Tensor => applyActivation('hardsigmoid', x);
export const hardswish = (x: Tensor): Tensor => applyActivation('hardswish', x);

export interface LeakyReLUOptions {
  /** Slope for x < 0 (default 0.01). */
  negativeSlope?: number;
}
export const leakyRelu = (x: Tensor, options?: LeakyReLUOptions): Tensor => applyActivation('leakyRelu', x, options);

export interface ELUOptions {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}
export const elu = (x: Tensor, options?: ELUOptions): Tensor => applyActivation('elu', x, options);

export interface GELUOptions {
  /** 'none' (default, exact erf form) or 'tanh' (the tanh approximation). */
  approximate?: 'none' | 'tanh';
}
export function gelu(x: Tensor, options?: GELUOptions): Tensor {
  const o = readOptions('gelu', options, ['approximate'] as const);
  const a = o.approximate ?? 'none';
  if (a !== 'none' && a !== 'tanh') throw rangeError('gelu', `options.approximate must be "none" or "tanh", but received ${describe(a)}`);
  return applyActivation(a === 'tanh' ? 'geluTanh' : 'gelu', x);
}

export interface SoftplusOptions {
  /** Default 1. */
  beta?: number;
  /** Above beta x > threshold the function is linear (default 20). */
  threshold?: number;
}
export const softplus = (x: Tensor, options?: SoftplusOptions): Tensor => applyActivation('softplus', x, options);

export interface HardtanhOptions {
  /** Default -1. */
  minVal?: number;
  /** Default 1. */
  maxVal?: number;
}
export function hardtanh(x: Tensor, options?: HardtanhOptions): Tensor {
  const o = readOptions('hardtanh', options, ['minVal', 'maxVal'] as const);
  const lo = o.minVal === undefined ? -1 : expectFinite('hardtanh', 'options.minVal', o.minVal);
  const hi = o.maxVal === undefined ? 1 : expectFinite('hardtanh', 'options.maxVal', o.maxVal);
  if (!(hi > lo)) throw rangeError('hardtanh', `options.maxVal must be greater than options.minVal, but received ${lo} and ${hi}`);
  return applyActivation('hardtanh', x, { minVal: lo, maxVal: hi });
}

/** Moves `dim` last, applies a last-axis op, and moves it back. */
/**
 * PyTorch 1.13's implicit dimension (torch.nn.functional._get_softmax_dim) when dim is
 * not given: 0 for 0-, 1- and 3-D inputs, 1 otherwise (a 3-D input is taken as one
 * unbatched [C, H, W] image, a 4-D one as [N, C, H, W]).
 */
function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

function alongDim(op: string, x: Tensor, dimArg: number | undefined, f: (t: Tensor) => Tensor): Tensor {
  expectTensor(op, 'input', x);
  const nd = Math.max(1, x.ndim);
  const dim = dimArg === undefined ? implicitSoftmaxDim(x.ndim) : dimArg;
  expectInteger(op, 'dim', dim, -nd, nd - 1);
  const d = dim < 0 ? dim + nd : dim;
  if (x.ndim === 0) return f(x.reshape(1)).reshape([]);
  if (d === x.ndim - 1) return f(x);
  return transpose(f(transpose(x, d, -1)), d, -1);
}

/**
 * softmax along dim. Without dim, PyTorch's implicit choice: dim 0 for 0-, 1- and 3-D
 * inputs, dim 1 otherwise (so the classes of [N, C] and the channels of [N, C, H, W]).
 */
export function softmax(x: Tensor, dim?: number): Tensor {
  return alongDim('softmax', x, dim, (t) => {
    const y = softmaxKernel(t);
    record('SoftmaxBackward', [t], [y], ([g]) => [softmaxBackward(y, g!)]);
    return y;
  });
}

/** log(softmax(x)) along dim, computed stably; without dim, softmax's implicit choice (0 for 0-, 1- and 3-D inputs, else 1). */
export function logSoftmax(x: Tensor, dim?: number): Tensor {
  return alongDim('logSoftmax', x, dim, (t) => {
    const y = logSoftmaxKernel(t);
    record('LogSoftmaxBackward', [t], [y], ([g]) => [logSoftmaxBackward(y, g!)]);
    return y;
  });
}

/** A module applying one activation; options are validated once, at construction. */
abstract class ActivationModule<O extends object = object> extends Module {
  protected readonly options: O;
  constructor(op: string, options: O | undefined, known: readonly string[], check?: (o: O) => void) {
    super();
    this.options = readOptions(op, options, known) as O;
    check?.(this.options);
  }
  abstract override forward(x: Tensor): Tensor;
  override extraRepr(): string {
    return Object.entries(this.options)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v}'` : v}`)
      .join(', ');
  }
}

function finiteOptions(op: string) {
  return (o: object) => {
    for (const [k, v] of Object.entries(o)) if (typeof v !== 'string') expectFinite(op, `options.${k}`, v);
  };
}

export class ReLU extends ActivationModule {
  constructor() {
    super('ReLU', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}
export class LeakyReLU extends ActivationModule<LeakyReLUOptions> {
  constructor(options?: LeakyReLUOptions) {
    super('LeakyReLU', options, ['negativeSlope'], finiteOptions('LeakyReLU'));
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.options);
  }
}
export class ELU extends ActivationModule<ELUOptions> {
  constructor(options?: ELUOptions) {
    super('ELU', options, ['alpha'], finiteOptions('ELU'));
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.options);
  }
}
export class SELU extends ActivationModule {
  constructor() {
    super('SELU', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return selu(x);
  }
}
export class GELU extends ActivationModule<GELUOptions> {
  constructor(options?: GELUOptions) {
    super('GELU', options, ['approximate'], (o) => {
      if (o.approximate !== undefined && o.approximate !== 'none' && o.approximate !== 'tanh') {
        throw rangeError('GELU', `options.approximate must be "none" or "tanh", but received ${describe(o.approximate)}`);
      }
    });
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.options);
  }
  /** PyTorch's `approximate`: 'none' (erf form, the default) or 'tanh'. */
  get approximate(): 'none' | 'tanh' {
    return this.options.approximate ?? 'none';
  }
}
export class SiLU extends ActivationModule {
  constructor() {
    super('SiLU', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}
export class Mish extends ActivationModule {
  constructor() {
    super('Mish', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return mish(x);
  }
}
export class Sigmoid extends ActivationModule {
  constructor() {
    super('Sigmoid', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}
export class Tanh extends ActivationModule {
  constructor() {
    super('Tanh', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}
export class Softplus extends ActivationModule<SoftplusOptions> {
  constructor(options?: SoftplusOptions) {
    super('Softplus', options, ['beta', 'threshold'], finiteOptions('Softplus'));
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.options);
  }
}
export class Hardtanh extends ActivationModule<HardtanhOptions> {
  constructor(options?: HardtanhOptions) {
    super('Hardtanh', options, ['minVal', 'maxVal'], (o) => {
      finiteOptions('Hardtanh')(o);
      const lo = o.minVal ?? -1;
      const hi = o.maxVal ?? 1;
      // PyTorch asserts max_val > min_val in the constructor
      if (!(hi > lo)) throw rangeError('Hardtanh', `options.maxVal must be greater than options.minVal, but received ${lo} and ${hi}`);
    });
  }
  forward(x: Tensor): Tensor {
    return hardtanh(x, this.options);
  }
}
export class Hardsigmoid extends ActivationModule {
  constructor() {
    super('Hardsigmoid', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return hardsigmoid(x);
  }
}
export class Hardswish extends ActivationModule {
  constructor() {
    super('Hardswish', undefined, []);
  }
  forward(x: Tensor): Tensor {
    return hardswish(x);
  }
}

export interface SoftmaxOptions {
  /**
   * The dimension that sums to one. Default: PyTorch's implicit choice, dim 0 for 0-, 1-
   * and 3-D inputs and dim 1 otherwise (pass dim: -1 for the last).
   */
  dim?: number;
}
export class Softmax extends ActivationModule<SoftmaxOptions> {
  constructor(options?: SoftmaxOptions) {
    super('Softmax', options, ['dim'], (o) => o.dim !== undefined && expectInteger('Softmax', 'options.dim', o.dim));
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.options.dim);
  }
}
export class LogSoftmax extends ActivationModule<SoftmaxOptions> {
  constructor(options?: SoftmaxOptions) {
    super('LogSoftmax', options, ['dim'], (o) => o.dim !== undefined && expectInteger('LogSoftmax', 'options.dim', o.dim));
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.options.dim);
  }
}
