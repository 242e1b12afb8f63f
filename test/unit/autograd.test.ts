import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, autograd, manualSeed, matmul, noGrad, randn, tensor } from '../../src/index.js';
import { add, halves, weightedSum } from '../helpers/test-ops.js';

describe('autograd engine', () => {
  it('computes matmul gradients through a chain and accumulates into leaves', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const w = tensor([[1, 0], [0, 2]]).requiresGrad_();
    const loss = weightedSum(matmul(x, w));
    loss.backward();
    // d/dw sum(x w) = x^T 1 = column sums of x, broadcast over columns.
    expect(w.grad!.toArray()).toEqual([[4, 4], [6, 6]]);
    expect(x.grad).toBeNull();
    weightedSum(matmul(x, w)).backward();
    expect(w.grad!.toArray()).toEqual([[8, 8], [12, 12]]);
  });

  it('sums gradients of a tensor used twice (shared weights, residuals)', () => {
    const w = tensor([[2]]).requiresGrad_();
    const y = matmul(matmul(tensor([[3]]), w), w); // 3 w^2
    y.backward();
    expect(w.grad!.item()).toBe(12);
    const a = tensor([1, 2]).requiresGrad_();
    add(a, a).backward(tensor([1, 1]));
    expect(Array.from(a.grad!.data)).toEqual([2, 2]);
  });

  it('runs multi-output nodes once, with null for outputs that got no gradient', () => {
    const x = tensor([1, 2, 3, 4]).requiresGrad_();
    const [lo, hi] = halves(x);
    weightedSum(lo, Float32Array.of(5, 6)).backward();
    expect(Array.from(x.grad!.data)).toEqual([5, 6, 0, 0]);
    x.grad = null;
    const [lo2, hi2] = halves(x);
    autograd.backward([lo2, hi2], [tensor([1, 1]), tensor([2, 2])]);
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 2, 2]);
    expect(hi.gradFn).toBe(lo.gradFn);
  });

  it('refuses a second backward through a freed graph unless retainGraph', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const loss = weightedSum(w.reshape(2, 1));
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    expect(Array.from(w.grad!.data)).toEqual([2, 2]);
    try {
      loss.backward();
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/backward: trying to backward through the graph a second time/);
      expect((err as { code: string }).code).toBe(ErrorCode.State);
    }
  });

  it('needs an explicit gradient for non-scalar outputs, of the right shape', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const y = w.reshape(2, 1);
    expect(() => y.backward()).toThrow(/grad can be created implicitly only for one-element outputs, but tensors\[0\] has shape \[2, 1\]/);
    expect(() => y.backward(tensor([1, 1]))).toThrow(/grads\[0\] has shape \[2\] but tensors\[0\] has shape \[2, 1\]/);
    expect(() => tensor([1]).backward()).toThrow(/element 0 of tensors does not require grad/);
  });

  it('records nothing under noGrad and refuses async bodies', () => {
    const w = tensor([[1]]).requiresGrad_();
    const y = noGrad(() => matmul(w, w));
    expect(y.gradFn).toBeNull();
    expect(y.requiresGrad).toBe(false);
    expect(() => noGrad(async () => 1)).toThrow(/noGrad: fn returned a Promise/);
    expect(autograd.isGradEnabled()).toBe(true);
  });

  it('leaf rules: requiresGrad on non-leaves, detach, retainGrad, grad assignment', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const v = w.reshape(2, 1);
    expect(v.isLeaf).toBe(false);
    expect(v.requiresGrad).toBe(true);
    expect(() => {
      v.requiresGrad = false;
    }).toThrow(/only leaf tensors can change requiresGrad/);
    const d = v.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(v.data);
    v.retainGrad();
    weightedSum(v, Float32Array.of(3, 4)).backward();
    expect(Array.from(v.grad!.data)).toEqual([3, 4]);
    expect(() => {
      w.grad = tensor([1, 2, 3]);
    }).toThrow(/assigned gradient has shape \[3\] but the tensor has shape \[2\]/);
  });

  it('shows gradFn and requiresGrad when printed', () => {
    const w = tensor([1.5]).requiresGrad_();
    expect(inspect(w)).toBe('tensor([1.5000], requiresGrad=true)');
    expect(String(matmul(w, w))).toBe('tensor(2.2500, gradFn=<MmBackward>)');
  });

  it('does not mutate a caller-supplied seed gradient', () => {
    manualSeed(3);
    const x = randn(3).requiresGrad_();
    const seed = tensor([1, 2, 3]);
    const y1 = x.reshape(3);
    autograd.backward([y1, x.reshape(3)], [seed, seed]);
    expect(Array.from(seed.data)).toEqual([1, 2, 3]);
    expect(Array.from(x.grad!.data)).toEqual([2, 4, 6]);
    expect(x.grad!.data).not.toBe(seed.data);
    expect(y1).toBeInstanceOf(Tensor);
  });
});
