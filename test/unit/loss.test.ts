import { describe, expect, it } from 'vitest';

import {
  ErrorCode,
  Tensor,
  backend,
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  mseLoss,
  nllLoss,
} from '../helpers/kernel-api.js';
import { native } from '../../src/native.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { testData } from '../helpers/reference.js';

/** Cross-entropy in float64: value (mean over target weights) and gradient. */
function refCrossEntropy(x: Float32Array, rows: number, cols: number, t: ArrayLike<number>, ignore = -100) {
  const grad = new Float64Array(rows * cols);
  let total = 0;
  let count = 0;
  for (let r = 0; r < rows; r++) if (t[r] !== ignore) count++;
  for (let r = 0; r < rows; r++) {
    if (t[r] === ignore) continue;
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]!);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[r * cols + c]! - m);
    total += -(x[r * cols + t[r]!]! - m - Math.log(s));
    for (let c = 0; c < cols; c++) grad[r * cols + c] = (Math.exp(x[r * cols + c]! - m) / s - (c === t[r] ? 1 : 0)) / count;
  }
  return { value: total / count, grad };
}

describe.each(isaLevels)('losses on %s', (isa) => {
  it('cross-entropy matches float64 at awkward class counts', () => {
    withIsa(isa, () => {
      for (const [rows, cols] of [[1, 1], [3, 15], [4, 16], [5, 17], [64, 1000]] as const) {
        const x = testData(rows * cols, rows + cols).map((v) => v * 10);
        const t = Int32Array.from({ length: rows }, (_, i) => (i * 5 + 1) % cols);
        if (rows > 3) t[3] = -100;
        const r = crossEntropyLoss(new Tensor(x, [rows, cols]), t);
        const ref = refCrossEntropy(x, rows, cols, t);
        expect(r.value).toBeCloseTo(ref.value, 5);
        for (let i = 0; i < ref.grad.length; i++) expect(Math.abs(r.grad.data[i]! - ref.grad[i]!)).toBeLessThan(1e-6);
      }
    });
  });

  it('mse value and gradient at 1000003 elements', () => {
    withIsa(isa, () => {
      const n = 1000003;
      const a = testData(n, 1);
      const b = testData(n, 2);
      const r = mseLoss(new Tensor(a), new Tensor(b));
      let s = 0;
      for (let i = 0; i < n; i++) s += (a[i]! - b[i]!) ** 2;
      expect(Math.abs(r.value - s / n)).toBeLessThan(1e-6 * (s / n));
      for (let i = 0; i < n; i += 1013) expect(r.grad.data[i]).toBeCloseTo((2 * (a[i]! - b[i]!)) / n, 10);
    });
  });
});

describe('loss API', () => {
  it('reduction none returns per-element losses and an elementwise gradient', () => {
    const r = mseLoss(new Tensor(Float32Array.from([1, 2, 3]), [3]), new Tensor(Float32Array.from([0, 0, 5]), [3]), { reduction: 'none' });
    expect(Array.from(r.losses!.data)).toEqual([1, 4, 4]);
    expect(Array.from(r.grad.data)).toEqual([2, 4, -4]);
    expect(r.value).toBe(9);
  });

  it('class targets: Int32Array, Float32Array of integers, or a Tensor', () => {
    const x = new Tensor(testData(12, 7), [3, 4]);
    const a = crossEntropyLoss(x, Int32Array.from([0, 3, 1]));
    const b = crossEntropyLoss(x, Float32Array.from([0, 3, 1]));
    const c = crossEntropyLoss(x, new Tensor(Float32Array.from([0, 3, 1])));
    expect(b.value).toBe(a.value);
    expect(c.value).toBe(a.value);
  });

  it('out-of-range or fractional class indices are RangeErrors naming the position', () => {
    const x = new Tensor(testData(12, 7), [3, 4]);
    expect(() => crossEntropyLoss(x, Int32Array.from([0, 4, 1]))).toThrow(
      'crossEntropyLoss: target[1] must be a class index in [0, 4) or ignoreIndex (-100), but is 4',
    );
    expect(() => nllLoss(x, Int32Array.from([0, 1, -1]))).toThrow(RangeError);
    expect(() => crossEntropyLoss(x, Float32Array.from([0, 1.5, 1]))).toThrow('target[1] must be a class index');
    expect(() => crossEntropyLoss(x, Float32Array.from([0, NaN, 1]))).toThrow('target[1]');
    expect(() => crossEntropyLoss(x, Int32Array.from([0, 1]))).toThrow(/3 class indices/);
    // ignoreIndex may be any integer, including a value inside the class range
    expect(crossEntropyLoss(x, Int32Array.from([0, 1, 1]), { ignoreIndex: 1 }).value).toBeCloseTo(
      crossEntropyLoss(new Tensor(x.data.slice(0, 4), [1, 4]), Int32Array.from([0])).value,
      6,
    );
  });

  it('all targets ignored gives NaN for mean (as PyTorch) and 0 for sum, with a zero gradient', () => {
    const x = new Tensor(testData(8, 3), [2, 4]);
    const t = Int32Array.from([-100, -100]);
    expect(crossEntropyLoss(x, t).value).toBeNaN();
    const s = crossEntropyLoss(x, t, { reduction: 'sum' });
    expect(s.value).toBe(0);
    expect(Array.from(s.grad.data).every((v) => v === 0)).toBe(true);
  });

  it('validates weights, posWeight, labelSmoothing and probabilities', () => {
    const x = new Tensor(testData(12, 7), [3, 4]);
    const t = Int32Array.from([0, 1, 2]);
    expect(() => crossEntropyLoss(x, t, { weight: new Tensor(new Float32Array(3)) })).toThrow('options.weight must have shape [4]');
    expect(() => native.crossEntropyLoss(x.data, 3, 4, t, new Float32Array(3), -100, 0, new Float32Array(12), new Float32Array(0), 'mean')).toThrow(
      'crossEntropyLoss: weight must have 4 elements for a 3x4 input (or 0 for none), but has 3',
    );
    expect(() => crossEntropyLoss(x, t, { labelSmoothing: 1.5 })).toThrow(RangeError);
    expect(() => bceWithLogitsLoss(x, x, { posWeight: new Tensor(new Float32Array(3)) })).toThrow('posWeight must have shape [4]');
    expect(() => native.bceWithLogitsLoss(x.data, x.data, new Float32Array(3), new Float32Array(12), new Float32Array(0), 'mean', 4)).toThrow(
      'bceWithLogitsLoss: posWeight must have 4 elements',
    );
    expect(() => bceLoss(new Tensor(Float32Array.from([0.5, 1.5])), new Tensor(Float32Array.from([0, 1])))).toThrow(
      'bceLoss: every input must be between 0 and 1, but input[1] is 1.5',
    );
    expect(() => mseLoss(x, new Tensor(new Float32Array(12)), { reduction: 'avg' as never })).toThrow(TypeError);
  });

  it('rejects a gradient buffer that overlaps an input', () => {
    const buf = new Float32Array(16);
    let code: string | undefined;
    try {
      native.mseLoss(buf.subarray(0, 8), buf.subarray(8, 16), buf.subarray(4, 12), new Float32Array(0), 'mean');
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code).toBe(ErrorCode.Alias);
  });

  it('values and gradients are bit-identical for 1, 2 and 7 threads', () => {
    const before = backend.getNumThreads();
    const rows = 9901, cols = 101;
    const x = new Tensor(testData(rows * cols, 3).map((v) => v * 5), [rows, cols]);
    const t = Int32Array.from({ length: rows }, (_, i) => i % cols);
    const out: { v: number; g: Float32Array; m: number }[] = [];
    for (const n of [1, 2, 7]) {
      backend.setNumThreads(n);
      const r = crossEntropyLoss(x, t, { labelSmoothing: 0.1 });
      out.push({ v: r.value, g: r.grad.data, m: mseLoss(x, new Tensor(new Float32Array(rows * cols), [rows, cols])).value });
    }
    backend.setNumThreads(before);
    for (const o of out.slice(1)) {
      expect(o.v).toBe(out[0]!.v);
      expect(o.m).toBe(out[0]!.m);
      expect(Buffer.compare(Buffer.from(o.g.buffer), Buffer.from(out[0]!.g.buffer))).toBe(0);
    }
  });
});
