import { describe, expect, it } from 'vitest';

import { train } from '../../src/index.js';
import { rng, run, T } from '../helpers/metric-run.js';

const { metrics } = train;

/** sklearn.metrics.r2_score(multioutput='uniform_average', force_finite=True), in float64, two-pass. */
function sklearnR2(yTrue: number[][], yPred: number[][]): number {
  const d = yTrue[0]!.length;
  let total = 0;
  for (let j = 0; j < d; j++) {
    const col = yTrue.map((r) => Math.fround(r[j]!));
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const ssTot = col.reduce((a, b) => a + (b - mean) ** 2, 0);
    const ssRes = col.reduce((a, b, i) => a + (Math.fround(yPred[i]![j]!) - b) ** 2, 0);
    total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / d;
}

describe('r2', () => {
  it("sklearn's examples: one output and uniform_average over outputs", () => {
    expect(run(metrics.r2(), T([2.5, 0.0, 2, 8], [4]), T([3, -0.5, 2, 7], [4]))).toBeCloseTo(0.9486081370449679, 6);
    // r2_score([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]) = 0.936...
    const got = run(metrics.r2(), T([0, 2, -1, 2, 8, -5], [3, 2]), T([0.5, 1, -1, 1, 7, -6], [3, 2]));
    expect(got).toBeCloseTo(0.9368005266622779, 6);
    expect(got).toBeCloseTo(sklearnR2([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]), 12);
  });

  it('a constant target column scores 1 when predicted exactly, else 0 (force_finite)', () => {
    expect(run(metrics.r2(), T([0.1, 0.1, 0.1], [3]), T([0.1, 0.1, 0.1], [3]))).toBe(1);
    expect(run(metrics.r2(), T([0.3, 0.2, 0.1], [3]), T([0.1, 0.1, 0.1], [3]))).toBe(0);
    expect(run(metrics.r2(), T([1, 2, 3], [3]), T([5, 5, 5], [3]))).toBe(0);
    // Column 0 constant and exact (1), column 1 varying: the mean of the two.
    const col1 = sklearnR2([[5, 1], [5, 2], [5, 4]], [[5, 1], [5, 2], [5, 3]]);
    expect(run(metrics.r2(), T([5, 1, 5, 2, 5, 3], [3, 2]), T([5, 1, 5, 2, 5, 4], [3, 2]))).toBeCloseTo(col1, 12);
    expect(col1).toBeCloseTo((1 + (1 - 1 / (14 / 3))) / 2, 12);
  });

  it('per column around each column mean, not pooled around one global mean', () => {
    // Two outputs on very different scales: pooled R² would be near 1 whatever column 0 does.
    const yTrue = [[0, 100], [1, 200], [2, 300], [3, 400]];
    const yPred = [[3, 100], [2, 200], [1, 300], [0, 400]];
    const got = run(metrics.r2(), T(yPred.flat(), [4, 2]), T(yTrue.flat(), [4, 2]));
    expect(got).toBeCloseTo(sklearnR2(yTrue, yPred), 12);
    expect(got).toBeCloseTo((1 - 20 / 5 + 1) / 2, 12); // column 0: 1 - 20/5 = -3; column 1: 1
  });

  it('accumulates over batches exactly as one batch, without cancellation at large offsets', () => {
    const r = rng(3);
    const yTrue: number[][] = [];
    const yPred: number[][] = [];
    for (let i = 0; i < 1000; i++) {
      const t = [1e4 + (i % 10) * 0.01, r() * 2 - 1, 7];
      yTrue.push(t);
      yPred.push([t[0]! + 0.001 * (r() - 0.5), t[1]! + 0.1 * (r() - 0.5), 7]);
    }
    const m = metrics.r2();
    for (let s = 0; s < 1000; s += 300) {
      const e = Math.min(1000, s + 300);
      m.update(T(yPred.slice(s, e).flat(), [e - s, 3]), T(yTrue.slice(s, e).flat(), [e - s, 3]));
    }
    expect(m.result()).toBeCloseTo(sklearnR2(yTrue, yPred), 9);
  });

  it('NaN below two samples; the column count must not change between batches', () => {
    expect(run(metrics.r2(), T([1], [1]), T([2], [1]))).toBeNaN();
    expect(metrics.r2().result()).toBeNaN();
    const m = metrics.r2();
    m.update(T([1, 2, 3, 4], [2, 2]), T([1, 2, 3, 4], [2, 2]));
    expect(() => m.update(T([1, 2, 3], [3]), T([1, 2, 3], [3]))).toThrow(/metrics\.r2: output has shape \[3\] \(1 per sample\) but earlier batches had 2/);
  });
});
