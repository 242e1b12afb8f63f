import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, matmul, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

describe('matmul gradients match finite differences', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`transA=${transA} transB=${transB}`, () => {
        manualSeed(11);
        const [m, n, k] = [3, 4, 5];
        const a = randn(transA ? [k, m] : [m, k]).requiresGrad_();
        const b = randn(transB ? [n, k] : [k, n]).requiresGrad_();
        const weights = randn(m, n).data;
        const f = (x: Tensor, y: Tensor) => weightedSum(matmul(x, y, { transA, transB }), weights);
        expect(gradcheck(f, [a, b])).toBeLessThanOrEqual(1);
      });
    }
  }
  it('1-D operands', () => {
    manualSeed(12);
    const v = randn(4).requiresGrad_();
    const m = randn(4, 3).requiresGrad_();
    const w = randn(3).data;
    expect(gradcheck((x, y) => weightedSum(matmul(x, y), w), [v, m])).toBeLessThanOrEqual(1);
    expect(gradcheck((x, y) => weightedSum(matmul(x, y)), [v, randn(4).requiresGrad_()])).toBeLessThanOrEqual(1);
  });
});

describe('bmm gradients match finite differences', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`transA=${transA} transB=${transB}`, async () => {
        const { bmm } = await import('../../src/index.js');
        manualSeed(13);
        const [bt, m, n, k] = [3, 2, 4, 5];
        const a = randn(transA ? [bt, k, m] : [bt, m, k]).requiresGrad_();
        const b = randn(transB ? [bt, n, k] : [bt, k, n]).requiresGrad_();
        const w = randn(bt, m, n).data;
        expect(gradcheck((x, y) => weightedSum(bmm(x, y, { transA, transB }), w), [a, b])).toBeLessThanOrEqual(1);
      });
    }
  }
});
