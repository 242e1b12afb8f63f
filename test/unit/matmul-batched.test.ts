import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, bmm, manualSeed, matmul, randn } from '../../src/index.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError } from '../helpers/reference.js';

/** torch.matmul in float64 by definition: vectors promoted, batch dimensions broadcast. */
function refMatmul(a: Tensor, b: Tensor, transA = false, transB = false): { data: Float64Array; shape: number[] } {
  const aShape = a.ndim === 1 ? [1, a.shape[0]!] : a.shape.slice();
  const bShape = b.ndim === 1 ? [b.shape[0]!, 1] : b.shape.slice();
  const [ar, ac] = aShape.slice(-2) as [number, number];
  const [br, bc] = bShape.slice(-2) as [number, number];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const n = transB ? br : bc;
  const ba = aShape.slice(0, -2);
  const bb = bShape.slice(0, -2);
  const nd = Math.max(ba.length, bb.length);
  const pa = [...new Array(nd - ba.length).fill(1), ...ba];
  const pb = [...new Array(nd - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => (d === 1 ? pb[i]! : d));
  const count = batch.reduce((x, y) => x * y, 1);
  const out = new Float64Array(count * m * n);
  for (let item = 0; item < count; item++) {
    let rem = item;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = nd - 1; d >= 0; d--) {
      const idx = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
      ia += (pa[d] === 1 ? 0 : idx) * sa;
      ib += (pb[d] === 1 ? 0 : idx) * sb;
      sa *= pa[d]!;
      sb *= pb[d]!;
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = a.data[ia * ar * ac + (transA ? p * ac + i : i * ac + p)]!;
          const bv = b.data[ib * br * bc + (transB ? j * bc + p : p * bc + j)]!;
          s += av * bv;
        }
        out[item * m * n + i * n + j] = s;
      }
    }
  }
  const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
  return { data: out, shape };
}

const cases: [number[], number[], boolean, boolean][] = [
  [[2, 3, 4], [4, 5], false, false], // folded into one GEMM
  [[2, 3, 4], [5, 4], false, true],
  [[2, 4, 3], [4, 5], true, false], // transA: not folded
  [[3, 4], [2, 4, 5], false, false], // a shared by every item
  [[2, 3, 4], [2, 4, 5], false, false],
  [[2, 3, 4], [1, 4, 5], false, false],
  [[1, 3, 4], [6, 4, 5], false, false],
  [[2, 1, 3, 4], [5, 4, 6], false, false], // both broadcast: [2, 5, 3, 6]
  [[2, 1, 4, 3], [5, 6, 4], true, true],
  [[4], [2, 4, 5], false, false], // 1-D a: its dimension dropped
  [[2, 3, 4], [4], false, false], // 1-D b
  [[3, 2, 3, 4], [4], false, false],
  [[2, 4, 3], [4], true, false],
  [[4], [3, 1, 5, 4], false, true],
  [[0, 3, 4], [4, 5], false, false],
  [[2, 3, 0], [2, 0, 5], false, false], // K = 0: zeros
  [[2, 0, 4], [1, 4, 5], false, false],
  [[2, 3, 4], [0, 1, 4, 5], false, false],
];

describe.each(isaLevels)('matmul over batch dimensions on %s', (isa) => {
  it('matches torch.matmul computed by definition, broadcasting included', () => {
    withIsa(isa, () => {
      manualSeed(31);
      for (const [sa, sb, transA, transB] of cases) {
        const a = randn(sa);
        const b = randn(sb);
        const got = matmul(a, b, { transA, transB });
        const ref = refMatmul(a, b, transA, transB);
        expect(got.shape, `${sa} x ${sb}`).toEqual(ref.shape);
        expect(maxScaledError(got.data, ref.data, 1e-6, 1e-5), `${sa} x ${sb}`).toBeLessThanOrEqual(1);
      }
    });
  });
});

describe('matmul over batch dimensions', () => {
  it('equals bmm for equal batches', () => {
    manualSeed(32);
    const a = randn(3, 4, 5);
    const b = randn(3, 5, 2);
    expect(matmul(a, b).data).toEqual(bmm(a, b).data);
  });

  it('names what does not fit', () => {
    const t = (...s: number[]) => new Tensor(new Float32Array(s.reduce((x, y) => x * y, 1)), s);
    expect(() => matmul(t(2, 3, 4), t(3, 4, 5))).toThrow(
      /^matmul: a has shape \[2, 3, 4\] and b has shape \[3, 4, 5\]: batch dimensions \[2\] and \[3\] do not broadcast \(2 vs 3\)$/,
    );
    expect(() => matmul(t(2, 3, 4), t(2, 5, 6))).toThrow(/^matmul: b has shape \[2, 5, 6\] but a has 4 columns$/);
    expect(() => matmul(t(2, 3, 4), t(5, 6))).toThrow(/^matmul: b has shape \[5, 6\] but a has 4 columns$/);
    expect(() => matmul(t(2, 3, 4), t(2, 4, 6), { transB: true })).toThrow(/^matmul: b has shape \[2, 4, 6\] \(transposed: \[2, 6, 4\]\) but a has 4 columns$/);
    expect(() => matmul(t(3), t(2, 4, 6))).toThrow(/b has shape \[2, 4, 6\] but a has 3 columns/);
    expect(() => matmul(new Tensor(Float32Array.of(1), []), t(2, 2))).toThrow(/^matmul: a must have at least 1 dimension, but has shape \[\]$/);
    expect(() => matmul(t(3), t(2, 3, 4), { transA: true })).toThrow(/^matmul: transA needs a with 2 or more dimensions, but a has shape \[3\]$/);
    try {
      matmul(t(2, 3, 4), t(3, 4, 5));
    } catch (err) {
      expect(err).toBeInstanceOf(RangeError);
      expect((err as { code: string }).code).toBe(ErrorCode.Shape);
    }
  });
});

