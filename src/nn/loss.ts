/**
 * Loss modules and functions with gradients. Each loss is one fused native pass
 * computing the value and d(loss)/d(input) together; the graph node scales that
 * gradient by the incoming one.
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import * as L from '../ops/loss.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { classRows, crossEntropyProbabilities, isProbabilityTarget, lossesInShape, positionTargets } from './loss-class.js';
import { Module } from './module.js';
import { floats, copyOf } from '../memory.js';

export type Reduction = 'none' | 'mean' | 'sum';

/** Wraps a fused loss result as a tensor in the graph. */
function lossTensor(name: string, input: Tensor, r: L.LossResult, reduction: Reduction, rowsOnly = false): Tensor {
  const out = reduction === 'none' ? r.losses! : new Tensor(Float32Array.of(r.value), []);
  record(name, [input], [out], ([g]) => {
    const gd = g!.data;
    const dx = copyOf(r.grad.data);
    if (reduction !== 'none') {
      const s = gd[0]!;
      if (s !== 1) for (let i = 0; i < dx.length; i++) dx[i]! *= s;
    } else if (rowsOnly) {
      // Class losses: one loss per row, whose gradient lives in that row.
      const cols = dx.length / Math.max(1, gd.length);
      for (let row = 0; row < gd.length; row++) for (let j = 0; j < cols; j++) dx[row * cols + j]! *= gd[row]!;
    } else {
      for (let i = 0; i < dx.length; i++) dx[i]! *= gd[i]!;
    }
    return [new Tensor(dx, input.shape)];
  });
  return out;
}

function reductionOf(op: string, v: unknown): Reduction {
  if (v === undefined) return 'mean';
  if (v === 'none' || v === 'mean' || v === 'sum') return v;
  throw rangeError(op, `options.reduction must be "none", "mean" or "sum", but received ${describe(v)}`);
}

/**
 * Checks the scalar options a loss may take, so that a bad value fails with the caller's
 * name (a module at construction, a function before the kernel runs): delta > 0,
 * beta >= 0, an integer ignoreIndex, a finite margin, a boolean logTarget. (labelSmoothing
 * is checked by crossEntropy, as PyTorch checks it, in the forward.)
 */
function checkLossOptions(op: string, o: Partial<Record<string, unknown>>): void {
  if (o.delta !== undefined) {
    const delta = expectFinite(op, 'options.delta', o.delta);
    if (!(delta > 0)) throw rangeError(op, `options.delta must be > 0, but received ${delta}`);
  }
  if (o.beta !== undefined) {
    const beta = expectFinite(op, 'options.beta', o.beta);
    if (beta < 0) throw rangeError(op, `options.beta must be >= 0, but received ${beta}`);
  }
  if (o.ignoreIndex !== undefined) expectInteger(op, 'options.ignoreIndex', o.ignoreIndex, -(2 ** 31), 2 ** 31 - 1);
  if (o.margin !== undefined) expectFinite(op, 'options.margin', o.margin);
  if (o.logTarget !== undefined) expectBoolean(op, 'options.logTarget', o.logTarget);
}

export interface ReductionOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

export function mseLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const red = reductionOf('mseLoss', readOptions('mseLoss', options, ['reduction'] as const).reduction);
  return lossTensor('MseLossBackward', input, L.mseLoss(input, target, { reduction: red }), red);
}

export function l1Loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const red = reductionOf('l1Loss', readOptions('l1Loss', options, ['reduction'] as const).reduction);
  return lossTensor('L1LossBackward', input, L.l1Loss(input, target, { reduction: red }), red);
}

export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}
export function huberLoss(input: Tensor, target: Tensor, options?: HuberLossOptions): Tensor {
  const o = readOptions('huberLoss', options, ['reduction', 'delta'] as const);
  const red = reductionOf('huberLoss', o.reduction);
  checkLossOptions('huberLoss', o);
  return lossTensor('HuberLossBackward', input, L.huberLoss(input, target, { reduction: red, delta: o.delta as number | undefined }), red);
}

export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  beta?: number;
}
export function smoothL1Loss(input: Tensor, target: Tensor, options?: SmoothL1LossOptions): Tensor {
  const o = readOptions('smoothL1Loss', options, ['reduction', 'beta'] as const);
  const red = reductionOf('smoothL1Loss', o.reduction);
  checkLossOptions('smoothL1Loss', o);
  return lossTensor('SmoothL1LossBackward', input, L.smoothL1Loss(input, target, { reduction: red, beta: o.beta as number | undefined }), red);
}

export interface BCELossOptions extends ReductionOptions {
  /** A rescaling weight per element, broadcast to the input's shape (PyTorch's weight; default none). */
  weight?: Tensor;
}

/** The weight's values at every element of `shape` (right-aligned broadcasting, as torch.broadcast_to). */
function broadcastWeight(op: string, w: Tensor, shape: readonly number[]): Float32Array {
  const nd = shape.length;
  const off = nd - w.ndim;
  if (off < 0 || w.shape.some((d, i) => d !== 1 && d !== shape[off + i])) {
    throw shapeError(op, `options.weight of shape ${formatShape(w.shape)} does not broadcast to the input's shape ${formatShape(shape)}`);
  }
  const total = shape.reduce((a, b) => a * b, 1);
  const out = floats(total);
  const wStrides = shape.map((_, i) => {
    const j = i - off;
    if (j < 0 || w.shape[j] === 1) return 0;
    return w.shape.slice(j + 1).reduce((a, b) => a * b, 1);
  });
  const coord = new Array<number>(nd).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let k = 0;
    for (let d = 0; d < nd; d++) k += coord[d]! * wStrides[d]!;
    out[flat] = w.data[k]!;
    for (let d = nd - 1; d >= 0; d--) {
      if (++coord[d]! < shape[d]!) break;
      coord[d] = 0;
    }
  }
  return out;
}

/**
 * Rescales elementwise losses by a weight, as the weight of PyTorch's binary_cross_entropy
 * (_with_logits): from the unreduced result r, each loss and its derivative times w, then
 * the reduction ('mean' divides by the number of elements, not by the weights).
 */
function weighted(op: string, input: Tensor, r: L.LossResult, weight: unknown, red: Reduction): L.LossResult {
  const w = broadcastWeight(op, expectTensor(op, 'options.weight', weight), input.shape);
  const losses = r.losses!.data;
  const grad = r.grad.data;
  const scale = red === 'mean' ? 1 / losses.length : 1;
  let total = 0;
  for (let i = 0; i < losses.length; i++) {
    losses[i] = losses[i]! * w[i]!;
    grad[i] = grad[i]! * w[i]! * scale;
    total += losses[i]!;
  }
  const out: L.LossResult = { value: total * scale, grad: r.grad };
  if (red === 'none') out.losses = r.losses!;
  return out;
}

export function binaryCrossEntropy(input: Tensor, target: Tensor, options?: BCELossOptions): Tensor {
  const op = 'binaryCrossEntropy';
  const o = readOptions(op, options, ['reduction', 'weight'] as const);
  const red = reductionOf(op, o.reduction);
  if (o.weight === undefined || o.weight === null) return lossTensor('BinaryCrossEntropyBackward', input, L.bceLoss(input, target, { reduction: red }), red);
  const r = weighted(op, input, L.bceLoss(input, target, { reduction: 'none' }), o.weight, red);
  return lossTensor('BinaryCrossEntropyBackward', input, r, red);
}

export interface BCEWithLogitsLossOptions extends ReductionOptions {
  /** Weight of positive examples per class (last axis). */
  posWeight?: Tensor;
  /** A rescaling weight per element, broadcast to the input's shape (PyTorch's weight; default none). */
  weight?: Tensor;
}
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: BCEWithLogitsLossOptions): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const o = readOptions(op, options, ['reduction', 'posWeight', 'weight'] as const);
  const red = reductionOf(op, o.reduction);
  const pw = o.posWeight !== undefined && o.posWeight !== null ? { posWeight: o.posWeight as Tensor } : {};
  if (o.weight === undefined || o.weight === null) {
    return lossTensor('BinaryCrossEntropyWithLogitsBackward', input, L.bceWithLogitsLoss(input, target, { reduction: red, ...pw }), red);
  }
  const r = weighted(op, input, L.bceWithLogitsLoss(input, target, { reduction: 'none', ...pw }), o.weight, red);
  return lossTensor('BinaryCrossEntropyWithLogitsBackward', input, r, red);
}

export interface KLDivLossOptions {
  /**
   * 'mean' (default; averages over all elements, as PyTorch's 'mean'), 'batchmean'
   * (sum / input.shape[0]: the KL divergence proper), 'sum' or 'none'.
   */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

function klDivReductionOf(op: string, v: unknown): Reduction | 'batchmean' {
  if (v === 'batchmean') return v;
  if (v === undefined || v === 'none' || v === 'mean' || v === 'sum') return reductionOf(op, v);
  throw rangeError(op, `options.reduction must be "none", "batchmean", "mean" or "sum", but received ${describe(v)}`);
}

export function klDiv(input: Tensor, target: Tensor, options?: KLDivLossOptions): Tensor {
  const o = readOptions('klDiv', options, ['reduction', 'logTarget'] as const);
  const red = klDivReductionOf('klDiv', o.reduction);
  const r = L.klDivLoss(input, target, { reduction: red, logTarget: o.logTarget as boolean | undefined });
  // 'batchmean' is a scaled 'sum': one value, whose gradient the kernel has already scaled
  return lossTensor('KlDivBackward', input, r, red === 'batchmean' ? 'sum' : red);
}

/**
 * Class-index targets: a Tensor of integer values, an Int32Array or a number[] ([N], or
 * [N, d1, ...] for an input [N, C, d1, ...]); for crossEntropy also class probabilities:
 * a Tensor shaped like the input.
 */
export type ClassTargets = Tensor | Int32Array | Float32Array | number[];

function targetsOf(op: string, t: unknown): Tensor | Int32Array | Float32Array {
  if (t instanceof Tensor || t instanceof Int32Array || t instanceof Float32Array) return t;
  if (Array.isArray(t)) return Int32Array.from(t as number[]);
  throw typeError(op, `target must be a Tensor, Int32Array or array of class indices, but received ${describe(t)}`);
}

export interface NLLLossOptions extends ReductionOptions {
  /** A weight per class. */
  weight?: Tensor;
  /** Targets equal to this add nothing to the loss or the gradient (default -100). */
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood of log-probabilities [N, C], [C] or [N, C, d1, ...] (a class
 * per position, target [N, d1, ...]) at class indices.
 */
export function nllLoss(input: Tensor, target: ClassTargets, options?: NLLLossOptions): Tensor {
  const op = 'nllLoss';
  const o = readOptions(op, options, ['reduction', 'weight', 'ignoreIndex'] as const);
  const red = reductionOf(op, o.reduction);
  expectTensor(op, 'input', input);
  const t = targetsOf(op, target);
  const { rows, lossShape } = classRows(op, input);
  const r = L.nllLoss(rows, positionTargets(op, input, t, lossShape), {
    reduction: red,
    ...(o.weight !== undefined ? { weight: o.weight as Tensor } : {}),
    ...(o.ignoreIndex !== undefined ? { ignoreIndex: o.ignoreIndex as number } : {}),
  });
  return lossesInShape(lossTensor('NllLossBackward', rows, r, red, true), red, lossShape);
}

export interface CrossEntropyLossOptions extends NLLLossOptions {
  /** Mix the one-hot target with a uniform distribution by this much (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy from logits [N, C], [C] or [N, C, d1, ...]: against class indices (log-softmax
 * and NLL in one fused pass; target [N], [] or [N, d1, ...]), or against class probabilities
 * when the target is a Tensor shaped like the input (PyTorch's soft targets; 'mean' then
 * divides by the number of predictions and ignoreIndex is not allowed).
 */
export function crossEntropy(input: Tensor, target: ClassTargets, options?: CrossEntropyLossOptions): Tensor {
  const op = 'crossEntropy';
  const o = readOptions(op, options, ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing'] as const);
  const red = reductionOf(op, o.reduction);
  expectTensor(op, 'input', input);
  if (isProbabilityTarget(input, target)) return crossEntropyProbabilities(op, input, target, o, red);
  const t = targetsOf(op, target);
  const { rows, lossShape } = classRows(op, input);
  const r = L.crossEntropyLoss(rows, positionTargets(op, input, t, lossShape), {
    reduction: red,
    ...(o.weight !== undefined ? { weight: o.weight as Tensor } : {}),
    ...(o.ignoreIndex !== undefined ? { ignoreIndex: o.ignoreIndex as number } : {}),
    ...(o.labelSmoothing !== undefined ? { labelSmoothing: o.labelSmoothing as number } : {}),
  });
  return lossesInShape(lossTensor('CrossEntropyLossBackward', rows, r, red, true), red, lossShape);
}

function pairShapes(op: string, a: Tensor, b: Tensor, y: Tensor | null, rowsOf: (t: Tensor) => number): number {
  expectTensor(op, 'input1', a);
  expectTensor(op, 'input2', b);
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw shapeError(op, `input2 has shape ${formatShape(b.shape)} but input1 has ${formatShape(a.shape)}`);
  }
  const n = rowsOf(a);
  if (y !== null && y.size !== n) throw shapeError(op, `target has ${y.size} elements but the inputs hold ${n} pairs`);
  return n;
}

function reduceValues(values: Float64Array, red: Reduction): { out: Tensor; scale: (g: Tensor, i: number) => number } {
  if (red === 'none') return { out: new Tensor(Float32Array.from(values), [values.length]), scale: (g, i) => g.data[i]! };
  let s = 0;
  for (const v of values) s += v;
  const div = red === 'mean' ? Math.max(1, values.length) : 1;
  return { out: new Tensor(Float32Array.of(s / div), []), scale: (g) => g.data[0]! / div };
}

export interface MarginRankingLossOptions extends ReductionOptions {
  /** Default 0. */
  margin?: number;
}

/** max(0, -y (x1 - x2) + margin), with y = 1 or -1. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options?: MarginRankingLossOptions): Tensor {
  const op = 'marginRankingLoss';
  const o = readOptions(op, options, ['reduction', 'margin'] as const);
  const red = reductionOf(op, o.reduction);
  const margin = o.margin === undefined ? 0 : expectFinite(op, 'options.margin', o.margin);
  expectTensor(op, 'target', target);
  const n = pairShapes(op, input1, input2, target, (t) => t.size);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.max(0, -target.data[i]! * (input1.data[i]! - input2.data[i]!) + margin);
  const { out, scale } = reduceValues(values, red);
  record('MarginRankingLossBackward', [input1, input2], [out], ([g]) => {
    const d1 = floats(n);
    const d2 = floats(n);
    for (let i = 0; i < n; i++) {
      if (values[i]! > 0) {
        d1[i] = -target.data[i]! * scale(g!, i);
        d2[i] = target.data[i]! * scale(g!, i);
      }
    }
    return [new Tensor(d1, input1.shape), new Tensor(d2, input2.shape)];
  });
  return out;
}

export interface CosineEmbeddingLossOptions extends ReductionOptions {
  /** Default 0. */
  margin?: number;
}

/** 1 - cos(x1, x2) for y = 1; max(0, cos(x1, x2) - margin) for y = -1; rows of [N, D] (or one [D] pair). */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, options?: CosineEmbeddingLossOptions): Tensor {
  const op = 'cosineEmbeddingLoss';
  const o = readOptions(op, options, ['reduction', 'margin'] as const);
  const red = reductionOf(op, o.reduction);
  const margin = o.margin === undefined ? 0 : expectFinite(op, 'options.margin', o.margin);
  expectTensor(op, 'target', target);
  const n = pairShapes(op, input1, input2, target, (t) => (t.ndim <= 1 ? 1 : t.shape[0]!));
  const d = n === 0 ? 0 : input1.size / n;
  const EPS = 1e-12; // PyTorch's EPSILON in cosine_embedding_loss
  const values = new Float64Array(n);
  const cache = new Float64Array(n * 4); // dot, |a|^2+eps, |b|^2+eps, cos
  for (let i = 0; i < n; i++) {
    let dot = 0;
    let na = EPS;
    let nb = EPS;
    for (let j = 0; j < d; j++) {
      const a = input1.data[i * d + j]!;
      const b = input2.data[i * d + j]!;
      dot += a * b;
      na += a * a;
      nb += b * b;
    }
    const cos = dot / Math.sqrt(na * nb);
    cache.set([dot, na, nb, cos], i * 4);
    const y = target.data[i]!;
    if (y !== 1 && y !== -1) throw rangeError(op, `target[${i}] must be 1 or -1, but is ${y}`);
    values[i] = y === 1 ? 1 - cos : Math.max(0, cos - margin);
  }
  const { out, scale } = reduceValues(values, red);
  record('CosineEmbeddingLossBackward', [input1, input2], [out], ([g]) => {
    const d1 = floats(input1.size);
    const d2 = floats(input2.size);
    for (let i = 0; i < n; i++) {
      const [dot, na, nb, cos] = cache.subarray(i * 4, i * 4 + 4) as unknown as [number, number, number, number];
      const y = target.data[i]!;
      const sign = y === 1 ? -1 : cos - margin > 0 ? 1 : 0;
      if (sign === 0) continue;
      const k = sign * scale(g!, i);
      const inv = 1 / Math.sqrt(na * nb);
      for (let j = 0; j < d; j++) {
        const a = input1.data[i * d + j]!;
        const b = input2.data[i * d + j]!;
        d1[i * d + j] = k * (b * inv - (cos * a) / na);
        d2[i * d + j] = k * (a * inv - (cos * b) / nb);
      }
      void dot;
    }
    return [new Tensor(d1, input1.shape), new Tensor(d2, input2.shape)];
  });
  return out;
}

/** Tensor options that PyTorch keeps as buffers (so in the state dict): option name -> buffer name. */
const TENSOR_BUFFERS: Readonly<Record<string, string>> = { weight: 'weight', posWeight: 'pos_weight' };

/**
 * Loss modules: options fixed at construction, forward(input, target). Tensor options
 * (weight, posWeight) are registered as buffers under PyTorch's names, as its
 * _WeightedLoss and BCEWithLogitsLoss do: they appear in stateDict() and loadStateDict()
 * fills them in place, which the losses then use.
 */
abstract class LossModule<O extends object> extends Module {
  readonly options: O;
  constructor(op: string, options: O | undefined, known: readonly string[], readReduction: (op: string, v: unknown) => unknown = reductionOf) {
    super();
    this.options = readOptions(op, options, known) as O;
    readReduction(op, (this.options as { reduction?: unknown }).reduction);
    checkLossOptions(op, this.options as Partial<Record<string, unknown>>);
    for (const key of known) {
      const buffer = TENSOR_BUFFERS[key];
      const value = (this.options as Record<string, unknown>)[key];
      if (buffer === undefined || value === undefined || value === null) continue;
      this.registerBuffer(buffer, expectTensor(op, `options.${key}`, value as Tensor));
    }
  }
  override extraRepr(): string {
    return Object.entries(this.options)
      .filter(([, v]) => !(v instanceof Tensor))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? `'${v}'` : v}`)
      .join(', ');
  }
}

export class MSELoss extends LossModule<ReductionOptions> {
  constructor(options?: ReductionOptions) {
    super('MSELoss', options, ['reduction']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}
export class L1Loss extends LossModule<ReductionOptions> {
  constructor(options?: ReductionOptions) {
    super('L1Loss', options, ['reduction']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options);
  }
}
export class HuberLoss extends LossModule<HuberLossOptions> {
  constructor(options?: HuberLossOptions) {
    super('HuberLoss', options, ['reduction', 'delta']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options);
  }
}
export class SmoothL1Loss extends LossModule<SmoothL1LossOptions> {
  constructor(options?: SmoothL1LossOptions) {
    super('SmoothL1Loss', options, ['reduction', 'beta']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}
export class BCELoss extends LossModule<BCELossOptions> {
  constructor(options?: BCELossOptions) {
    super('BCELoss', options, ['reduction', 'weight']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.options);
  }
}
export class BCEWithLogitsLoss extends LossModule<BCEWithLogitsLossOptions> {
  constructor(options?: BCEWithLogitsLossOptions) {
    super('BCEWithLogitsLoss', options, ['reduction', 'weight', 'posWeight']);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, this.options);
  }
}
export class KLDivLoss extends LossModule<KLDivLossOptions> {
  constructor(options?: KLDivLossOptions) {
    super('KLDivLoss', options, ['reduction', 'logTarget'], klDivReductionOf);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}
export class NLLLoss extends LossModule<NLLLossOptions> {
  constructor(options?: NLLLossOptions) {
    super('NLLLoss', options, ['reduction', 'weight', 'ignoreIndex']);
  }
  /** input (log-probabilities) [N, C], [C] or [N, C, d1, ...]; target class indices [N], [] or [N, d1, ...]. */
  forward(input: Tensor, target: ClassTargets): Tensor {
    return nllLoss(input, target, this.options);
  }
}
export class CrossEntropyLoss extends LossModule<CrossEntropyLossOptions> {
  constructor(options?: CrossEntropyLossOptions) {
    super('CrossEntropyLoss', options, ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing']);
  }
  /** input [N, C], [C] or [N, C, d1, ...]; target class indices, or class probabilities shaped like input. */
  forward(input: Tensor, target: ClassTargets): Tensor {
    return crossEntropy(input, target, this.options);
  }
}
export class MarginRankingLoss extends LossModule<MarginRankingLossOptions> {
  constructor(options?: MarginRankingLossOptions) {
    super('MarginRankingLoss', options, ['reduction', 'margin']);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, this.options);
  }
}
export class CosineEmbeddingLoss extends LossModule<CosineEmbeddingLossOptions> {
  constructor(options?: CosineEmbeddingLossOptions) {
    super('CosineEmbeddingLoss', options, ['reduction', 'margin']);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, this.options);
  }
}
