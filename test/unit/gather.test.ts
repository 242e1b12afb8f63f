// Row gather and scatter-add (native/binding/gather_binding.cpp) behind data.gatherRows,
// nn.Embedding and indexSelect: the binding's messages, and gradients of repeated
// indices summed exactly as a plain loop sums them (float32, in index order), on every
// ISA level.
import { describe, expect, it } from 'vitest';

import { BufferPool, Tensor, data, indexSelect, manualSeed, nn, randn } from '../../src/index.js';
import { native } from '../../src/native.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { weightedSum } from '../helpers/test-ops.js';

const f32 = (n: number, start = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => start + i);

/** dst[o, idx[i], :] += g[o, i, :] in float32, i in order (the reference for the native sums). */
function plainScatter(g: Float32Array, outer: number, size: number, inner: number, idx: ArrayLike<number>, skip: number): Float32Array {
  const n = idx.length;
  const dst = new Float32Array(outer * size * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      if (idx[i] === skip) continue;
      for (let k = 0; k < inner; k++) {
        const to = (o * size + idx[i]!) * inner + k;
        dst[to] = Math.fround(dst[to]! + g[(o * n + i) * inner + k]!);
      }
    }
  }
  return dst;
}

describe('gather bindings', () => {
  it('name the first index out of range', () => {
    expect(() => native.gatherRows(f32(20), 1, 5, 4, Int32Array.of(0, 7, 9), new Float32Array(12))).toThrow(
      'gatherRows: indices[1] must be in [0, 5), but received 7',
    );
    // skip = -1 means none: an index of -1 is out of range, not skipped.
    expect(() => native.scatterAddRows(f32(8), 1, 5, 4, Int32Array.of(2, -1), -1, new Float32Array(20))).toThrow(
      'scatterAddRows: indices[1] must be in [0, 5), but received -1',
    );
  });

  it('take skip in [-1, size)', () => {
    const call = (skip: number) => () => native.scatterAddRows(f32(8), 1, 5, 4, Int32Array.of(2, 3), skip, new Float32Array(20));
    expect(call(5)).toThrow('scatterAddRows: skip must be an integer in [-1, 4], but received 5');
    expect(call(-2)).toThrow(RangeError);
    expect(call(1.5)).toThrow(RangeError);
    for (const skip of [-1, 0, 4]) expect(call(skip)).not.toThrow();
  });

  it('check lengths against outer, size, inner and indices.length', () => {
    expect(() => native.gatherRows(f32(40), 2, 5, 4, Int32Array.of(1, 2, 3), new Float32Array(23))).toThrow(
      'gatherRows: out must have 24 elements for a [2, 3, 4] array (outer, indices.length, inner), but has 23',
    );
    expect(() => native.scatterAddRows(f32(24), 2, 5, 4, Int32Array.of(1, 2, 3), -1, new Float32Array(41))).toThrow(
      'scatterAddRows: out must have 40 elements for a [2, 5, 4] array (outer, size, inner), but has 41',
    );
    expect(() => native.gatherRows(new Float32Array(0), 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, new Int32Array(0), new Float32Array(0))).toThrow(
      /gatherRows: outer x size x inner is too large/,
    );
  });

  it('refuse an output that overlaps the source or the indices', () => {
    const buf = new ArrayBuffer(4 * 64);
    const src = new Float32Array(buf, 0, 20);
    expect(() => native.gatherRows(src, 1, 5, 4, Int32Array.of(0), new Float32Array(buf, 4 * 16, 4))).toThrow(
      'gatherRows: out must not share memory with src (pass a separate output buffer)',
    );
    const idx = new Int32Array(buf, 4 * 40, 2);
    expect(() => native.scatterAddRows(f32(8), 1, 5, 4, idx, -1, new Float32Array(buf, 4 * 24, 20))).toThrow(
      'scatterAddRows: out must not share memory with indices (pass a separate output buffer)',
    );
  });
});

describe('data.gatherRows', () => {
  const t = new Tensor(f32(15), [5, 3]);

  it('copies rows for any list of indices, into out when given', () => {
    for (const indices of [[4, 0, 4], Int32Array.of(4, 0, 4), Float64Array.of(4, 0, 4), Int32Array.of(9, 4, 0, 4).subarray(1)]) {
      expect(Array.from(data.gatherRows(t, indices).data)).toEqual([12, 13, 14, 0, 1, 2, 12, 13, 14]);
    }
    const out = new Float32Array(6);
    expect(data.gatherRows(t, [1, 2], out).data).toBe(out);
    expect(Array.from(out)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(data.gatherRows(t, []).shape).toEqual([0, 3]);
  });

  it('names a bad index, whichever side catches it', () => {
    expect(() => data.gatherRows(t, Int32Array.of(0, 5))).toThrow('gatherRows: indices[1] must be in [0, 5), but received 5');
    expect(() => data.gatherRows(t, [0, 1, -1])).toThrow('gatherRows: indices[2] must be an integer in [0, 5), but received -1');
    expect(() => data.gatherRows(t, [0.5])).toThrow('gatherRows: indices[0] must be an integer in [0, 5), but received 0.5');
    expect(() => data.gatherRows(t, [2 ** 32])).toThrow(RangeError);
    expect(() => data.gatherRows(t, [0], new Float32Array(2))).toThrow('gatherRows: out has 2 elements, need 3');
  });
});

describe.each(isaLevels)('repeated indices sum their gradients in index order (%s)', (isa) => {
  it('indexSelect along every dimension', () => {
    withIsa(isa, () => {
      manualSeed(11);
      const shape = [3, 4, 37];
      const cases: [number, number[]][] = [[0, [2, 0, 2, 2]], [1, [3, 1, 3, 0, 3]], [2, [36, 0, 5, 36, 17, 5]]];
      for (const [dim, index] of cases) {
        const x = randn(shape).requiresGrad_();
        const y = indexSelect(x, dim, index);
        const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
        const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
        const w = randn(y.shape).data;
        weightedSum(y, w).backward();
        expect(Array.from(x.grad!.data), `dim ${dim}`).toEqual(Array.from(plainScatter(w, outer, shape[dim]!, inner, index, -1)));
      }
    });
  });

  it('nn.Embedding, with the padding row left at zero', () => {
    withIsa(isa, () => {
      manualSeed(12);
      for (const [d, paddingIdx] of [[1, undefined], [5, 2], [600, 0]] as const) {
        const emb = new nn.Embedding(6, d, paddingIdx === undefined ? {} : { paddingIdx });
        const ids = Int32Array.from({ length: 50 }, (_, i) => (i * 7) % 6);
        const out = emb.forward(ids);
        for (let i = 0; i < ids.length; i++) {
          expect(out.data.subarray(i * d, (i + 1) * d)).toEqual(emb.weight.data.subarray(ids[i]! * d, (ids[i]! + 1) * d));
        }
        const w = randn(out.shape).data;
        weightedSum(out, w).backward();
        expect(Array.from(emb.weight.grad!.data), `d ${d}`).toEqual(Array.from(plainScatter(w, 1, 6, d, ids, paddingIdx ?? -1)));
      }
    });
  });
});

describe('pooled buffers', () => {
  it('gathers overwrite every element of a recycled (NaN-poisoned) buffer; scatter-adds start from zero', () => {
    const pool = new BufferPool({ poison: true });
    manualSeed(13);
    const x = randn(4, 6).requiresGrad_();
    const emb = new nn.Embedding(4, 6);
    for (let step = 0; step < 3; step++) {
      x.grad = null;
      emb.weight.grad = null;
      pool.run(() => {
        const a = indexSelect(x, 1, [5, 0, 5]);
        const b = emb.forward([3, 3, 1]);
        expect(a.data.some(Number.isNaN) || b.data.some(Number.isNaN)).toBe(false);
        weightedSum(a).backward();
        weightedSum(b).backward();
      });
      expect(Array.from(x.grad!.data.subarray(0, 6))).toEqual([1, 0, 0, 0, 0, 2]);
      expect(Array.from(emb.weight.grad!.data.subarray(18, 24))).toEqual([2, 2, 2, 2, 2, 2]);
      expect(Array.from(emb.weight.grad!.data.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });
});
