import { describe, expect, it } from 'vitest';

import { Tensor, autograd, linalg, manualSeed, matmul, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

const activations = ['none', 'relu', 'gelu', 'gelu_tanh'] as const;

describe('linalg.gemm gradients match finite differences', () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      for (const activation of activations) {
        it(`transA=${transA} transB=${transB} activation=${activation}: a, b, c and bias`, () => {
          manualSeed(21);
          const [m, n, k] = [3, 4, 5];
          const a = randn(transA ? [k, m] : [m, k]).requiresGrad_();
          const b = randn(transB ? [n, k] : [k, n]).requiresGrad_();
          const c = randn(m, n).requiresGrad_();
          const bias = randn(n).requiresGrad_();
          const w = randn(m, n).data;
          const f = (x: Tensor, y: Tensor, cc: Tensor, bb: Tensor) =>
            weightedSum(linalg.gemm(x, y, { alpha: 0.7, beta: -1.3, c: cc, bias: bb, transA, transB, activation }), w);
          expect(gradcheck(f, [a, b, c, bias])).toBeLessThanOrEqual(1);
        });
      }
    }
  }

  it('only some inputs requiring grad; beta 0 gives c a zero gradient', () => {
    manualSeed(22);
    const a = randn(2, 3);
    const b = randn(3, 4).requiresGrad_();
    const c = randn(2, 4).requiresGrad_();
    const y = linalg.gemm(a, b, { c, beta: 0, alpha: 2 });
    expect(y.requiresGrad).toBe(true);
    weightedSum(y).backward();
    expect(a.grad).toBeNull();
    expect(Array.from(c.grad!.data)).toEqual(new Array(8).fill(0));
    expect(gradcheck((x) => weightedSum(linalg.gemm(a, x, { alpha: 2 })), [b])).toBeLessThanOrEqual(1);
  });
});

describe('linalg.gemm with autograd', () => {
  it('records a node (the audit case: backward used to fail with "does not require grad")', () => {
    manualSeed(23);
    const x = randn(2, 3).requiresGrad_();
    const w = randn(3, 4).requiresGrad_();
    const y = linalg.gemm(x, w);
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn).not.toBeNull();
    weightedSum(y).backward();
    // The same gradients as matmul's.
    const x2 = new Tensor(x.data.slice(), x.shape).requiresGrad_();
    const w2 = new Tensor(w.data.slice(), w.shape).requiresGrad_();
    weightedSum(matmul(x2, w2)).backward();
    expect(Array.from(x.grad!.data)).toEqual(Array.from(x2.grad!.data));
    expect(Array.from(w.grad!.data)).toEqual(Array.from(w2.grad!.data));
  });

  it('gives the same bits with and without a gradient to record, for every activation', () => {
    manualSeed(24);
    for (const transB of [false, true]) {
      const a = randn(13, 17);
      const b = randn(transB ? [9, 17] : [17, 9]);
      const c = randn(13, 9);
      const bias = randn(9);
      for (const activation of activations) {
        const opts = { alpha: 1.5, beta: 0.5, c, bias, transB, activation };
        const plain = autograd.noGrad(() => linalg.gemm(a, b, opts));
        const tracked = linalg.gemm(a, b.clone().requiresGrad_(), opts);
        expect(tracked.gradFn).not.toBeNull();
        expect(tracked.data).toEqual(plain.data);
      }
    }
  });

  it('records nothing without inputs that require grad or in noGrad', () => {
    const a = randn(2, 2).requiresGrad_();
    expect(linalg.gemm(randn(2, 2), randn(2, 2)).gradFn).toBeNull();
    expect(autograd.noGrad(() => linalg.gemm(a, randn(2, 2))).gradFn).toBeNull();
  });
});
