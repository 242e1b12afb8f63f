/**
 * Metrics accumulated over batches: reset(), update(output, target) per batch,
 * result() at the end. Classification metrics take logits or probabilities
 * [N, C] with class-index targets [N]; a single output column [N] or [N, 1] is
 * a binary prediction thresholded at `threshold` (0.5 by default).
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { describe, expectFinite, expectInteger, readOptions } from '../validate.js';

export interface Metric {
  readonly name: string;
  reset(): void;
  /**
   * Folds one batch in. The tensors are recycled after the batch (fit's buffer pool):
   * keep numbers, or clone() what must outlive the call.
   */
  update(output: Tensor, target: Tensor): void;
  result(): number;
}

function classesOf(output: Tensor): number {
  if (output.ndim === 1) return 1;
  return output.shape[output.ndim - 1]!;
}

function rowsOf(op: string, output: Tensor, target: Tensor): number {
  const c = classesOf(output);
  const n = c === 0 ? 0 : output.size / c;
  if (target.size !== n) {
    throw shapeError(op, `target has shape ${formatShape(target.shape)} but output ${formatShape(output.shape)} has ${n} samples`);
  }
  return n;
}

/** Predicted class per row (argmax, or the thresholded single column). */
function predictions(output: Tensor, threshold: number): Int32Array {
  const c = classesOf(output);
  const n = output.size / Math.max(1, c);
  const pred = new Int32Array(n);
  const d = output.data;
  for (let i = 0; i < n; i++) {
    if (c === 1) {
      pred[i] = d[i]! > threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    let bestV = d[i * c]!;
    for (let j = 1; j < c; j++) {
      const v = d[i * c + j]!;
      if (v > bestV || (Number.isNaN(v) && !Number.isNaN(bestV))) {
        best = j;
        bestV = v;
      }
    }
    pred[i] = best;
  }
  return pred;
}

export interface ClassificationMetricOptions {
  /** Threshold for single-column (binary) outputs (default 0.5; use 0 for logits). */
  threshold?: number;
}

class Accuracy implements Metric {
  readonly name: string = 'accuracy';
  #correct = 0;
  #total = 0;
  constructor(readonly threshold: number) {}
  reset(): void {
    this.#correct = 0;
    this.#total = 0;
  }
  update(output: Tensor, target: Tensor): void {
    const n = rowsOf('accuracy', output, target);
    const pred = predictions(output, this.threshold);
    for (let i = 0; i < n; i++) if (pred[i] === Math.round(target.data[i]!)) this.#correct++;
    this.#total += n;
  }
  result(): number {
    return this.#total === 0 ? NaN : this.#correct / this.#total;
  }
}

class TopKAccuracy implements Metric {
  readonly name: string;
  #correct = 0;
  #total = 0;
  constructor(readonly k: number) {
    this.name = `top${k}Accuracy`;
  }
  reset(): void {
    this.#correct = 0;
    this.#total = 0;
  }
  update(output: Tensor, target: Tensor): void {
    const n = rowsOf(this.name, output, target);
    const c = classesOf(output);
    for (let i = 0; i < n; i++) {
      const t = Math.round(target.data[i]!);
      const v = output.data[i * c + t]!;
      let above = 0;
      for (let j = 0; j < c; j++) {
        const o = output.data[i * c + j]!;
        if (o > v || (o === v && j < t)) above++;
      }
      if (above < this.k) this.#correct++;
    }
    this.#total += n;
  }
  result(): number {
    return this.#total === 0 ? NaN : this.#correct / this.#total;
  }
}

type Average = 'macro' | 'micro' | 'binary';

export interface PrecisionRecallOptions extends ClassificationMetricOptions {
  /** 'macro' (default for several classes): mean over classes; 'micro': pooled counts; 'binary': class 1 only. */
  average?: Average;
}

class ConfusionMetric implements Metric {
  #tp = new Map<number, number>();
  #fp = new Map<number, number>();
  #fn = new Map<number, number>();
  #classes = new Set<number>();
  constructor(
    readonly name: string,
    readonly kind: 'precision' | 'recall' | 'f1',
    readonly threshold: number,
    readonly average: Average | undefined,
  ) {}
  reset(): void {
    this.#tp.clear();
    this.#fp.clear();
    this.#fn.clear();
    this.#classes.clear();
  }
  update(output: Tensor, target: Tensor): void {
    const n = rowsOf(this.name, output, target);
    const pred = predictions(output, this.threshold);
    const c = classesOf(output);
    for (let j = 0; j < Math.max(2, c); j++) this.#classes.add(j);
    const inc = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
    for (let i = 0; i < n; i++) {
      const t = Math.round(target.data[i]!);
      const p = pred[i]!;
      if (p === t) inc(this.#tp, t);
      else {
        inc(this.#fp, p);
        inc(this.#fn, t);
      }
    }
  }
  #score(tp: number, fp: number, fn: number): number {
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    if (this.kind === 'precision') return precision;
    if (this.kind === 'recall') return recall;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  result(): number {
    const classes = [...this.#classes].sort((a, b) => a - b);
    const average = this.average ?? (classes.length <= 2 ? 'binary' : 'macro');
    const get = (m: Map<number, number>, k: number) => m.get(k) ?? 0;
    if (average === 'binary') return this.#score(get(this.#tp, 1), get(this.#fp, 1), get(this.#fn, 1));
    if (average === 'micro') {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const k of classes) {
        tp += get(this.#tp, k);
        fp += get(this.#fp, k);
        fn += get(this.#fn, k);
      }
      return this.#score(tp, fp, fn);
    }
    if (classes.length === 0) return NaN;
    return classes.reduce((s, k) => s + this.#score(get(this.#tp, k), get(this.#fp, k), get(this.#fn, k)), 0) / classes.length;
  }
}

class RegressionMetric implements Metric {
  #sum = 0;
  #sumSq = 0;
  #sumT = 0;
  #sumT2 = 0;
  #n = 0;
  constructor(
    readonly name: string,
    readonly kind: 'mae' | 'mse' | 'r2',
  ) {}
  reset(): void {
    this.#sum = this.#sumSq = this.#sumT = this.#sumT2 = this.#n = 0;
  }
  update(output: Tensor, target: Tensor): void {
    if (output.size !== target.size) {
      throw shapeError(this.name, `output has shape ${formatShape(output.shape)} but target has ${formatShape(target.shape)}`);
    }
    for (let i = 0; i < output.size; i++) {
      const e = output.data[i]! - target.data[i]!;
      this.#sum += Math.abs(e);
      this.#sumSq += e * e;
      this.#sumT += target.data[i]!;
      this.#sumT2 += target.data[i]! ** 2;
    }
    this.#n += output.size;
  }
  result(): number {
    if (this.#n === 0) return NaN;
    if (this.kind === 'mae') return this.#sum / this.#n;
    if (this.kind === 'mse') return this.#sumSq / this.#n;
    const ssTot = this.#sumT2 - (this.#sumT * this.#sumT) / this.#n;
    return ssTot === 0 ? NaN : 1 - this.#sumSq / ssTot;
  }
}

function thresholdOf(op: string, options: unknown): number {
  const o = readOptions(op, options, ['threshold'] as const);
  return o.threshold === undefined ? 0.5 : expectFinite(op, 'options.threshold', o.threshold);
}

/** Fraction of samples whose predicted class equals the target. */
export function accuracy(options?: ClassificationMetricOptions): Metric {
  return new Accuracy(thresholdOf('metrics.accuracy', options));
}

/** Fraction of samples whose target is among the k highest outputs. */
export function topKAccuracy(k: number): Metric {
  return new TopKAccuracy(expectInteger('metrics.topKAccuracy', 'k', k, 1));
}

function confusion(kind: 'precision' | 'recall' | 'f1', options: unknown): Metric {
  const op = `metrics.${kind}`;
  const o = readOptions(op, options, ['threshold', 'average'] as const);
  const threshold = o.threshold === undefined ? 0.5 : expectFinite(op, 'options.threshold', o.threshold);
  if (o.average !== undefined && !['macro', 'micro', 'binary'].includes(o.average as string)) {
    throw rangeError(op, `options.average must be "macro", "micro" or "binary", but received ${describe(o.average)}`);
  }
  return new ConfusionMetric(kind, kind, threshold, o.average as Average | undefined);
}

export const precision = (options?: PrecisionRecallOptions): Metric => confusion('precision', options);
export const recall = (options?: PrecisionRecallOptions): Metric => confusion('recall', options);
export const f1 = (options?: PrecisionRecallOptions): Metric => confusion('f1', options);
export const mae = (): Metric => new RegressionMetric('mae', 'mae');
export const mse = (): Metric => new RegressionMetric('mse', 'mse');
export const r2 = (): Metric => new RegressionMetric('r2', 'r2');

export type MetricName = 'accuracy' | 'top5Accuracy' | 'precision' | 'recall' | 'f1' | 'mae' | 'mse' | 'r2';

const BY_NAME: Record<MetricName, () => Metric> = {
  accuracy: () => accuracy(),
  top5Accuracy: () => topKAccuracy(5),
  precision: () => precision(),
  recall: () => recall(),
  f1: () => f1(),
  mae,
  mse,
  r2,
};

/** A metric object from a name or a Metric (validated). */
export function resolveMetric(op: string, m: unknown): Metric {
  if (typeof m === 'string') {
    const f = BY_NAME[m as MetricName];
    if (!f) throw rangeError(op, `unknown metric "${m}" (known: ${Object.keys(BY_NAME).join(', ')}; or pass a Metric)`);
    return f();
  }
  if (typeof m === 'object' && m !== null && typeof (m as Metric).update === 'function' && typeof (m as Metric).result === 'function') {
    return m as Metric;
  }
  throw typeError(op, `metrics entries must be a metric name or a Metric, but received ${describe(m)}`);
}
