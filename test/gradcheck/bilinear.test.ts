import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

describe('bilinear gradients match finite differences (both inputs, weight, bias)', () => {
  for (const [label, shape1, shape2, bias] of [
    ['2-D inputs with bias', [4, 3], [4, 2], true],
    ['3-D inputs without bias', [2, 3, 3], [2, 3, 2], false],
    ['1-D inputs', [3], [2], true],
  ] as const) {
    it(label, () => {
      manualSeed(8);
      const x1 = randn([...shape1]).requiresGrad_();
      const x2 = randn([...shape2]).requiresGrad_();
      const w = randn(4, 3, 2).requiresGrad_();
      const b = bias ? randn(4).requiresGrad_() : null;
      const outWeights = randn([...shape1.slice(0, -1), 4]).data;
      const f = (...t: Tensor[]) => weightedSum(nn.functional.bilinear(t[0]!, t[1]!, t[2]!, t[3] ?? null), outWeights);
      expect(gradcheck(f, b ? [x1, x2, w, b] : [x1, x2, w])).toBeLessThanOrEqual(1);
    });
  }

  it('the same input on both sides (x^T W x) sums both paths', () => {
    manualSeed(9);
    const m = new nn.Bilinear(3, 3, 2);
    const x = randn(5, 3).requiresGrad_();
    const outWeights = randn(5, 2).data;
    expect(gradcheck(() => weightedSum(m.forward(x, x), outWeights), [x, ...m.parameters()])).toBeLessThanOrEqual(1);
  });
});
