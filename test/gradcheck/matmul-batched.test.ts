import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, matmul, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

// Shapes of a and b (before transposes), with the options: broadcasting on either side,
// vectors, and the [..., M, K] x [K, N] case that runs as one folded GEMM.
const cases: [number[], number[], boolean, boolean][] = [
  [[2, 3, 4], [4, 2], false, false],
  [[2, 3, 4], [2, 4], false, true],
  [[2, 4, 3], [4, 2], true, false],
  [[3, 4], [2, 4, 2], false, false],
  [[4, 3], [2, 2, 4], true, true],
  [[2, 3, 4], [2, 4, 2], false, false],
  [[2, 3, 4], [1, 4, 2], false, false],
  [[2, 1, 3, 4], [3, 4, 2], false, false],
  [[2, 1, 4, 3], [3, 2, 4], true, true],
  [[4], [2, 4, 3], false, false],
  [[2, 3, 4], [4], false, false],
  [[2, 4, 3], [4], true, false],
  [[2, 1, 3, 4], [4], false, false],
];

describe('matmul over batch dimensions: gradients match finite differences', () => {
  for (const [sa, sb, transA, transB] of cases) {
    it(`[${sa}]${transA ? 'ᵀ' : ''} x [${sb}]${transB ? 'ᵀ' : ''}`, () => {
      manualSeed(41);
      const a = randn(sa).requiresGrad_();
      const b = randn(sb).requiresGrad_();
      const out = matmul(a, b, { transA, transB });
      const w = randn(out.shape).data;
      const f = (x: Tensor, y: Tensor) => weightedSum(matmul(x, y, { transA, transB }), w);
      expect(gradcheck(f, [a, b])).toBeLessThanOrEqual(1);
      // Each gradient has its operand's shape, summed over the broadcast dimensions.
      expect(a.grad!.shape).toEqual(sa);
      expect(b.grad!.shape).toEqual(sb);
    });
  }

  it('an empty batch gives zero gradients of the right shape', () => {
    const a = randn(3, 4).requiresGrad_();
    const b = randn(0, 4, 2).requiresGrad_();
    weightedSum(matmul(a, b)).backward();
    expect(Array.from(a.grad!.data)).toEqual(new Array(12).fill(0));
    expect(b.grad!.shape).toEqual([0, 4, 2]);
  });
});
