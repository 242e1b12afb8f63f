/**
 * Losses over Tensors, value and input gradient in one fused native pass (PyTorch
 * 1.13 formulas, reductions and special values). Functional and low-level: each
 * returns { value, grad, losses? } where grad is d(value)/d(input) (for reduction
 * 'none': the elementwise derivative, i.e. an upstream gradient of ones) and losses
 * holds the unreduced losses for 'none'.
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { type LossReduction, native } from '../native.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { floats } from '../memory.js';

export type { LossReduction };

export interface LossResult {
  /** The reduced loss (for 'none': the sum of `losses`). */
  value: number;
  /** d(value)/d(input), shaped like the input. */
  grad: Tensor;
  /** Unreduced losses (reduction 'none' only). */
  losses?: Tensor;
}

export interface LossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: LossReduction;
}
export interface HuberLossOptions extends LossOptions {
  /** Quadratic below |x - t| < delta, linear above. Default 1. */
  delta?: number;
}
export interface SmoothL1LossOptions extends LossOptions {
  /** Quadratic below |x - t| < beta (0: plain L1). Default 1. */
  beta?: number;
}
export interface BceWithLogitsLossOptions extends LossOptions {
  /** Weight of positive examples per class (last axis), broadcast over rows. */
  posWeight?: Tensor;
}
export interface KlDivLossOptions {
  /**
   * 'mean' (default: averages over all elements, as PyTorch's 'mean'), 'batchmean'
   * (sum / input.shape[0], the KL divergence proper), 'sum' or 'none'.
   */
  reduction?: LossReduction | 'batchmean';
  /** The target is given as log-probabilities. Default false. */
  logTarget?: boolean;
}
export interface ClassLossOptions extends LossOptions {
  /** Per-class weights, length = number of classes. */
  weight?: Tensor;
  /** Targets equal to this contribute nothing (and are left out of the mean). Default -100. */
  ignoreIndex?: number;
}
export interface CrossEntropyLossOptions extends ClassLossOptions {
  /** Mix of the uniform distribution into the target, in [0, 1]. Default 0. */
  labelSmoothing?: number;
}

const EMPTY = new Float32Array(0);

function reduction(op: string, value: unknown): LossReduction {
  if (value === undefined) return 'mean';
  if (value === 'none' || value === 'mean' || value === 'sum') return value;
  throw typeError(op, `options.reduction must be 'none', 'mean' or 'sum', but received ${describe(value)}`);
}

function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (input.shape.length !== target.shape.length || input.shape.some((d, i) => d !== target.shape[i])) {
    throw shapeError(op, `target has shape ${formatShape(target.shape)} but input has shape ${formatShape(input.shape)}`);
  }
}

type PointCall = (x: Float32Array, t: Float32Array, grad: Float32Array, out: Float32Array, red: LossReduction) => number;

function pointwise(op: string, input: Tensor, target: Tensor, red: LossReduction, call: PointCall): LossResult {
  expectTensor(op, 'input', input);
  expectTensor(op, 'target', target);
  sameShape(op, input, target);
  const grad = floats(input.size);
  const out = red === 'none' ? floats(input.size) : EMPTY;
  const value = call(input.data, target.data, grad, out, red);
  const result: LossResult = { value, grad: new Tensor(grad, input.shape) };
  if (red === 'none') result.losses = new Tensor(out, input.shape);
  return result;
}

/** Mean squared error (x - t)^2. */
export function mseLoss(input: Tensor, target: Tensor, options?: LossOptions): LossResult {
  const o = readOptions('mseLoss', options, ['reduction'] as const);
  return pointwise('mseLoss', input, target, reduction('mseLoss', o.reduction), (...a) => native.mseLoss(...a));
}

/** Mean absolute error |x - t|. */
export function l1Loss(input: Tensor, target: Tensor, options?: LossOptions): LossResult {
  const o = readOptions('l1Loss', options, ['reduction'] as const);
  return pointwise('l1Loss', input, target, reduction('l1Loss', o.reduction), (...a) => native.l1Loss(...a));
}

/** Huber loss with threshold delta (> 0). */
export function huberLoss(input: Tensor, target: Tensor, options?: HuberLossOptions): LossResult {
  const o = readOptions('huberLoss', options, ['reduction', 'delta'] as const);
  const delta = o.delta === undefined ? 1 : expectFinite('huberLoss', 'options.delta', o.delta);
  return pointwise('huberLoss', input, target, reduction('huberLoss', o.reduction), (x, t, g, out, r) =>
    native.huberLoss(x, t, g, out, r, delta),
  );
}

/** Smooth L1 loss with threshold beta (>= 0). */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: SmoothL1LossOptions): LossResult {
  const o = readOptions('smoothL1Loss', options, ['reduction', 'beta'] as const);
  const beta = o.beta === undefined ? 1 : expectFinite('smoothL1Loss', 'options.beta', o.beta);
  return pointwise('smoothL1Loss', input, target, reduction('smoothL1Loss', o.reduction), (x, t, g, out, r) =>
    native.smoothL1Loss(x, t, g, out, r, beta),
  );
}

/** Binary cross-entropy of probabilities in [0, 1] (logs clamped at -100). */
export function bceLoss(input: Tensor, target: Tensor, options?: LossOptions): LossResult {
  const o = readOptions('bceLoss', options, ['reduction'] as const);
  return pointwise('bceLoss', input, target, reduction('bceLoss', o.reduction), (...a) => native.bceLoss(...a));
}

/** Binary cross-entropy on logits, in log-sum-exp form, with optional pos_weight. */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, options?: BceWithLogitsLossOptions): LossResult {
  const op = 'bceWithLogitsLoss';
  const o = readOptions(op, options, ['reduction', 'posWeight'] as const);
  const pw = o.posWeight === undefined ? undefined : expectTensor(op, 'options.posWeight', o.posWeight);
  const cols = input instanceof Tensor && input.ndim > 0 ? input.shape[input.ndim - 1]! : 1;
  if (pw && (pw.ndim !== 1 || pw.size !== cols)) {
    throw shapeError(op, `options.posWeight must have shape [${cols}] (the last axis of input), but has shape ${formatShape(pw.shape)}`);
  }
  return pointwise(op, input, target, reduction(op, o.reduction), (x, t, g, out, r) =>
    native.bceWithLogitsLoss(x, t, pw ? pw.data : EMPTY, g, out, r, Math.max(1, cols)),
  );
}

/** Kullback-Leibler divergence; input holds log-probabilities. */
export function klDivLoss(input: Tensor, target: Tensor, options?: KlDivLossOptions): LossResult {
  const op = 'klDivLoss';
  const o = readOptions(op, options, ['reduction', 'logTarget'] as const);
  const logTarget = o.logTarget === undefined ? false : expectBoolean(op, 'options.logTarget', o.logTarget);
  const batchmean = o.reduction === 'batchmean';
  const red = batchmean ? 'sum' : reduction(op, o.reduction);
  const r = pointwise(op, input, target, red, (x, t, g, out, rr) => native.klDivLoss(x, t, g, out, rr, logTarget));
  if (batchmean) {
    // PyTorch: sum / input.size(0) (a 0-d input counts as a batch of 1).
    const batch = input.ndim > 0 ? input.shape[0]! : 1;
    r.value /= batch;
    const g = r.grad.data;
    for (let i = 0; i < g.length; i++) g[i] = g[i]! / batch;
  }
  return r;
}

type ClassTarget = Int32Array | Float32Array | Tensor;

function classArgs(op: string, input: Tensor, target: ClassTarget, o: Partial<Record<string, unknown>>) {
  expectTensor(op, 'input', input);
  if (input.ndim !== 2) throw shapeError(op, `input must be 2-D [rows, classes], but has shape ${formatShape(input.shape)}`);
  const [rows, cols] = input.shape as [number, number];
  const t = target instanceof Tensor ? target.data : target;
  if (!(t instanceof Int32Array) && !(t instanceof Float32Array)) {
    throw typeError(op, `target must be an Int32Array, Float32Array or Tensor of class indices, but received ${describe(target)}`);
  }
  if (t.length !== rows) throw shapeError(op, `target must hold ${rows} class indices (one per row), but has ${t.length}`);
  const weight = o.weight === undefined ? undefined : expectTensor(op, 'options.weight', o.weight);
  if (weight && (weight.ndim !== 1 || weight.size !== cols)) {
    throw shapeError(op, `options.weight must have shape [${cols}], but has shape ${formatShape(weight.shape)}`);
  }
  const ignoreIndex = o.ignoreIndex === undefined ? -100 : expectInteger(op, 'options.ignoreIndex', o.ignoreIndex, -(2 ** 31), 2 ** 31 - 1);
  return { rows, cols, t, w: weight ? weight.data : EMPTY, ignoreIndex, red: reduction(op, o.reduction) };
}

function classResult(input: Tensor, value: number, grad: Float32Array, out: Float32Array, red: LossReduction, rows: number): LossResult {
  const result: LossResult = { value, grad: new Tensor(grad, input.shape) };
  if (red === 'none') result.losses = new Tensor(out, [rows]);
  return result;
}

/**
 * Cross-entropy from logits [rows, classes] and class indices (fused log_softmax +
 * NLL). 'mean' divides by the summed weights of non-ignored targets, as PyTorch does.
 */
export function crossEntropyLoss(input: Tensor, target: ClassTarget, options?: CrossEntropyLossOptions): LossResult {
  const op = 'crossEntropyLoss';
  const o = readOptions(op, options, ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing'] as const);
  const a = classArgs(op, input, target, o);
  const ls = o.labelSmoothing === undefined ? 0 : expectFinite(op, 'options.labelSmoothing', o.labelSmoothing);
  if (ls < 0 || ls > 1) throw rangeError(op, `options.labelSmoothing must be in [0, 1], but received ${ls}`);
  const grad = floats(input.size);
  const out = a.red === 'none' ? floats(a.rows) : EMPTY;
  const value = native.crossEntropyLoss(input.data, a.rows, a.cols, a.t, a.w, a.ignoreIndex, ls, grad, out, a.red);
  return classResult(input, value, grad, out, a.red, a.rows);
}

/** Negative log-likelihood of log-probabilities [rows, classes] at class indices. */
export function nllLoss(input: Tensor, target: ClassTarget, options?: ClassLossOptions): LossResult {
  const op = 'nllLoss';
  const o = readOptions(op, options, ['reduction', 'weight', 'ignoreIndex'] as const);
  const a = classArgs(op, input, target, o);
  const grad = floats(input.size);
  const out = a.red === 'none' ? floats(a.rows) : EMPTY;
  const value = native.nllLoss(input.data, a.rows, a.cols, a.t, a.w, a.ignoreIndex, grad, out, a.red);
  return classResult(input, value, grad, out, a.red, a.rows);
}
