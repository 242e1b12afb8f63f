// Finite-difference checks of logsumexp, norm (every kind of p, away from the kinks: no
// entry near 0, no near-ties of |x| for the Infinity norms) and expand / broadcastTo
// against the gradients autograd accumulates.
import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, randn } from '../../src/index.js';
import { broadcastTo, expand } from '../../src/ops/expand.js';
import { logsumexp } from '../../src/ops/logsumexp.js';
import { norm } from '../../src/ops/norm.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

/** randn values moved 0.5 away from 0 (|x| >= 0.5): no kink of |x| within the step. */
function awayFromZero(shape: number[]): Tensor {
  const x = randn(shape);
  x.data.forEach((v, i) => (x.data[i] = v >= 0 ? v + 0.5 : v - 0.5));
  return x;
}

/** Distinct |x| at least 0.1 apart (a shuffled ladder with random signs): no tie within the step. */
function distinctMagnitudes(shape: number[]): Tensor {
  const x = randn(shape);
  const order = Array.from(x.data, (v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  order.forEach(([, i], k) => (x.data[i] = (0.5 + 0.1 * k) * (k % 3 === 0 ? -1 : 1)));
  return x;
}

function check(f: (t: Tensor) => Tensor, make: (shape: number[]) => Tensor, shape: number[], seed: number): number {
  manualSeed(seed);
  const x = make(shape).requiresGrad_();
  const w = randn([...f(x).shape]).data;
  return gradcheck((t) => weightedSum(f(t!), w), [x]);
}

describe('gradients of logsumexp, norm and expand match finite differences', () => {
  const cases: [string, (t: Tensor) => Tensor, (shape: number[]) => Tensor, number[]][] = [
    ['logsumexp dim 1', (t) => logsumexp(t, 1), randn, [3, 5, 2]],
    ['logsumexp dims [0, 2] keepdim', (t) => logsumexp(t, [0, 2], { keepdim: true }), randn, [3, 5, 2]],
    ['logsumexp dim -1 of a vector', (t) => logsumexp(t, -1), randn, [7]],
    ['norm p 2 over all', (t) => norm(t), randn, [3, 4]],
    ['norm p 2 dim 1', (t) => norm(t, { dim: 1 }), randn, [3, 5, 2]],
    ['norm p 1 dims [0, 2]', (t) => norm(t, { p: 1, dim: [0, 2] }), awayFromZero, [3, 5, 2]],
    ['norm p 3 dim -1 keepdim', (t) => norm(t, { p: 3, dim: -1, keepdim: true }), awayFromZero, [3, 5]],
    ['norm p 1.5', (t) => norm(t, { p: 1.5, dim: 0 }), awayFromZero, [5, 3]],
    ['norm p 0.5', (t) => norm(t, { p: 0.5, dim: 1 }), awayFromZero, [3, 5]],
    ['norm p -1', (t) => norm(t, { p: -1, dim: [1] }), awayFromZero, [3, 5]],
    ['norm p -2.5', (t) => norm(t, { p: -2.5 }), awayFromZero, [2, 3]],
    ['norm p Infinity dim 1', (t) => norm(t, { p: Infinity, dim: 1 }), distinctMagnitudes, [3, 5]],
    ['norm p -Infinity dims [0, 1]', (t) => norm(t, { p: -Infinity, dim: [0, 1], keepdim: true }), distinctMagnitudes, [3, 5, 2]],
    ['expand', (t) => expand(t, [2, 3, -1, 4]), randn, [3, 1]],
    ['broadcastTo', (t) => broadcastTo(t, [2, 3, 4]), randn, [1, 3, 1]],
  ];
  cases.forEach(([label, f, make, shape], i) => {
    it(label, () => {
      expect(check(f, make, shape, 90 + i)).toBeLessThanOrEqual(1);
    });
  });
});
