/**
 * More activations as PyTorch 1.13's torch.nn / torch.nn.functional: PReLU, ReLU6,
 * LogSigmoid, Softsign, Softmin, GLU, Threshold and CELU. Each is a composition of
 * the native-backed differentiable ops (arith, math, compare, where, maximum), chosen
 * so that values and gradients at NaN, +-Infinity, -0 and the kinks are PyTorch's
 * (measured on 1.13; scripts/fixtures/nn_extra_modules.py records them).
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { add, div, mul, neg, sub } from '../ops/arith.js';
import { gt, le } from '../ops/compare.js';
import { abs, exp, log1p } from '../ops/math.js';
import { minimum } from '../ops/maximum.js';
import { narrow } from '../ops/shape-ops.js';
import { maskedFill, where } from '../ops/where.js';
import { formatShape } from '../shape.js';
import { zeros } from '../factories.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { describe, expectFinite, expectInteger, readOptions } from '../validate.js';
import { hardtanh, sigmoid, softmax } from './activation.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/**
 * PReLU: max(0, x) + weight * min(0, x), with weight (0-d or 1-D) either one element
 * or one per channel, the channel being dimension 1 of the input. As PyTorch 1.13, a
 * 0-d or 1-D input has one channel (so it takes a one-element weight only). Gradients
 * as PyTorch's: to x, 1 where x > 0 and weight elsewhere (NaN included); to weight,
 * x * grad where x <= 0 (NaN there), summed over everything but the channel.
 */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  return preluAs('prelu', input, weight);
}

function preluAs(op: string, input: Tensor, weight: Tensor): Tensor {
  expectTensor(op, 'input', input);
  expectTensor(op, 'weight', weight);
  if (weight.ndim > 1) throw shapeError(op, `weight must be a 0-d or 1-D tensor, but received a Tensor of shape ${formatShape(weight.shape)}`);
  const n = weight.size;
  const channels = input.ndim >= 2 ? input.shape[1]! : 1;
  if (n !== 1 && n !== channels) {
    const where = input.ndim >= 2 ? `dimension 1 of the input, of size ${channels}` : `a ${input.ndim}-d input has 1`;
    throw shapeError(op, `weight must have 1 element or one per channel (${where}), but received a weight of ${n} elements`);
  }
  // weight shaped to broadcast along dimension 1: [C, 1, ..., 1]
  const w = input.ndim >= 2 ? weight.reshape([n, ...new Array<number>(input.ndim - 2).fill(1)]) : weight.reshape(input.ndim === 0 ? [] : [n]);
  const positive = gt(input, 0);
  // The negative part with zeros where x > 0, so that an infinite x adds no NaN to weight's gradient.
  const negative = maskedFill(input, positive, 0);
  return where(positive, input, mul(w, negative));
}

/**
 * min(max(x, 0), 6): PyTorch's relu6 is hardtanh(x, 0, 6) (gradient 0 at 0 and 6; a zero
 * keeps its sign, relu6(-0) = -0).
 */
export function relu6(input: Tensor): Tensor {
  expectTensor('relu6', 'input', input);
  return hardtanh(input, { minVal: 0, maxVal: 6 });
}

/**
 * log(sigmoid(x)), computed as PyTorch does, min(x, 0) - log1p(exp(-|x|)): no overflow
 * for large |x| (logsigmoid(-1e30) = -1e30, logsigmoid(1e30) = 0); gradient 0.5 at 0.
 */
export function logsigmoid(input: Tensor): Tensor {
  expectTensor('logsigmoid', 'input', input);
  return sub(minimum(input, 0), log1p(exp(neg(abs(input)))));
}

/** x / (1 + |x|), as PyTorch composes it (so +-Infinity gives NaN, as in PyTorch). */
export function softsign(input: Tensor): Tensor {
  expectTensor('softsign', 'input', input);
  return div(input, add(abs(input), 1));
}

/**
 * softmax(-x) along dim. Without dim, PyTorch's implicit choice as softmax's: dim 0 for
 * 0-, 1- and 3-D inputs, 1 otherwise.
 */
export function softmin(input: Tensor, dim?: number): Tensor {
  return softminAs('softmin', input, dim);
}

function softminAs(op: string, input: Tensor, dim: number | undefined): Tensor {
  expectTensor(op, 'input', input);
  const nd = Math.max(1, input.ndim);
  if (dim !== undefined) expectInteger(op, 'dim', dim, -nd, nd - 1);
  return softmax(neg(input), dim);
}

/** An integer option (any sign: dims are checked against the input later). */
function integerOption(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') return expectInteger(op, name, value);
  if (!Number.isInteger(value)) throw rangeError(op, `${name} must be an integer, but received ${value}`);
  return value;
}

/**
 * The gated linear unit: the input halved along dim (default -1) into a and b, then
 * a * sigmoid(b). The halved dimension must have an even size.
 */
export function glu(input: Tensor, dim = -1): Tensor {
  return gluAs('glu', input, dim);
}

function gluAs(op: string, input: Tensor, dim: number): Tensor {
  expectTensor(op, 'input', input);
  if (input.ndim === 0) throw shapeError(op, 'input must have at least 1 dimension (the halved one), but received a 0-d Tensor');
  expectInteger(op, 'dim', dim, -input.ndim, input.ndim - 1);
  const d = dim < 0 ? dim + input.ndim : dim;
  const size = input.shape[d]!;
  if (size % 2 !== 0) {
    throw shapeError(op, `dimension ${dim} of the input is halved and must have an even size, but received size ${size} (input shape ${formatShape(input.shape)})`);
  }
  const half = size / 2;
  return mul(narrow(input, d, 0, half), sigmoid(narrow(input, d, half, half)));
}

/**
 * x where x > threshold, else value (PyTorch: x <= threshold ? value : x, so NaN stays
 * NaN and passes its gradient). The gradient is 1 where x is kept, 0 where replaced.
 */
export function threshold(input: Tensor, threshold: number, value: number): Tensor {
  const op = 'threshold';
  expectTensor(op, 'input', input);
  if (typeof threshold !== 'number') throw typeError(op, `threshold must be a number, but received ${describe(threshold)}`);
  if (typeof value !== 'number') throw typeError(op, `value must be a number, but received ${describe(value)}`);
  return maskedFill(input, le(input, threshold), value);
}

export interface CELUOptions {
  /** Scale of the negative part and divisor inside its exp (default 1; must not be 0). */
  alpha?: number;
}

function celuAlpha(op: string, options: CELUOptions | undefined): number {
  const o = readOptions(op, options, ['alpha'] as const);
  const alpha = o.alpha === undefined ? 1 : expectFinite(op, 'options.alpha', o.alpha);
  if (alpha === 0) throw rangeError(op, 'options.alpha must be a nonzero number (it divides x), but received 0');
  return alpha;
}

/**
 * x for x > 0, alpha * (exp(x / alpha) - 1) otherwise, as PyTorch's kernel computes it
 * (exp then subtract 1: celu(-0) is +0). Gradient 1 at 0 and NaN at NaN, as PyTorch's
 * vectorised CPU loop.
 */
export function celu(input: Tensor, options?: CELUOptions): Tensor {
  expectTensor('celu', 'input', input);
  const alpha = celuAlpha('celu', options);
  // The negative branch reads x with zeros where x > 0, so a large positive x cannot overflow
  // exp into a NaN gradient, while a NaN reaches it: PyTorch's vectorised backward gives
  // NaN there (its scalar tail loop gives the upstream gradient; axonal follows the former).
  const negative = mul(sub(exp(div(maskedFill(input, gt(input, 0), 0), alpha)), 1), alpha);
  return where(le(input, 0), negative, input);
}

/** A module over one of the functions above; extraRepr lists its settings. */
abstract class SettingsModule extends Module {
  protected abstract settings(): Record<string, number | string | undefined>;
  override extraRepr(): string {
    return Object.entries(this.settings())
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v}'` : v}`)
      .join(', ');
  }
}

export interface PReLUOptions {
  /** Number of learned slopes: 1 (shared) or the number of channels, dimension 1 of the input (default 1). */
  numParameters?: number;
  /** Initial value of every slope (default 0.25). */
  init?: number;
}

/** PReLU with a learnable weight of shape [numParameters] (state-dict key "weight"). */
export class PReLU extends SettingsModule {
  readonly weight: Parameter;
  readonly numParameters: number;
  constructor(options?: PReLUOptions) {
    super();
    const o = readOptions('PReLU', options, ['numParameters', 'init'] as const);
    this.numParameters = o.numParameters === undefined ? 1 : expectInteger('PReLU', 'options.numParameters', o.numParameters, 1);
    const init = o.init === undefined ? 0.25 : expectFinite('PReLU', 'options.init', o.init);
    const w = zeros(this.numParameters);
    w.data.fill(init);
    this.weight = this.registerParameter('weight', new Parameter(w));
  }
  forward(x: Tensor): Tensor {
    return preluAs('PReLU', x, this.weight);
  }
  protected settings() {
    return { numParameters: this.numParameters };
  }
}

export class ReLU6 extends SettingsModule {
  forward(x: Tensor): Tensor {
    return relu6(x);
  }
  protected settings() {
    return {};
  }
}

export class LogSigmoid extends SettingsModule {
  forward(x: Tensor): Tensor {
    return logsigmoid(x);
  }
  protected settings() {
    return {};
  }
}

export class Softsign extends SettingsModule {
  forward(x: Tensor): Tensor {
    return softsign(x);
  }
  protected settings() {
    return {};
  }
}

export interface SoftminOptions {
  /**
   * The dimension that sums to one. Default: PyTorch's implicit choice, dim 0 for 0-, 1-
   * and 3-D inputs and dim 1 otherwise (pass dim: -1 for the last).
   */
  dim?: number;
}

export class Softmin extends SettingsModule {
  readonly dim: number | undefined;
  constructor(options?: SoftminOptions) {
    super();
    const o = readOptions('Softmin', options, ['dim'] as const);
    this.dim = o.dim === undefined ? undefined : integerOption('Softmin', 'options.dim', o.dim);
  }
  forward(x: Tensor): Tensor {
    return softminAs('Softmin', x, this.dim);
  }
  protected settings() {
    return { dim: this.dim };
  }
}

export interface GLUOptions {
  /** The dimension halved into a and b (default -1). */
  dim?: number;
}

export class GLU extends SettingsModule {
  readonly dim: number;
  constructor(options?: GLUOptions) {
    super();
    const o = readOptions('GLU', options, ['dim'] as const);
    this.dim = o.dim === undefined ? -1 : integerOption('GLU', 'options.dim', o.dim);
  }
  forward(x: Tensor): Tensor {
    return gluAs('GLU', x, this.dim);
  }
  protected settings() {
    return { dim: this.dim };
  }
}

/** y = x where x > threshold, else value (PyTorch's nn.Threshold(threshold, value)). */
export class Threshold extends SettingsModule {
  readonly threshold: number;
  readonly value: number;
  constructor(threshold: number, value: number) {
    super();
    if (typeof threshold !== 'number') throw typeError('Threshold', `threshold must be a number, but received ${describe(threshold)}`);
    if (typeof value !== 'number') throw typeError('Threshold', `value must be a number, but received ${describe(value)}`);
    this.threshold = threshold;
    this.value = value;
  }
  forward(x: Tensor): Tensor {
    return threshold(x, this.threshold, this.value);
  }
  protected settings() {
    return { threshold: this.threshold, value: this.value };
  }
}

export class CELU extends SettingsModule {
  readonly alpha: number;
  constructor(options?: CELUOptions) {
    super();
    this.alpha = celuAlpha('CELU', options);
  }
  forward(x: Tensor): Tensor {
    return celu(x, { alpha: this.alpha });
  }
  protected settings() {
    return { alpha: this.alpha };
  }
}
