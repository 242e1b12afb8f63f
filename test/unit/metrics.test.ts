import { describe, expect, it } from 'vitest';

import { ErrorCode, train } from '../../src/index.js';
import { rng, run, T } from '../helpers/metric-run.js';

const { metrics } = train;

describe('class targets are checked', () => {
  it('a target outside [0, C) or not an integer is a RangeError naming the metric, sample, value and C', () => {
    const out = T([0.9, 0.1, 0, 0.9, 0.1, 0], [2, 3]);
    for (const [name, m] of [['accuracy', metrics.accuracy()], ['topKAccuracy(1)', metrics.topKAccuracy(1)], ['precision', metrics.precision()], ['recall', metrics.recall()], ['f1', metrics.f1()]] as const) {
      expect(() => m.update(out, T([0, 7], [2]))).toThrow(new RegExp(`^metrics\\.${name.replace(/[()]/g, '\\$&')}: target of sample 1 is 7, but the output has 3 classes, so targets must be integers in \\[0, 3\\)$`));
      expect(() => m.update(out, T([-1, 0], [2]))).toThrow(/target of sample 0 is -1/);
      expect(() => m.update(out, T([0, 1.5], [2]))).toThrow(/target of sample 1 is 1.5/);
      expect(() => m.update(out, T([NaN, 1], [2]))).toThrow(/target of sample 0 is NaN/);
      try {
        m.update(out, T([0, 3], [2]));
      } catch (err) {
        expect(err).toBeInstanceOf(RangeError);
        expect((err as { code: string }).code).toBe(ErrorCode.InvalidValue);
      }
      // A rejected batch counts nothing.
      m.reset();
      expect(() => m.update(out, T([0, 7], [2]))).toThrow(RangeError);
      m.update(out, T([0, 0], [2]));
      expect(m.result()).toBe(1);
    }
  });

  it('a single output column takes binary targets 0 or 1', () => {
    const m = metrics.accuracy();
    expect(() => m.update(T([0.9, 0.1], [2]), T([1, 2], [2]))).toThrow(/metrics\.accuracy: target of sample 1 is 2, but a single output column takes binary targets 0 or 1/);
    expect(run(m, T([0.9, 0.1], [2, 1]), T([1, 0], [2]))).toBe(1);
  });
});

describe('topKAccuracy', () => {
  it('needs [N, C] scores with C >= 2 and k <= C', () => {
    expect(() => run(metrics.topKAccuracy(1), T([0.9, 0.1], [2]), T([1, 0], [2]))).toThrow(
      /metrics\.topKAccuracy\(1\): needs a score per class \[N, C\] with C >= 2, but output has shape \[2\]/,
    );
    expect(() => run(metrics.topKAccuracy(1), T([0.9, 0.1], [2, 1]), T([1, 0], [2]))).toThrow(/C >= 2/);
    expect(() => run(metrics.topKAccuracy(4), T([1, 2, 3], [1, 3]), T([0], [1]))).toThrow(
      /metrics\.topKAccuracy\(4\): k is 4 but the output has only 3 classes \(shape \[1, 3\]\); k must be at most C/,
    );
    expect(run(metrics.topKAccuracy(3), T([1, 2, 3], [1, 3]), T([0], [1]))).toBe(1);
  });

  it('NaN ranks above every number (torch.topk); a NaN at the target is never correct', () => {
    // All NaN: no sample is correct, whatever k.
    const allNaN = T([NaN, NaN, NaN, NaN, NaN, NaN], [2, 3]);
    expect(run(metrics.topKAccuracy(2), allNaN, T([2, 1], [2]))).toBe(0);
    expect(run(metrics.topKAccuracy(3), allNaN, T([0, 1], [2]))).toBe(0);
    // One NaN elsewhere pushes the target down one place.
    const row = T([NaN, 0.9, 0.1], [1, 3]);
    expect(run(metrics.topKAccuracy(1), row, T([1], [1]))).toBe(0);
    expect(run(metrics.topKAccuracy(2), row, T([1], [1]))).toBe(1);
    expect(run(metrics.topKAccuracy(2), row, T([2], [1]))).toBe(0);
    expect(run(metrics.topKAccuracy(2), row, T([0], [1]))).toBe(0);
    // Ties go to the lower index.
    const tie = T([0.5, 0.5, 0.5], [1, 3]);
    expect(run(metrics.topKAccuracy(2), tie, T([1], [1]))).toBe(1);
    expect(run(metrics.topKAccuracy(2), tie, T([2], [1]))).toBe(0);
  });

  it('top-1 agrees with accuracy, NaNs and ties included', () => {
    const r = rng(5);
    const n = 400;
    const c = 4;
    const out: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        const u = r();
        out.push(u < 0.1 ? NaN : Math.floor(u * 5)); // many ties and some NaNs
      }
      y.push(Math.floor(r() * c));
    }
    const o = T(out, [n, c]);
    const t = T(y, [n]);
    expect(run(metrics.topKAccuracy(1), o, t)).toBe(run(metrics.accuracy(), o, t));
  });
});

describe('accuracy with NaN scores', () => {
  it('argmax as torch.argmax (the first NaN wins), and a NaN prediction counts as wrong', () => {
    expect(run(metrics.accuracy(), T([NaN, NaN, NaN, NaN, NaN, NaN], [2, 3]), T([0, 1], [2]))).toBe(0);
    const row = T([0.2, NaN, 0.1], [1, 3]);
    expect(run(metrics.accuracy(), row, T([1], [1]))).toBe(0);
    expect(run(metrics.accuracy(), row, T([0], [1]))).toBe(0);
    // A single column: NaN is neither above nor below the threshold; it is wrong for 0 and 1.
    expect(run(metrics.accuracy(), T([NaN, NaN, 0.9], [3]), T([0, 1, 1], [3]))).toBeCloseTo(1 / 3, 12);
    // Rows without NaN are unaffected.
    expect(run(metrics.accuracy(), T([0.2, NaN, 0.1, 0.3, 0.9, 0.1], [2, 3]), T([1, 1], [2]))).toBe(0.5);
  });

  it('precision/recall/F1: a NaN row is a false negative of its target and a false positive of the argmax', () => {
    // Rows: [NaN...] target 0 (argmax 0 but NaN: fn 0, fp 0); a correct row of class 1; a correct row of class 2.
    const out = T([NaN, NaN, NaN, 0, 1, 0, 0, 0, 1], [3, 3]);
    const y = T([0, 1, 2], [3]);
    // class 0: tp 0 fp 1 fn 1 -> p 0, r 0; class 1 and 2: p 1, r 1.
    expect(run(metrics.precision(), out, y)).toBeCloseTo(2 / 3, 12);
    expect(run(metrics.recall(), out, y)).toBeCloseTo(2 / 3, 12);
    expect(run(metrics.precision({ average: 'micro' }), out, y)).toBeCloseTo(2 / 3, 12);
  });
});

/** sklearn.metrics.precision_recall_fscore_support(average='macro') with labels = the classes present. */
function sklearnMacro(yTrue: number[], yPred: number[]): { precision: number; recall: number; f1: number } {
  const labels = [...new Set([...yTrue, ...yPred])].sort((a, b) => a - b);
  let p = 0;
  let r = 0;
  let f = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    yTrue.forEach((t, i) => {
      if (t === l && yPred[i] === l) tp++;
      else if (yPred[i] === l) fp++;
      else if (t === l) fn++;
    });
    const pl = tp + fp ? tp / (tp + fp) : 0;
    const rl = tp + fn ? tp / (tp + fn) : 0;
    p += pl;
    r += rl;
    f += pl + rl ? (2 * pl * rl) / (pl + rl) : 0;
  }
  return { precision: p / labels.length, recall: r / labels.length, f1: f / labels.length };
}

describe('macro precision / recall / F1', () => {
  it('average over the classes that occur, not over every output column', () => {
    const out: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 4; i++) {
      const row = new Array<number>(10).fill(0);
      row[i % 2] = 1;
      out.push(...row);
      y.push(i % 2);
    }
    for (const m of [metrics.precision(), metrics.recall(), metrics.f1()]) expect(run(m, T(out, [4, 10]), T(y, [4]))).toBe(1);
  });

  it('a class only predicted (never a target) counts, with precision 0', () => {
    // Targets 0, 0, 1; predictions 0, 2, 1: class 2 is a false positive only.
    const out = T([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 6]);
    const y = T([0, 0, 1], [3]);
    expect(run(metrics.precision(), out, y)).toBeCloseTo((1 + 1 + 0) / 3, 12);
    expect(run(metrics.recall(), out, y)).toBeCloseTo((0.5 + 1 + 0) / 3, 12);
    expect(run(metrics.f1(), out, y)).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12);
  });

  it('matches sklearn-style reference code over several batches', () => {
    const r = rng(9);
    const c = 10;
    const m = { precision: metrics.precision(), recall: metrics.recall(), f1: metrics.f1() };
    const yTrue: number[] = [];
    const yPred: number[] = [];
    for (const batch of [7, 13, 5]) {
      const out: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < batch; i++) {
        const t = Math.floor(r() * 4); // classes 0..3 of 10 occur as targets
        const p = r() < 0.6 ? t : Math.floor(r() * 6); // predictions reach class 5
        const row = Array.from({ length: c }, () => r() * 0.5);
        row[p] = 1;
        out.push(...row);
        y.push(t);
        yTrue.push(t);
        yPred.push(p);
      }
      for (const metric of Object.values(m)) metric.update(T(out, [batch, c]), T(y, [batch]));
    }
    const ref = sklearnMacro(yTrue, yPred);
    expect(m.precision.result()).toBeCloseTo(ref.precision, 12);
    expect(m.recall.result()).toBeCloseTo(ref.recall, 12);
    expect(m.f1.result()).toBeCloseTo(ref.f1, 12);
  });

  it('no samples give NaN', () => {
    expect(metrics.precision().result()).toBeNaN();
    expect(metrics.f1({ average: 'micro' }).result()).toBeNaN();
  });
});

describe('resolveMetric', () => {
  it('does not resolve names inherited from Object.prototype', () => {
    expect(() => train.metrics.resolveMetric('fit', 'toString')).toThrow(/unknown metric "toString"/);
  });
});
