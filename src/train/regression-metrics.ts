/**
 * Regression metrics accumulated over batches: mean absolute error, mean squared
 * error and R² (sklearn.metrics.r2_score with multioutput 'uniform_average' and
 * force_finite). An output [N] or [N, 1] is one target; [N, D] (or [N, ...]) is D
 * targets, one per column.
 */
import { shapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Metric } from './metrics.js';

/** Per-column running statistics of the targets (Chan et al.'s parallel mean and variance) and residuals. */
class ColumnStats {
  n = 0;
  readonly mean: Float64Array;
  /** Sum of squared deviations of the targets from their mean. */
  readonly m2: Float64Array;
  /** Sum of squared residuals. */
  readonly ssRes: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;

  constructor(readonly columns: number) {
    this.mean = new Float64Array(columns);
    this.m2 = new Float64Array(columns);
    this.ssRes = new Float64Array(columns);
    this.min = new Float64Array(columns).fill(Infinity);
    this.max = new Float64Array(columns).fill(-Infinity);
  }

  add(output: Float32Array, target: Float32Array, rows: number): void {
    const d = this.columns;
    const total = this.n + rows;
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += target[i * d + j]!;
      const mb = sum / rows;
      let m2b = 0;
      let res = 0;
      let lo = this.min[j]!;
      let hi = this.max[j]!;
      for (let i = 0; i < rows; i++) {
        const t = target[i * d + j]!;
        const e = output[i * d + j]! - t;
        m2b += (t - mb) * (t - mb);
        res += e * e;
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
      const delta = mb - this.mean[j]!;
      this.mean[j]! += (delta * rows) / total;
      this.m2[j]! += m2b + (delta * delta * this.n * rows) / total;
      this.ssRes[j]! += res;
      this.min[j] = lo;
      this.max[j] = hi;
    }
    this.n = total;
  }

  /**
   * The mean over columns of 1 - SS_res / SS_tot. A column whose targets are all
   * equal scores 1 if predicted exactly, else 0 (sklearn's force_finite). NaN with
   * fewer than two samples, as sklearn.
   */
  r2(): number {
    if (this.n < 2) return NaN;
    let total = 0;
    for (let j = 0; j < this.columns; j++) {
      const constant = this.min[j] === this.max[j];
      if (constant) total += this.ssRes[j] === 0 ? 1 : 0;
      else total += 1 - this.ssRes[j]! / this.m2[j]!;
    }
    return total / this.columns;
  }
}

export class RegressionMetric implements Metric {
  #absSum = 0;
  #sqSum = 0;
  #count = 0;
  #stats: ColumnStats | null = null;

  constructor(
    readonly name: string,
    readonly kind: 'mae' | 'mse' | 'r2',
  ) {}

  reset(): void {
    this.#absSum = this.#sqSum = this.#count = 0;
    this.#stats = null;
  }

  update(output: Tensor, target: Tensor): void {
    const op = `metrics.${this.name}`;
    if (output.size !== target.size) {
      throw shapeError(op, `output has shape ${formatShape(output.shape)} but target has ${formatShape(target.shape)}`);
    }
    if (output.size === 0) return;
    const columns = output.ndim >= 2 ? output.size / output.shape[0]! : 1;
    if (this.kind === 'r2') {
      if (this.#stats !== null && this.#stats.columns !== columns) {
        throw shapeError(op, `output has shape ${formatShape(output.shape)} (${columns} per sample) but earlier batches had ${this.#stats.columns}`);
      }
      this.#stats ??= new ColumnStats(columns);
      this.#stats.add(output.data, target.data, output.size / columns);
    }
    for (let i = 0; i < output.size; i++) {
      const e = output.data[i]! - target.data[i]!;
      this.#absSum += Math.abs(e);
      this.#sqSum += e * e;
    }
    this.#count += output.size;
  }

  result(): number {
    if (this.#count === 0) return NaN;
    if (this.kind === 'mae') return this.#absSum / this.#count;
    if (this.kind === 'mse') return this.#sqSum / this.#count;
    return this.#stats!.r2();
  }
}
