import { describe, expect, it } from 'vitest';

import { Tensor, arange, cat, chunk, indexSelect, manualSeed, narrow, permute, randn, split, stack, tensor, transpose } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

describe('shape ops: values', () => {
  it('permute and transpose', () => {
    const x = arange(24).reshape(2, 3, 4);
    const p = permute(x, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[k][i][j] = x[i][j][k]
    expect((p.toArray() as number[][][])[3]![1]![2]).toBe((x.toArray() as number[][][])[1]![2]![3]);
    expect(transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(() => permute(x, [0, 0, 1])).toThrow(/repeats a dimension/);
    expect(() => permute(x, [0, 1])).toThrow(/must list each of the 3 dimensions once/);
  });

  it('cat, stack, split, chunk, narrow', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6]]);
    expect(cat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(cat([a, tensor([[7], [8]])], 1).toArray()).toEqual([[1, 2, 7], [3, 4, 8]]);
    expect(() => cat([a, tensor([[1, 2, 3]])])).toThrow(/may differ only in dimension 0/);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(split(arange(5), 2).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(split(arange(5), [1, 4]).map((t) => t.size)).toEqual([1, 4]);
    expect(() => split(arange(5), [1, 1])).toThrow(/sum to 2 but dimension 0 has 5/);
    expect(chunk(arange(6).reshape(2, 3), 2, 1).map((t) => t.shape)).toEqual([[2, 2], [2, 1]]);
    expect(narrow(arange(10).reshape(2, 5), 1, 1, 2).toArray()).toEqual([[1, 2], [6, 7]]);
  });

  it('indexSelect', () => {
    const x = arange(12).reshape(4, 3);
    expect(indexSelect(x, 0, [3, 0, 3]).toArray()).toEqual([[9, 10, 11], [0, 1, 2], [9, 10, 11]]);
    expect(indexSelect(x, 1, tensor([2])).toArray()).toEqual([[2], [5], [8], [11]]);
    expect(() => indexSelect(x, 0, [4])).toThrow('indexSelect: index[0] = 4 is out of range for dimension 0 of size 4');
  });
});

describe('shape ops: gradients match finite differences', () => {
  const cases: [string, (t: Tensor[]) => Tensor, number[][]][] = [
    ['permute', ([x]) => permute(x!, [1, 2, 0]), [[2, 3, 4]]],
    ['transpose', ([x]) => transpose(x!, 0, 2), [[2, 3, 4]]],
    ['cat dim 1', ([a, b]) => cat([a!, b!], 1), [[2, 3], [2, 2]]],
    ['stack dim 0', ([a, b]) => stack([a!, b!]), [[3], [3]]],
    ['split then cat reversed', ([x]) => cat(split(x!, [1, 2], 1).reverse(), 1), [[2, 3]]],
    ['narrow', ([x]) => narrow(x!, 1, 1, 2), [[3, 4]]],
    ['indexSelect with repeats', ([x]) => indexSelect(x!, 0, [2, 0, 2, 1]), [[3, 2]]],
  ];
  for (const [label, f, shapes] of cases) {
    it(label, () => {
      manualSeed(21);
      const inputs = shapes.map((s) => randn(s).requiresGrad_());
      const probe = f(inputs);
      const w = randn([...probe.shape]).data;
      expect(gradcheck((...t) => weightedSum(f(t), w), inputs)).toBeLessThanOrEqual(1);
    });
  }
});
