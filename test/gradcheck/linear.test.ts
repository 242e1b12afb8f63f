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
