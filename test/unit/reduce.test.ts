// Broadcast arithmetic and reductions (src/ops/reduce.ts) on every ISA level against
// float64 references, at sizes 0, 1, 15, 16, 17, 1000003, plus strided views and
// thread-count independence.
import { describe, expect, it } from 'vitest';

import { backend, Tensor } from '../../src/index.js';
import { native } from '../../src/native.js';
import * as r from '../../src/ops/reduce.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { testData } from '../helpers/reference.js';

const SIZES = [0, 1, 15, 16, 17, 1000003];

function withThreads<T>(n: number, fn: () => T): T {
  const before = backend.getNumThreads();
  backend.setNumThreads(n);
  try {
    return fn();
  } finally {
    backend.setNumThreads(before);
  }
}

describe.each(isaLevels)('reduce ops (%s)', (isa) => {
  it('elementwise ops equal the float64 op rounded once, with NaN propagating', () => {
    withIsa(isa, () => {
      for (const n of SIZES) {
        const a = testData(n, 1 + n);
        const b = testData(n, 2 + n).map((v) => v + (v >= 0 ? 0.25 : -0.25));
        if (n > 2) a[1] = NaN;
        const ta = new Tensor(a), tb = new Tensor(b);
        const ops = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y };
        for (const [name, f] of Object.entries(ops)) {
          const out = r[name as 'add'](ta, tb).data;
          for (let i = 0; i < n; i += n > 1000 ? 997 : 1) {
            expect(Object.is(out[i], Math.fround(f(a[i]!, b[i]!))) || (Number.isNaN(out[i]) && Number.isNaN(f(a[i]!, b[i]!))), `${name} n=${n} i=${i}`).toBe(true);
          }
        }
      }
    });
  });

  it('row and column broadcasts, bias add, column sums and their gradients', () => {
    withIsa(isa, () => {
      for (const [rows, cols] of [[1, 1], [3, 17], [33, 16], [5, 15], [0, 4], [7, 0]] as const) {
        const a = new Tensor(testData(rows * cols, rows + 7 * cols), [rows, cols]);
        const row = new Tensor(testData(cols, 3).map((v) => v + 2), [cols]);
        const col = new Tensor(testData(rows, 4).map((v) => v + 2), [rows, 1]);
        const br = r.div(a, row).data;
        const bc = r.sub(a, col).data;
        const bias = r.biasAdd(a, row).data;
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            expect(br[i * cols + j]).toBe(Math.fround(a.data[i * cols + j]! / row.data[j]!));
            expect(bc[i * cols + j]).toBe(Math.fround(a.data[i * cols + j]! - col.data[i]!));
            expect(bias[i * cols + j]).toBe(Math.fround(a.data[i * cols + j]! + row.data[j]!));
          }
        }
        const sums = r.columnSums(a).data;
        for (let j = 0; j < cols; j++) {
          let s = 0, m = 0;
          for (let i = 0; i < rows; i++) {
            s += a.data[i * cols + j]!;
            m += Math.abs(a.data[i * cols + j]!);
          }
          expect(Math.abs(sums[j]! - s)).toBeLessThanOrEqual((rows + 2) * 2 ** -23 * m + 1e-30);
        }
        // mul with a row broadcast: dB = column sums of g * a.
        const g = new Tensor(testData(rows * cols, 9), [rows, cols]);
        const { gradA, gradB } = r.binaryBackward('mul', a, row, g);
        for (let j = 0; j < cols; j++) {
          let s = 0, m = 0;
          for (let i = 0; i < rows; i++) {
            s += g.data[i * cols + j]! * a.data[i * cols + j]!;
            m += Math.abs(g.data[i * cols + j]! * a.data[i * cols + j]!);
            expect(gradA.data[i * cols + j]).toBe(Math.fround(g.data[i * cols + j]! * row.data[j]!));
          }
          expect(Math.abs(gradB.data[j]! - s)).toBeLessThanOrEqual(4 * (rows + 2) * 2 ** -24 * m + 1e-30);
        }
      }
    });
  });

  it('strided views through the binding leave the padding alone', () => {
    withIsa(isa, () => {
      const rows = 5, cols = 17, lda = 20, ldo = 19;
      const a = testData(rows * lda, 11), b = testData(cols, 12);
      const out = new Float32Array(rows * ldo).fill(-7);
      native.binaryOp(2, 1, rows, cols, a, lda, b, 1, out, ldo);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < ldo; j++) {
          expect(out[i * ldo + j]).toBe(j < cols ? Math.fround(a[i * lda + j]! * b[j]!) : -7);
        }
      }
    });
  });

  it('sum, mean, sumSquares, sum/mean/max along an axis, argmax with NaN and ties', () => {
    withIsa(isa, () => {
      for (const n of SIZES) {
        const x = testData(n, 20 + n);
        let s = 0, q = 0, m = 0;
        for (const v of x) {
          s += v;
          q += v * v;
          m += Math.abs(v);
        }
        const bound = 4 * (n + 1) * 2 ** -53 * (m + q) + 1e-300;
        expect(Math.abs(r.sum(new Tensor(x)) - s)).toBeLessThanOrEqual(bound);
        expect(Math.abs(r.sumSquares(new Tensor(x)) - q)).toBeLessThanOrEqual(bound);
        if (n === 0) expect(r.mean(new Tensor(x))).toBeNaN();
      }
      const t = new Tensor(Float32Array.from([1, 5, 5, 2, NaN, 3, NaN, 0, -1, 7, 7, 7]), [2, 2, 3]);
      const mx = r.maxAlong(t, 1);
      expect(Array.from(mx.indices)).toEqual([1, 1, 0, 0, 1, 1]);
      expect(Array.from(mx.values.data)).toEqual([2, NaN, 5, NaN, 7, 7]);
      expect(mx.values.shape).toEqual([2, 3]);
      expect(Array.from(r.argmax(t, -1))).toEqual([1, 1, 0, 0]);
      const mean = r.meanAlong(t, 0, { keepdim: true });
      expect(mean.shape).toEqual([1, 2, 3]);
      expect(mean.data[0]).toBeNaN();
      expect(mean.data[1]).toBe(2.5);
      const gx = r.maxAlongBackward(t, 1, new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]), mx.indices);
      expect(Array.from(gx.data)).toEqual([0, 0, 3, 1, 2, 0, 4, 0, 0, 0, 5, 6]);
      const gs = r.sumAlongBackward(t, 2, new Tensor(Float32Array.from([1, 2, 3, 4]), [2, 2]), true);
      expect(gs.data[0]).toBe(Math.fround(1 / 3));
      expect(gs.data[11]).toBe(Math.fround(4 / 3));
    });
  });

  it('results are bit-identical for 1, 2 and 7 threads', () => {
    withIsa(isa, () => {
      const x = new Tensor(testData(1000003, 5));
      const x2 = new Tensor(x.data.subarray(0, 999 * 1001), [999, 1001]);
      const runs = [1, 2, 7].map((t) =>
        withThreads(t, () => ({
          s: r.sum(x),
          q: r.sumSquares(x),
          cols: Array.from(r.columnSums(x2).data),
          rows: Array.from(r.sumAlong(x2, 1).data),
          arg: Array.from(r.argmax(x2, 1)),
        })),
      );
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
  });
});

describe('reduce argument errors', () => {
  it('names shapes and aliasing', () => {
    const a = new Tensor(new Float32Array(6), [2, 3]);
    expect(() => r.add(a, new Tensor(new Float32Array(2), [2]))).toThrow(/add: b of shape \[2\] does not broadcast against a of shape \[2, 3\]/);
    expect(() => r.maxAlong(new Tensor(new Float32Array(0), [2, 0]), 1)).toThrow(/maxAlong: cannot take the max over dimension 1 of size 0/);
    expect(() => r.sumAlong(a, 2)).toThrow(RangeError);
    expect(() => r.binaryBackward('toString' as r.BinaryOpName, a, a, a)).toThrow(TypeError);
    const buf = new Float32Array(10);
    expect(() => native.scale(2, buf.subarray(0, 5), buf.subarray(2, 7))).toThrow('scale: out must not share memory with x (pass a separate output buffer)');
    expect(() => native.scale(2, buf, buf)).not.toThrow();
    expect(() => native.maxAxisBackward(1, 3, 1, new Float32Array(1), Int32Array.from([3]), new Float32Array(3))).toThrow(
      'maxAxisBackward: indices must lie in [0, 3), but indices[0] is 3',
    );
    expect(() => native.binaryOp(0, 1, 2, 3, new Float32Array(6), 3, new Float32Array(2), 1, new Float32Array(6), 3)).toThrow(
      'binaryOp: b must have 3 elements for a row broadcast (one value per column), but has 2',
    );
  });
});
