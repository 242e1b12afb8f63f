import { describe, expect, it } from 'vitest';

import { Tensor, add, argmax, arange, div, manualSeed, max, mean, mul, neg, randn, sub, sum, tensor } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

describe('broadcasting arithmetic: values', () => {
  it('follows NumPy rules', () => {
    expect(add(tensor([[1, 2, 3], [4, 5, 6]]), tensor([10, 20, 30])).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(sub(tensor([[1], [2]]), tensor([1, 2, 3])).toArray()).toEqual([[0, -1, -2], [1, 0, -1]]);
    expect(mul(tensor([1, 2]), 3).toArray()).toEqual([3, 6]);
    expect(div(2, tensor([1, 4])).toArray()).toEqual([2, 0.5]);
    expect(add(arange(6).reshape(2, 1, 3), arange(4).reshape(4, 1)).shape).toEqual([2, 4, 3]);
    expect(() => add(tensor([1, 2]), tensor([1, 2, 3]))).toThrow('add: shapes [2] and [3] cannot be broadcast together (dimension 0: 2 vs 3)');
    expect(() => mul(tensor([1]), 'x' as never)).toThrow(TypeError);
    expect(neg(tensor([1, -2])).toArray()).toEqual([-1, 2]);
  });
  it('reductions', () => {
    const x = arange(24).reshape(2, 3, 4);
    expect(sum(x).item()).toBe(276);
    expect(mean(x).item()).toBe(11.5);
    expect(sum(x, 1).shape).toEqual([2, 4]);
    expect(sum(x, [0, 2], { keepdim: true }).toArray()).toEqual([[[60], [92], [124]]]);
    expect(mean(x, -1).toArray()).toEqual([[1.5, 5.5, 9.5], [13.5, 17.5, 21.5]]);
    const m = max(tensor([[1, 5, 2], [7, 0, 7]]), 1);
    expect(m.values.toArray()).toEqual([5, 7]);
    expect(Array.from(m.indices)).toEqual([1, 0]);
    expect(Array.from(argmax(tensor([[1, NaN, 2]]), 1))).toEqual([1]);
    expect(() => sum(x, [1, -2])).toThrow(/repeats a dimension/);
  });
});

describe('broadcasting arithmetic: gradients match finite differences', () => {
  const shapes: [string, number[], number[]][] = [
    ['same', [2, 3], [2, 3]],
    ['row', [4, 3], [3]],
    ['column', [4, 3], [4, 1]],
    ['both expand', [2, 1, 4], [3, 1]],
    ['scalar tensor', [3, 2], []],
    ['leading ones', [1, 3], [2, 1]],
  ];
  for (const op of [add, sub, mul, div]) {
    for (const [label, sa, sb] of shapes) {
      it(`${op.name || 'op'} ${label}`, () => {
        manualSeed(41);
        const a = randn(sa).requiresGrad_();
        const b = randn(sb);
        if (op === div) for (let i = 0; i < b.size; i++) b.data[i] = 1 + Math.abs(b.data[i]!);
        b.requiresGrad_();
        const probe = op(a, b);
        const w = randn([...probe.shape]).data;
        expect(gradcheck((x, y) => weightedSum(op(x!, y!), w), [a, b])).toBeLessThanOrEqual(1);
      });
    }
  }
  it('sum, mean and max along dims', () => {
    manualSeed(42);
    const x = randn(3, 4, 2).requiresGrad_();
    for (const f of [(t: Tensor) => sum(t, 1), (t: Tensor) => mean(t, [0, 2], { keepdim: true }), (t: Tensor) => mean(t), (t: Tensor) => max(t, 1).values]) {
      const w = randn([...f(x).shape]).data;
      expect(gradcheck((t) => weightedSum(f(t!), w), [x])).toBeLessThanOrEqual(1);
    }
  });
  it('a residual block: y = x + f(x) sums both paths', () => {
    const x = tensor([1, 2]).requiresGrad_();
    weightedSum(add(x, mul(x, 3))).backward();
    expect(Array.from(x.grad!.data)).toEqual([4, 4]);
  });
});
