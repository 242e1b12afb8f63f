import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

describe('linear gradients match finite differences', () => {
  for (const [label, inputShape, bias] of [
    ['2-D input with bias', [4, 5], true],
    ['3-D input without bias', [2, 3, 5], false],
    ['1-D input', [5], true],
  ] as const) {
    it(label, () => {
      manualSeed(5);
      const x = randn([...inputShape]).requiresGrad_();
      const w = randn(3, 5).requiresGrad_();
      const b = bias ? randn(3).requiresGrad_() : null;
      const outWeights = randn([...inputShape.slice(0, -1), 3]).data;
      const f = (...t: Tensor[]) => weightedSum(nn.functional.linear(t[0]!, t[1]!, t[2] ?? null), outWeights);
      expect(gradcheck(f, b ? [x, w, b] : [x, w])).toBeLessThanOrEqual(1);
    });
  }
});

describe('Embedding', () => {
  it('looks up rows, keeps the padding row at zero and sends it no gradient', () => {
    manualSeed(6);
    const emb = new nn.Embedding(5, 3, { paddingIdx: 1 });
    expect(Array.from(emb.weight.data.subarray(3, 6))).toEqual([0, 0, 0]);
    const ids = [[0, 1], [4, 0]];
    const out = emb.forward(new Tensor(Float32Array.from(ids.flat()), [2, 2]));
    expect(out.shape).toEqual([2, 2, 3]);
    expect(Array.from(out.data.subarray(6, 9))).toEqual(Array.from(emb.weight.data.subarray(12, 15)));
    const w = randn(2, 2, 3).data;
    weightedSum(out, w).backward();
    const g = emb.weight.grad!.data;
    expect(Array.from(g.subarray(3, 6))).toEqual([0, 0, 0]);
    for (let j = 0; j < 3; j++) expect(g[j]).toBeCloseTo(w[j]! + w[9 + j]!, 6);
    expect(() => emb.forward([5])).toThrow('Embedding: input[0] = 5 is not an index in [0, 5)');
    expect(() => emb.forward([1.5])).toThrow(RangeError);
    expect(String(emb)).toBe('Embedding(5, 3, paddingIdx=1)');
  });
  it('gradients match finite differences', () => {
    manualSeed(7);
    const emb = new nn.Embedding(4, 2);
    const w = randn(3, 2).data;
    expect(gradcheck(() => weightedSum(emb.forward(Int32Array.of(3, 0, 3)), w), [emb.weight])).toBeLessThanOrEqual(1);
  });
});
