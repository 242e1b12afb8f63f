/**
 * Metrics accumulated over batches: reset(), update(output, target) per batch,
 * result() at the end. Classification metrics take logits or probabilities
 * [N, C] with class-index targets [N] (integers in [0, C), else a RangeError naming
 * the sample); a single output column [N] or [N, 1] is a binary prediction
 * thresholded at `threshold` (0.5 by default) with targets 0 or 1.
 *
 * NaN scores follow torch.argmax / torch.topk (NaN ranks above every number, the
 * first NaN wins), and a prediction whose score is NaN is never counted correct: a
 * row of NaNs scores 0 in accuracy and top-k accuracy, and counts as a false
 * negative of its target class (and a false positive of the argmax class) in
 * precision, recall and F1.
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { describe, expectFinite, expectInteger, readOptions } from '../validate.js';
import { classesOf, classTargets, inTopK, predictions } from './class-scores.js';
import { RegressionMetric } from './regression-metrics.js';

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
    const targets = classTargets('metrics.accuracy', output, target);
    const pred = predictions(output, this.threshold);
    for (let i = 0; i < targets.length; i++) if (pred.scored[i] && pred.classes[i] === targets[i]) this.#correct++;
    this.#total += targets.length;
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
    const op = `metrics.topKAccuracy(${this.k})`;
    const c = classesOf(output);
    if (c < 2) {
      throw shapeError(op, `needs a score per class [N, C] with C >= 2, but output has shape ${formatShape(output.shape)} (a single column is a binary prediction: use accuracy)`);
    }
    if (this.k > c) throw rangeError(op, `k is ${this.k} but the output has only ${c} classes (shape ${formatShape(output.shape)}); k must be at most C, as in torch.topk`);
    const targets = classTargets(op, output, target);
    for (let i = 0; i < targets.length; i++) if (inTopK(output.data, c, i, targets[i]!, this.k)) this.#correct++;
    this.#total += targets.length;
  }
  result(): number {
    return this.#total === 0 ? NaN : this.#correct / this.#total;
  }
}

type Average = 'macro' | 'micro' | 'binary';

export interface PrecisionRecallOptions extends ClassificationMetricOptions {
  /**
   * 'macro' (default for more than two output columns): the unweighted mean over the
   * classes that occur (in the targets or the predictions) of the batches seen so far,
   * as sklearn with its default labels; classes never seen do not drag the mean
   * down. 'micro': pooled counts. 'binary' (default for one or two columns): class 1.
   */
  average?: Average;
}

/** Precision, recall or F1 from per-class true positive, false positive and false negative counts. */
class ConfusionMetric implements Metric {
  #tp = new Map<number, number>();
  #fp = new Map<number, number>();
  #fn = new Map<number, number>();
  #columns = 0;
  #total = 0;
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
    this.#columns = 0;
    this.#total = 0;
  }
  update(output: Tensor, target: Tensor): void {
    const targets = classTargets(`metrics.${this.name}`, output, target);
    const pred = predictions(output, this.threshold);
    this.#columns = Math.max(this.#columns, classesOf(output));
    const inc = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const p = pred.classes[i]!;
      if (p === t && pred.scored[i]) inc(this.#tp, t);
      else {
        inc(this.#fp, p);
        inc(this.#fn, t);
      }
    }
    this.#total += targets.length;
  }
  #score(tp: number, fp: number, fn: number): number {
    // An empty denominator scores 0 (sklearn's zero_division default).
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    if (this.kind === 'precision') return precision;
    if (this.kind === 'recall') return recall;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  result(): number {
    if (this.#total === 0) return NaN;
    const average = this.average ?? (this.#columns <= 2 ? 'binary' : 'macro');
    const get = (m: Map<number, number>, k: number) => m.get(k) ?? 0;
    if (average === 'binary') return this.#score(get(this.#tp, 1), get(this.#fp, 1), get(this.#fn, 1));
    // Every class with tp + fp + fn > 0: the keys of the three maps.
    const present = new Set([...this.#tp.keys(), ...this.#fp.keys(), ...this.#fn.keys()]);
    if (average === 'micro') {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const k of present) {
        tp += get(this.#tp, k);
        fp += get(this.#fp, k);
        fn += get(this.#fn, k);
      }
      return this.#score(tp, fp, fn);
    }
    let sum = 0;
    for (const k of present) sum += this.#score(get(this.#tp, k), get(this.#fp, k), get(this.#fn, k));
    return sum / present.size;
  }
}

function thresholdOf(op: string, options: unknown): number {
  const o = readOptions(op, options, ['threshold'] as const);
  return o.threshold === undefined ? 0.5 : expectFinite(op, 'options.threshold', o.threshold);
}

/**
 * Fraction of samples whose predicted class (the argmax, or the single column above
 * `threshold`) equals the target. A NaN score at the argmax counts as wrong.
 */
export function accuracy(options?: ClassificationMetricOptions): Metric {
  return new Accuracy(thresholdOf('metrics.accuracy', options));
}

/**
 * Fraction of samples whose target is among the k highest of C scores (torch.topk's
 * order: NaN highest, ties to the lower index). Needs [N, C] scores with k <= C; a
 * NaN score at the target counts as wrong.
 */
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
/** Mean absolute error over every element. */
export const mae = (): Metric => new RegressionMetric('mae', 'mae');
/** Mean squared error over every element. */
export const mse = (): Metric => new RegressionMetric('mse', 'mse');
/**
 * Coefficient of determination, as sklearn.metrics.r2_score: per target column
 * (the columns of [N, D] outputs; one for [N] or [N, 1]) 1 - SS_res / SS_tot around
 * that column's own mean, then the unweighted mean over columns ('uniform_average').
 * A column whose targets are all equal scores 1.0 if predicted exactly and 0.0
 * otherwise (sklearn's force_finite); fewer than two samples give NaN.
 */
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
    const f = Object.hasOwn(BY_NAME, m) ? BY_NAME[m as MetricName] : undefined;
    if (!f) throw rangeError(op, `unknown metric "${m}" (known: ${Object.keys(BY_NAME).join(', ')}; or pass a Metric)`);
    return f();
  }
  if (typeof m === 'object' && m !== null && typeof (m as Metric).update === 'function' && typeof (m as Metric).result === 'function') {
    return m as Metric;
  }
  throw typeError(op, `metrics entries must be a metric name or a Metric, but received ${describe(m)}`);
}
