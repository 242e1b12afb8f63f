/**
 * Normalization layers with PyTorch 1.13 semantics: BatchNorm1d/2d (running
 * statistics, momentum or cumulative average, numBatchesTracked), LayerNorm over the
 * trailing dimensions and GroupNorm; and their functional forms. Each call is one
 * native forward (statistics + normalise + affine) and one autograd node whose
 * backward is one fused native call (native/core/norm.cpp).
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { ones, zeros } from '../factories.js';
import { native } from '../native.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { floats } from '../memory.js';

const EMPTY = new Float32Array(0);

function optionalTensor(op: string, name: string, value: unknown): Tensor | null {
  if (value === undefined || value === null) return null;
  return expectTensor(op, name, value as Tensor);
}

function readEps(op: string, value: unknown): number {
  if (value === undefined) return 1e-5;
  const eps = expectFinite(op, 'options.eps', value);
  if (eps < 0) throw rangeError(op, `options.eps must be >= 0, but received ${eps}`);
  return eps;
}

function expectVector(op: string, name: string, t: Tensor | null, n: number, what: string): void {
  if (t !== null && (t.ndim !== 1 || t.shape[0] !== n)) {
    throw shapeError(op, `${name} must have shape [${n}] (${what}), but has shape ${formatShape(t.shape)}`);
  }
}

// ---------------------------------------------------------------------------
// batch norm

export interface BatchNormFunctionalOptions {
  /** Per-channel scale (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift (default none: 0). */
  bias?: Tensor | null;
  /** Use (and update) batch statistics (default false: use the running statistics). */
  training?: boolean;
  /** Running-statistics update factor (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * torch.nn.functional.batch_norm: input [N, C, *]. In training the batch statistics
 * normalise the input and, when runningMean / runningVar are given, update them in
 * place (running = (1 - momentum) running + momentum stat, with the unbiased variance);
 * otherwise the running statistics normalise.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options?: BatchNormFunctionalOptions): Tensor {
  const op = 'batchNorm';
  expectTensor(op, 'input', input);
  const rm = optionalTensor(op, 'runningMean', runningMean);
  const rv = optionalTensor(op, 'runningVar', runningVar);
  const o = readOptions(op, options, ['weight', 'bias', 'training', 'momentum', 'eps'] as const);
  const weight = optionalTensor(op, 'options.weight', o.weight);
  const bias = optionalTensor(op, 'options.bias', o.bias);
  const training = o.training === undefined ? false : expectBoolean(op, 'options.training', o.training);
  const momentum = o.momentum === undefined ? 0.1 : expectFinite(op, 'options.momentum', o.momentum);
  const eps = readEps(op, o.eps);
  if (input.ndim < 2) throw shapeError(op, `input must have at least 2 dimensions [N, C, *], but has shape ${formatShape(input.shape)}`);
  const [n, c] = input.shape as [number, number];
  const s = shapeSize(input.shape.slice(2));
  expectVector(op, 'runningMean', rm, c, `${c} channels`);
  expectVector(op, 'runningVar', rv, c, `${c} channels`);
  expectVector(op, 'options.weight', weight, c, `${c} channels`);
  expectVector(op, 'options.bias', bias, c, `${c} channels`);
  if ((rm === null) !== (rv === null)) throw rangeError(op, 'runningMean and runningVar must both be Tensors or both be null');
  if (!training && rm === null) throw rangeError(op, 'runningMean and runningVar are required when not training');
  if (training && n * s <= 1) {
    throw rangeError(op, `Expected more than 1 value per channel when training, got input size ${formatShape(input.shape)}`);
  }
  const y = floats(input.size);
  const saveMean = floats(c);
  const saveRstd = floats(c);
  native.batchNormForward(
    input.data, n, c, s, weight?.data ?? EMPTY, bias?.data ?? EMPTY, rm?.data ?? EMPTY, rv?.data ?? EMPTY,
    training, momentum, eps, y, saveMean, saveRstd,
  );
  const result = new Tensor(y, input.shape);
  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  record('BatchNormBackward', inputs, [result], ([g]) => {
    const dx = input.requiresGrad ? floats(input.size) : EMPTY;
    const dw = weight?.requiresGrad ? floats(c) : EMPTY;
    const db = bias?.requiresGrad ? floats(c) : EMPTY;
    native.batchNormBackward(input.data, g!.data, n, c, s, weight?.data ?? EMPTY, saveMean, saveRstd, training, dx, dw, db);
    return paramGrads(input, dx, weight, dw, bias, db);
  }, [input, ...(weight ? [weight] : [])]);
  return result;
}

function paramGrads(
  input: Tensor, dx: Float32Array, weight: Tensor | null, dw: Float32Array, bias: Tensor | null, db: Float32Array,
): (Tensor | null)[] {
  const grads: (Tensor | null)[] = [input.requiresGrad ? new Tensor(dx, input.shape) : null];
  if (weight) grads.push(weight.requiresGrad ? new Tensor(dw, weight.shape) : null);
  if (bias) grads.push(bias.requiresGrad ? new Tensor(db, bias.shape) : null);
  return grads;
}

// ---------------------------------------------------------------------------
// layer norm

export interface LayerNormFunctionalOptions {
  /** Elementwise scale of shape normalizedShape (default none). */
  weight?: Tensor | null;
  /** Elementwise shift of shape normalizedShape (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

function readNormalizedShape(op: string, value: unknown): number[] {
  const dims = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(dims) || dims.length === 0) {
    throw typeError(op, `normalizedShape must be a positive integer or a non-empty array of them, but received ${describe(value)}`);
  }
  return dims.map((d, i) => expectInteger(op, `normalizedShape[${i}]`, d, 1));
}

/** torch.nn.functional.layer_norm: normalises over the trailing dimensions normalizedShape. */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], options?: LayerNormFunctionalOptions): Tensor {
  const op = 'layerNorm';
  expectTensor(op, 'input', input);
  const shape = readNormalizedShape(op, normalizedShape);
  const o = readOptions(op, options, ['weight', 'bias', 'eps'] as const);
  const weight = optionalTensor(op, 'options.weight', o.weight);
  const bias = optionalTensor(op, 'options.bias', o.bias);
  const eps = readEps(op, o.eps);
  const k = shape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (input.ndim < k || tail.some((d, i) => d !== shape[i])) {
    throw shapeError(op, `input of shape ${formatShape(input.shape)} does not end with normalizedShape ${formatShape(shape)}`);
  }
  for (const [name, t] of [['options.weight', weight], ['options.bias', bias]] as const) {
    if (t !== null && (t.ndim !== k || t.shape.some((d, i) => d !== shape[i]))) {
      throw shapeError(op, `${name} must have shape ${formatShape(shape)} (normalizedShape), but has shape ${formatShape(t.shape)}`);
    }
  }
  const cols = shapeSize(shape);
  const rows = shapeSize(input.shape.slice(0, input.ndim - k));
  const y = floats(input.size);
  const saveMean = floats(rows);
  const saveRstd = floats(rows);
  native.layerNormForward(input.data, rows, cols, weight?.data ?? EMPTY, bias?.data ?? EMPTY, eps, y, saveMean, saveRstd);
  const result = new Tensor(y, input.shape);
  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  record('LayerNormBackward', inputs, [result], ([g]) => {
    const dx = input.requiresGrad ? floats(input.size) : EMPTY;
    const dw = weight?.requiresGrad ? floats(cols) : EMPTY;
    const db = bias?.requiresGrad ? floats(cols) : EMPTY;
    native.layerNormBackward(input.data, g!.data, rows, cols, weight?.data ?? EMPTY, saveMean, saveRstd, dx, dw, db);
    return paramGrads(input, dx, weight, dw, bias, db);
  }, [input, ...(weight ? [weight] : [])]);
  return result;
}

// ---------------------------------------------------------------------------
// group norm

export interface GroupNormFunctionalOptions {
  /** Per-channel scale (default none). */
  weight?: Tensor | null;
  /** Per-channel shift (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** torch.nn.functional.group_norm: input [N, C, *], statistics per sample over C/numGroups channels. */
export function groupNorm(input: Tensor, numGroups: number, options?: GroupNormFunctionalOptions): Tensor {
  const op = 'groupNorm';
  expectTensor(op, 'input', input);
  const groups = expectInteger(op, 'numGroups', numGroups, 1);
  const o = readOptions(op, options, ['weight', 'bias', 'eps'] as const);
  const weight = optionalTensor(op, 'options.weight', o.weight);
  const bias = optionalTensor(op, 'options.bias', o.bias);
  const eps = readEps(op, o.eps);
  if (input.ndim < 2) throw shapeError(op, `input must have at least 2 dimensions [N, C, *], but has shape ${formatShape(input.shape)}`);
  const [n, c] = input.shape as [number, number];
  if (c % groups !== 0) throw shapeError(op, `the ${c} channels of input ${formatShape(input.shape)} are not divisible into ${groups} groups`);
  expectVector(op, 'options.weight', weight, c, `${c} channels`);
  expectVector(op, 'options.bias', bias, c, `${c} channels`);
  const s = shapeSize(input.shape.slice(2));
  const y = floats(input.size);
  const saveMean = floats(n * groups);
  const saveRstd = floats(n * groups);
  native.groupNormForward(input.data, n, c, s, groups, weight?.data ?? EMPTY, bias?.data ?? EMPTY, eps, y, saveMean, saveRstd);
  const result = new Tensor(y, input.shape);
  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  record('GroupNormBackward', inputs, [result], ([g]) => {
    const dx = input.requiresGrad ? floats(input.size) : EMPTY;
    const dw = weight?.requiresGrad ? floats(c) : EMPTY;
    const db = bias?.requiresGrad ? floats(c) : EMPTY;
    native.groupNormBackward(input.data, g!.data, n, c, s, groups, weight?.data ?? EMPTY, saveMean, saveRstd, dx, dw, db);
    return paramGrads(input, dx, weight, dw, bias, db);
  }, [input, ...(weight ? [weight] : [])]);
  return result;
}

// ---------------------------------------------------------------------------
// modules

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-statistics update factor (default 0.1); null: cumulative moving average. */
  momentum?: number | null;
  /** Learnable per-channel weight and bias (default true). */
  affine?: boolean;
  /** Keep running statistics and use them in eval mode (default true). */
  trackRunningStats?: boolean;
}

abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;

  constructor(op: string, numFeatures: number, options?: BatchNormOptions) {
    super();
    this.numFeatures = expectInteger(op, 'numFeatures', numFeatures, 1);
    const o = readOptions(op, options, ['eps', 'momentum', 'affine', 'trackRunningStats'] as const);
    this.eps = readEps(op, o.eps);
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum === null ? null : expectFinite(op, 'options.momentum', o.momentum);
    this.affine = o.affine === undefined ? true : expectBoolean(op, 'options.affine', o.affine);
    this.trackRunningStats = o.trackRunningStats === undefined ? true : expectBoolean(op, 'options.trackRunningStats', o.trackRunningStats);
    this.weight = this.registerParameter('weight', this.affine ? new Parameter(ones(numFeatures)) : null);
    this.bias = this.registerParameter('bias', this.affine ? new Parameter(zeros(numFeatures)) : null);
    if (this.trackRunningStats) {
      this.runningMean = this.registerBuffer('running_mean', zeros(numFeatures));
      this.runningVar = this.registerBuffer('running_var', ones(numFeatures));
      // PyTorch keeps an int64 scalar; here a float32 scalar (exact up to 2^24 batches).
      this.numBatchesTracked = this.registerBuffer('num_batches_tracked', new Tensor(new Float32Array(1), []));
    } else {
      this.runningMean = this.registerBuffer('running_mean', null);
      this.runningVar = this.registerBuffer('running_var', null);
      this.numBatchesTracked = this.registerBuffer('num_batches_tracked', null);
    }
  }

  /** Running statistics back to mean 0, variance 1, no batches tracked. */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    this.runningMean!.data.fill(0);
    this.runningVar!.data.fill(1);
    this.numBatchesTracked!.data[0] = 0;
  }

  /** Running statistics reset; weight 1, bias 0 (PyTorch's reset_parameters). */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      this.weight!.data.fill(1);
      this.bias!.data.fill(0);
    }
  }

  protected abstract checkInput(input: Tensor): void;

  forward(input: Tensor): Tensor {
    expectTensor(this.constructor.name, 'input', input);
    this.checkInput(input);
    if (input.shape[1] !== this.numFeatures) {
      throw shapeError(this.constructor.name, `expected ${this.numFeatures} channels (dimension 1), but input has shape ${formatShape(input.shape)}`);
    }
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const nbt = this.numBatchesTracked!;
      nbt.data[0] = nbt.data[0]! + 1;
      factor = this.momentum === null ? 1 / nbt.data[0]! : this.momentum;
    }
    const batchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const track = !this.training || this.trackRunningStats;
    return batchNorm(input, track ? this.runningMean : null, track ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: batchStats,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** nn.BatchNorm1d over [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options?: BatchNormOptions) {
    super('BatchNorm1d', numFeatures, options);
  }

  protected checkInput(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw shapeError('BatchNorm1d', `expected 2D or 3D input (got ${input.ndim}D input)`);
    }
  }
}

/** nn.BatchNorm2d over [N, C, H, W]. */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options?: BatchNormOptions) {
    super('BatchNorm2d', numFeatures, options);
  }

  protected checkInput(input: Tensor): void {
    if (input.ndim !== 4) throw shapeError('BatchNorm2d', `expected 4D input (got ${input.ndim}D input)`);
  }
}

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learnable elementwise weight and bias of shape normalizedShape (default true). */
  elementwiseAffine?: boolean;
}

/** nn.LayerNorm over the trailing dimensions normalizedShape. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions) {
    super();
    const op = 'LayerNorm';
    this.normalizedShape = Object.freeze(readNormalizedShape(op, normalizedShape));
    const o = readOptions(op, options, ['eps', 'elementwiseAffine'] as const);
    this.eps = readEps(op, o.eps);
    this.elementwiseAffine = o.elementwiseAffine === undefined ? true : expectBoolean(op, 'options.elementwiseAffine', o.elementwiseAffine);
    this.weight = this.registerParameter('weight', this.elementwiseAffine ? new Parameter(ones([...this.normalizedShape])) : null);
    this.bias = this.registerParameter('bias', this.elementwiseAffine ? new Parameter(zeros([...this.normalizedShape])) : null);
  }

  /** Weight 1, bias 0. */
  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learnable per-channel weight and bias (default true). */
  affine?: boolean;
}

/** nn.GroupNorm: input [N, C, *], C split into numGroups groups. */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options?: GroupNormOptions) {
    super();
    const op = 'GroupNorm';
    this.numGroups = expectInteger(op, 'numGroups', numGroups, 1);
    this.numChannels = expectInteger(op, 'numChannels', numChannels, 1);
    if (numChannels % numGroups !== 0) throw rangeError(op, `numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    const o = readOptions(op, options, ['eps', 'affine'] as const);
    this.eps = readEps(op, o.eps);
    this.affine = o.affine === undefined ? true : expectBoolean(op, 'options.affine', o.affine);
    this.weight = this.registerParameter('weight', this.affine ? new Parameter(ones(numChannels)) : null);
    this.bias = this.registerParameter('bias', this.affine ? new Parameter(zeros(numChannels)) : null);
  }

  /** Weight 1, bias 0. */
  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(input: Tensor): Tensor {
    expectTensor('GroupNorm', 'input', input);
    if (input.ndim < 2 || input.shape[1] !== this.numChannels) {
      throw shapeError('GroupNorm', `expected input [N, ${this.numChannels}, *], but received shape ${formatShape(input.shape)}`);
    }
    return groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
