// Finite-difference gradient checks for the normalization layers, in training and
// eval mode, for input, weight and bias.
import { describe, expect, it } from 'vitest';

import { manualSeed, nn, randn, rand, Tensor } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

type Case = [label: string, make: () => nn.Module, shape: number[]];

function params(m: nn.Module): Tensor[] {
  return [...m.parameters()];
}

/** Non-trivial parameters and running statistics, so every term of the gradient matters. */
function perturb(m: nn.Module): void {
  for (const p of m.parameters()) p.data.set(randn(p.shape).data.map((v) => 1 + 0.5 * v));
  const sd = m.stateDict();
  if (sd.running_mean) sd.running_mean.data.set(randn(sd.running_mean.shape).data);
  if (sd.running_var) sd.running_var.data.set(rand(sd.running_var.shape).data.map((v) => 0.5 + v));
}

const cases: Case[] = [
  ['BatchNorm1d [N, C]', () => new nn.BatchNorm1d(3), [5, 3]],
  ['BatchNorm1d [N, C, L]', () => new nn.BatchNorm1d(3, { momentum: null }), [2, 3, 4]],
  ['BatchNorm1d affine false', () => new nn.BatchNorm1d(2, { affine: false }), [4, 2, 3]],
  ['BatchNorm1d trackRunningStats false', () => new nn.BatchNorm1d(2, { trackRunningStats: false }), [3, 2, 2]],
  ['BatchNorm2d', () => new nn.BatchNorm2d(2), [2, 2, 3, 3]],
  ['LayerNorm [4]', () => new nn.LayerNorm(4), [3, 4]],
  ['LayerNorm [3, 4]', () => new nn.LayerNorm([3, 4], { eps: 1e-3 }), [2, 3, 4]],
  ['LayerNorm no affine', () => new nn.LayerNorm(5, { elementwiseAffine: false }), [2, 2, 5]],
  ['GroupNorm 2 groups', () => new nn.GroupNorm(2, 4), [2, 4, 3]],
  ['GroupNorm 1 group, 4-D', () => new nn.GroupNorm(1, 3), [2, 3, 2, 2]],
  ['GroupNorm per channel, no affine', () => new nn.GroupNorm(3, 3, { affine: false }), [2, 3, 5]],
];

describe('normalization gradients match finite differences', () => {
  for (const [label, make, shape] of cases) {
    for (const mode of ['train', 'eval'] as const) {
      it(`${label} (${mode})`, () => {
        manualSeed(11);
        const m = make();
        perturb(m);
        if (mode === 'eval') m.eval();
        const x = randn(shape).requiresGrad_();
        const w = randn(shape).data;
        const inputs = [x, ...params(m)];
        const f = () => weightedSum(m.forward(x) as Tensor, w);
        expect(gradcheck(f, inputs)).toBeLessThanOrEqual(1);
        // Every input and parameter received a gradient.
        for (const t of inputs) expect(t.grad, label).not.toBeNull();
      });
    }
  }

  it('functional forms with only some inputs requiring grad', () => {
    manualSeed(12);
    const x = randn(3, 4, 2);
    const weight = randn(4).requiresGrad_();
    const bias = randn(4);
    const w = randn(3, 4, 2).data;
    expect(gradcheck(() => weightedSum(nn.functional.batchNorm(x, null, null, { weight, bias, training: true }), w), [weight])).toBeLessThanOrEqual(1);
    expect(gradcheck(() => weightedSum(nn.functional.groupNorm(x, 2, { weight, bias }), w), [weight])).toBeLessThanOrEqual(1);
    const lw = randn(2).requiresGrad_();
    expect(gradcheck(() => weightedSum(nn.functional.layerNorm(x, [2], { weight: lw }), w), [lw])).toBeLessThanOrEqual(1);
  });
});
