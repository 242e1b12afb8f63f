// Finite-difference checks of min, var, std (and the squeeze/unsqueeze/flatten views)
// against the gradients autograd accumulates.
import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, randn } from '../../src/index.js';
import { min } from '../../src/ops/min.js';
import { flatten, squeeze, unsqueeze } from '../../src/ops/squeeze.js';
import { std, variance } from '../../src/ops/variance.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

function check(f: (t: Tensor) => Tensor, shape: number[], seed: number): number {
  manualSeed(seed);
  const x = randn(shape).requiresGrad_();
  const w = randn([...f(x).shape]).data;
  return gradcheck((t) => weightedSum(f(t!), w), [x]);
}

describe('gradients of the tensor extras match finite differences', () => {
  const cases: [string, (t: Tensor) => Tensor, number[]][] = [
    ['min dim 1', (t) => min(t, 1).values, [3, 4, 2]],
    ['min dim -1 keepdim', (t) => min(t, -1, { keepdim: true }).values, [3, 5]],
    ['min dim 0 of a vector', (t) => min(t, 0).values, [6]],
    ['var over all', (t) => variance(t), [3, 4]],
    ['var dim 1', (t) => variance(t, 1), [3, 4, 2]],
    ['var dims [0, 2] keepdim', (t) => variance(t, [0, 2], { keepdim: true }), [3, 4, 2]],
    ['var correction 0', (t) => variance(t, -1, { correction: 0 }), [2, 5]],
    ['var correction 2', (t) => variance(t, 0, { correction: 2 }), [5, 3]],
    ['var unbiased false', (t) => variance(t, [1], { unbiased: false }), [2, 4]],
    ['std over all', (t) => std(t), [3, 4]],
    ['std dim 1', (t) => std(t, 1), [3, 4, 2]],
    ['std dims [-1, 0] keepdim', (t) => std(t, [-1, 0], { keepdim: true }), [3, 4, 2]],
    ['std correction 0', (t) => std(t, 0, { correction: 0 }), [4, 3]],
    ['squeeze', (t) => squeeze(t), [2, 1, 3]],
    ['unsqueeze', (t) => unsqueeze(t, -1), [2, 3]],
    ['flatten', (t) => flatten(t, 1), [2, 3, 2]],
  ];
  cases.forEach(([label, f, shape], i) => {
    it(label, () => {
      expect(check(f, shape, 70 + i)).toBeLessThanOrEqual(1);
    });
  });
});
