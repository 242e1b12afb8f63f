import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, backend, bmm, linalg, matmul, nn } from '../../src/index.js';
import { native } from '../../src/native.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError, refGemm, testData } from '../helpers/reference.js';

describe.each(isaLevels)('linalg.gemm and bmm on %s', (isa) => {
  it('gemm: act(alpha op(a) op(b) + beta c + bias) for every transpose, edge sizes and K across blocks', () => {
    withIsa(isa, () => {
      let seed = 1;
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const [m, n, k] of [[1, 1, 1], [13, 33, 17], [29, 49, 700], [64, 10, 500]] as const) {
            for (const activation of ['none', 'relu'] as const) {
              const a = new Tensor(testData(m * k, seed++), transA ? [k, m] : [m, k]);
              const b = new Tensor(testData(k * n, seed++), transB ? [n, k] : [k, n]);
              const c = new Tensor(testData(m * n, seed++), [m, n]);
              const bias = new Tensor(testData(n, seed++), [n]);
              const cBefore = c.data.slice();
              const out = linalg.gemm(a, b, { alpha: 0.5, beta: -2, c, transA, transB, bias, activation });
              expect(out.shape).toEqual([m, n]);
              expect(c.data).toEqual(cBefore); // c is an input, not overwritten
              const ref = refGemm(transA, transB, m, n, k, a.data, transA ? m : k, b.data, transB ? k : n);
              for (let i = 0; i < m; i++) {
                for (let j = 0; j < n; j++) {
                  let v = 0.5 * ref[i * n + j]! - 2 * c.data[i * n + j]! + bias.data[j]!;
                  if (activation === 'relu') v = Math.max(0, v);
                  ref[i * n + j] = v;
                }
              }
              // |a|,|b|,|c|,|bias| < 1: absolute error stays under 2 (k + 4) eps * (k + 3).
              expect(maxScaledError(out.data, ref, 0, 2 * (k + 4) * 2 ** -24 * (k + 3))).toBeLessThanOrEqual(1);
            }
          }
        }
      }
    });
  });

  it('gelu / gelu_tanh give the bits of nn.functional.gelu (approximate none / tanh) of the plain product', () => {
    withIsa(isa, () => {
      let seed = 500;
      // Full and clipped tiles, the narrow transposed product (n small, a transposed),
      // m = 1 (matrix-vector path), K across blocks, and k = 0 / alpha = 0 (no product).
      const shapes = [[13, 33, 17], [40, 64, 29], [97, 5, 300], [1, 300, 70], [29, 49, 700], [7, 9, 0]] as const;
      for (const [m, n, k] of shapes) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            for (const alpha of k === 0 ? [1] : [2, 0]) {
              const a = new Tensor(testData(m * k, seed++), transA ? [k, m] : [m, k]);
              const b = new Tensor(testData(k * n, seed++), transB ? [n, k] : [k, n]);
              const c = new Tensor(testData(m * n, seed++), [m, n]);
              const bias = new Tensor(testData(n, seed++), [n]);
              const opts = { alpha, beta: 1.5, c, transA, transB, bias };
              const plain = linalg.gemm(a, b, opts);
              for (const [activation, approximate] of [['gelu', 'none'], ['gelu_tanh', 'tanh']] as const) {
                const fused = linalg.gemm(a, b, { ...opts, activation });
                const want = nn.functional.gelu(plain, { approximate });
                expect(fused.shape).toEqual([m, n]);
                const same = Buffer.from(fused.data.buffer, fused.data.byteOffset, fused.data.byteLength).equals(
                  Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength),
                );
                expect(same, `${activation} ${m}x${n}x${k} transA=${transA} transB=${transB} alpha=${alpha}`).toBe(true);
              }
            }
          }
        }
      }
    });
  });

  it('bmm matches per-batch products for every transpose', () => {
    withIsa(isa, () => {
      let seed = 100;
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const [batch, m, n, k] = [3, 7, 19, 37];
          const a = new Tensor(testData(batch * m * k, seed++), transA ? [batch, k, m] : [batch, m, k]);
          const b = new Tensor(testData(batch * k * n, seed++), transB ? [batch, n, k] : [batch, k, n]);
          const out = bmm(a, b, { transA, transB });
          expect(out.shape).toEqual([batch, m, n]);
          for (let i = 0; i < batch; i++) {
            const ai = a.data.subarray(i * m * k, (i + 1) * m * k);
            const bi = b.data.subarray(i * k * n, (i + 1) * k * n);
            const ref = refGemm(transA, transB, m, n, k, ai, transA ? m : k, bi, transB ? k : n);
            expect(maxScaledError(out.data.subarray(i * m * n, (i + 1) * m * n), ref, 0, (k + 2) * 2 ** -23)).toBeLessThanOrEqual(1);
          }
        }
      }
    });
  });
});

describe('linalg.gemm semantics', () => {
  it('beta 0 ignores NaN in c; no c means beta 0', () => {
    const a = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
    const eye = new Tensor(new Float32Array([1, 0, 0, 1]), [2, 2]);
    const c = new Tensor(new Float32Array(4).fill(NaN), [2, 2]);
    expect(linalg.gemm(a, eye, { c, beta: 0 }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(linalg.gemm(a, eye).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(linalg.gemm(a, eye, { c: a }).toArray()).toEqual([[2, 4], [6, 8]]); // beta defaults to 1 with c
  });

  it('relu keeps NaN and zeroes negatives; bias is per column', () => {
    const a = new Tensor(new Float32Array([1, -1]), [2, 1]);
    const b = new Tensor(new Float32Array([1, 2, 3]), [1, 3]);
    const bias = new Tensor(new Float32Array([0, -1, 10]), [3]);
    expect(linalg.gemm(a, b, { bias, activation: 'relu' }).toArray()).toEqual([[1, 1, 13], [0, 0, 7]]);
  });

  it('gives the same bits for 1 and 2 threads', () => {
    const before = backend.getNumThreads();
    const a = new Tensor(testData(96 * 300, 5), [96, 300]);
    const b = new Tensor(testData(500 * 300, 6), [500, 300]);
    const bias = new Tensor(testData(500, 7), [500]);
    try {
      for (const activation of ['relu', 'gelu', 'gelu_tanh'] as const) {
        backend.setNumThreads(1);
        const one = linalg.gemm(a, b, { transB: true, bias, activation });
        backend.setNumThreads(2);
        const two = linalg.gemm(a, b, { transB: true, bias, activation });
        expect(Buffer.from(two.data.buffer).equals(Buffer.from(one.data.buffer)), activation).toBe(true);
      }
    } finally {
      backend.setNumThreads(before);
    }
  });

  it('names shape mismatches and bad options', () => {
    const a = new Tensor(new Float32Array(10), [2, 5]);
    const b = new Tensor(new Float32Array(12), [3, 4]);
    expect(() => linalg.gemm(a, b)).toThrow('linalg.gemm: b has shape [3, 4] but a has 5 columns');
    expect(() => linalg.gemm(a, b, { transA: true })).toThrow('linalg.gemm: b has shape [3, 4] but transposed a has 2 columns');
    const b2 = new Tensor(new Float32Array(20), [5, 4]);
    expect(() => linalg.gemm(a, b2, { bias: new Tensor(new Float32Array(3), [3]) })).toThrow(
      'linalg.gemm: options.bias must have shape [4] (one value per column), but has shape [3]',
    );
    expect(() => linalg.gemm(a, b2, { c: new Tensor(new Float32Array(4), [4]) })).toThrow(
      'linalg.gemm: options.c must have shape [2, 4] (the product\'s), but has shape [4]',
    );
    expect(() => linalg.gemm(a, b2, { activation: 'tanh' as never })).toThrow(
      'linalg.gemm: options.activation must be one of "none", "relu", "gelu", "gelu_tanh", but received a string ("tanh")',
    );
    expect(() => linalg.gemm(a, b2, { beta: 1 })).toThrow('linalg.gemm: options.beta is 1 but no options.c was given');
    expect(() => linalg.gemm(a, b2, { alpha: NaN })).toThrow(RangeError);
    expect(() => linalg.gemm(a, b2, { bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
    expect(() => linalg.gemm(new Tensor(new Float32Array(5), [5]), b2)).toThrow('linalg.gemm: a must be 2-D, but has shape [5]');
    try {
      linalg.gemm(a, b);
    } catch (err) {
      expect((err as { code: string }).code).toBe(ErrorCode.Shape);
    }
  });

  it('bmm names shape mismatches', () => {
    const a = new Tensor(new Float32Array(2 * 3 * 5), [2, 3, 5]);
    expect(() => bmm(a, new Tensor(new Float32Array(2 * 4 * 6), [2, 4, 6]))).toThrow('bmm: b has shape [2, 4, 6] but a has 5 columns');
    expect(() => bmm(a, new Tensor(new Float32Array(3 * 5 * 6), [3, 5, 6]))).toThrow(/bmm: .*batch sizes 2 and 3 differ/);
    expect(() => bmm(a, new Tensor(new Float32Array(30), [5, 6]))).toThrow('bmm: b must be 3-D [batch, rows, cols], but has shape [5, 6]');
    expect(bmm(new Tensor(new Float32Array(0), [0, 3, 5]), new Tensor(new Float32Array(0), [0, 5, 2])).shape).toEqual([0, 3, 2]);
  });

  it('matmul still matches gemm without epilogue', () => {
    const a = new Tensor(testData(17 * 23, 9), [17, 23]);
    const b = new Tensor(testData(23 * 31, 10), [23, 31]);
    expect(matmul(a, b).data).toEqual(linalg.gemm(a, b).data);
  });
});

describe('sgemmEx messages', () => {
  const valid = (): Parameters<typeof native.sgemmEx> => [
    false, false, 3, 4, 5, 1, new Float32Array(17), 6, new Float32Array(20), 4, 0, new Float32Array(12), 4, new Float32Array(4), 1,
  ];
  it('checks bias and activation', () => {
    const args = valid();
    args[13] = new Float32Array(3);
    expect(() => native.sgemmEx(...args)).toThrow('sgemmEx: bias must have 4 elements for one value per column of c (n = 4), but has 3');
    for (const act of [0, 1, 2, 3]) {
      const ok = valid();
      ok[14] = act;
      expect(() => native.sgemmEx(...ok)).not.toThrow();
    }
    for (const act of [4, -1]) {
      const args2 = valid();
      args2[14] = act;
      expect(() => native.sgemmEx(...args2)).toThrow(/sgemmEx: activation must be/);
    }
    const args3 = valid();
    (args3 as unknown[])[13] = undefined;
    expect(() => native.sgemmEx(...args3)).toThrow('sgemmEx: bias must be a Float32Array or null, but received undefined');
    const args4 = valid();
    args4[13] = null;
    expect(() => native.sgemmEx(...args4)).not.toThrow();
    const shared = new Float32Array(16);
    const args5 = valid();
    args5[11] = shared.subarray(0, 12);
    args5[13] = shared.subarray(10, 14);
    expect(() => native.sgemmEx(...args5)).toThrow(/sgemmEx: c must not share memory with bias/);
  });
});

describe('sgemmBatched', () => {
  // Items (i, j) of a count0 x count1 batch against one sgemm call each: the same bits.
  function check(ta: boolean, tb: boolean, m: number, n: number, k: number, c0: number, c1: number, layout: 'packed' | 'interleaved', threads: number) {
    const lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2;
    const aRows = ta ? k : m, bRows = tb ? n : k;
    const aItem = (aRows - 1) * lda + (ta ? m : k), bItem = (bRows - 1) * ldb + (tb ? k : n);
    // packed: C items one after another; interleaved: item (i, j) is a column block of
    // a wide C (as attention's heads are), ldc = c0 * c1 * n.
    const ldc = layout === 'packed' ? n : c0 * c1 * n;
    const cItem = layout === 'packed' ? m * n : n;
    const sa = [c1 * aItem, aItem], sb = [c1 * bItem, bItem], sc = [c1 * cItem, cItem];
    const a = testData(c0 * c1 * aItem, m + 1), b = testData(c0 * c1 * bItem, n + 2);
    const cLen = layout === 'packed' ? c0 * c1 * m * n : (m - 1) * ldc + c0 * c1 * n;
    const c = testData(cLen, 7), want = c.slice();
    for (let i = 0; i < c0; i++) {
      for (let j = 0; j < c1; j++) {
        native.sgemm(ta, tb, m, n, k, 0.5, a.subarray(i * sa[0]! + j * sa[1]!), lda, b.subarray(i * sb[0]! + j * sb[1]!), ldb, 0.25, want.subarray(i * sc[0]! + j * sc[1]!), ldc);
      }
    }
    const before = backend.getNumThreads();
    backend.setNumThreads(threads);
    try {
      native.sgemmBatched(ta, tb, m, n, k, 0.5, a, lda, b, ldb, 0.25, c, ldc, c0, c1, sa[0]!, sa[1]!, sb[0]!, sb[1]!, sc[0]!, sc[1]!);
    } finally {
      backend.setNumThreads(before);
    }
    expect(c).toEqual(want);
  }

  it.each(isaLevels)('matches one sgemm per item on %s (transposes, layouts, small and large items, 1 and 2 threads)', (isa) => {
    withIsa(isa, () => {
      for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        for (const layout of ['packed', 'interleaved'] as const) {
          for (const threads of [1, 2]) {
            check(ta, tb, 7, 5, 3, 2, 3, layout, threads); // small: items in parallel
            check(ta, tb, 33, 17, 9, 3, 1, layout, threads);
            check(ta, tb, 100, 120, 90, 1, 2, layout, threads); // large: each item split
          }
        }
      }
    });
  });

  it('rejects overlapping outputs, short buffers and an overflowing extent; count 0 is a no-op', () => {
    const args = (): Parameters<typeof native.sgemmBatched> => [
      false, false, 3, 4, 5, 1, new Float32Array(102), 6, new Float32Array(120), 4, 0, new Float32Array(72), 4, 2, 3, 51, 17, 60, 20, 36, 12,
    ];
    expect(() => native.sgemmBatched(...args())).not.toThrow();
    const overlap = args();
    overlap[20] = 11; // item (0, 1) starts inside item (0, 0)'s last row
    expect(() => native.sgemmBatched(...overlap)).toThrow('sgemmBatched: c: the batch\'s 3 x 4 output blocks overlap (ldc 4, strideC0 36, strideC1 11)');
    const sideBySide = args();
    // column blocks of a 3 x 24 C: disjoint, accepted
    sideBySide[11] = new Float32Array(72);
    sideBySide[12] = 24;
    sideBySide[19] = 12;
    sideBySide[20] = 4;
    expect(() => native.sgemmBatched(...sideBySide)).not.toThrow();
    sideBySide[20] = 3; // one column shared
    expect(() => native.sgemmBatched(...sideBySide)).toThrow(/sgemmBatched: c: the batch's 3 x 4 output blocks overlap/);
    const short = args();
    short[6] = new Float32Array(101);
    expect(() => native.sgemmBatched(...short)).toThrow("sgemmBatched: a needs at least 102 elements for the batch's last matrix, but has 101");
    const huge = args();
    huge[13] = 2 ** 31 - 1;
    huge[15] = 2 ** 31 - 1;
    expect(() => native.sgemmBatched(...huge)).toThrow(/sgemmBatched: a needs at least \d+ elements/);
    const none = args();
    none[13] = 0;
    none[11] = new Float32Array(0);
    expect(() => native.sgemmBatched(...none)).not.toThrow();
  });
});

// sgemmEx's packCache: op(B) packed once per kernel config and reused. It must give the
// bits of packing per call on every ISA (the cache keyed per config, so switching ISA
// with one cache stays right), replace an entry that does not fit, and refuse a cache
// that is not a plain object.
describe('sgemmEx packCache', () => {
  const run = (m: number, n: number, k: number, transB: boolean, a: Float32Array, b: Float32Array, bias: Float32Array, cache?: object) => {
    const c = new Float32Array(m * n).fill(Number.NaN);
    native.sgemmEx(false, transB, m, n, k, 1, a, k, b, transB ? k : n, 0, c, n, bias, 1, cache);
    return c;
  };
  const bitsEqual = (x: Float32Array, y: Float32Array) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));

  it('gives the bits of packing per call, on every ISA and after switching ISA with the same cache', () => {
    let seed = 100;
    for (const transB of [true, false]) {
      for (const [n, k] of [[500, 784], [10, 500], [37, 3], [16, 1]] as const) {
        const b = testData(n * k, seed++);
        const bias = testData(n, seed++);
        const cache: Record<string, unknown> = {};
        for (const isa of [...isaLevels, ...isaLevels]) {
          withIsa(isa, () => {
            for (const m of [1, 2, 7, 64, 256]) {
              const a = testData(m * k, seed++);
              const want = run(m, n, k, transB, a, b, bias);
              expect(bitsEqual(run(m, n, k, transB, a, b, bias, cache), want), `${isa} ${m}x${n}x${k} transB=${transB} first`).toBe(true);
              expect(bitsEqual(run(m, n, k, transB, a, b, bias, cache), want), `${isa} ${m}x${n}x${k} transB=${transB} cached`).toBe(true);
            }
          });
        }
        // One packing per config used, each a Float32Array (m = 1 reads B in place: none for it).
        expect(Object.keys(cache).length).toBeGreaterThan(0);
        for (const v of Object.values(cache)) expect(v).toBeInstanceOf(Float32Array);
      }
    }
  });

  it('replaces an entry that does not fit and refuses a cache that is not an object', () => {
    const [m, n, k] = [32, 40, 50];
    const a = testData(m * k, 1), b = testData(n * k, 2), bias = testData(n, 3);
    const want = run(m, n, k, true, a, b, bias);
    const cache: Record<string, unknown> = {};
    run(m, n, k, true, a, b, bias, cache);
    const keys = Object.keys(cache);
    expect(keys.length).toBe(1);
    for (const wrong of [new Float32Array(3), new Int32Array((cache[keys[0]!] as Float32Array).length), 'x', null]) {
      cache[keys[0]!] = wrong;
      expect(bitsEqual(run(m, n, k, true, a, b, bias, cache), want)).toBe(true);
      expect(cache[keys[0]!]).toBeInstanceOf(Float32Array);
      expect(cache[keys[0]!]).not.toBe(wrong);
    }
    // An entry of the right length that c overlaps is repacked, never read while c is written.
    const entry = cache[keys[0]!] as Float32Array;
    const c = entry.subarray(0, m * n);
    native.sgemmEx(false, true, m, n, k, 1, a, k, b, k, 0, c, n, bias, 1, cache);
    expect(bitsEqual(c, want)).toBe(true);
    expect(cache[keys[0]!]).not.toBe(entry);
    for (const bad of [5, 'cache', new Float32Array(4), [1], () => 0]) {
      expect(() => native.sgemmEx(false, true, m, n, k, 1, a, k, b, k, 0, new Float32Array(m * n), n, bias, 1, bad as object)).toThrow(
        /^sgemmEx: packCache must be a plain object or undefined, but received/,
      );
    }
    expect(() => native.sgemmEx(false, true, m, n, k, 1, a, k, b, k, 0, new Float32Array(m * n), n, bias, 1, undefined)).not.toThrow();
  });
});
