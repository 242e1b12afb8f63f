// cumsum, cumprod, gather, scatterAdd, sort, argsort and topk: values on hand-made inputs and the argument errors (op, argument,
// what was expected, what came).
import { describe, expect, it } from 'vitest';

import { ErrorCode, type Tensor, mul, sum, tensor } from '../../src/index.js';
import { cumprod, cumsum } from '../../src/ops/cumulative.js';
import { gather, scatterAdd } from '../../src/ops/gather.js';
import { argsort, sort, topk } from '../../src/ops/sort.js';
import { thrown } from '../helpers/error-code.js';

describe('cumsum and cumprod', () => {
  it('scan along a dim, negative dims and 0-d tensors as PyTorch', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(cumsum(x, 1).toArray()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(cumsum(x, -2).toArray()).toEqual([[1, 2, 3], [5, 7, 9]]);
    expect(cumprod(x, -1).toArray()).toEqual([[1, 2, 6], [4, 20, 120]]);
    const s = tensor(2.5);
    expect(cumsum(s, 0).shape).toEqual([]);
    expect(cumprod(s, -1).data[0]).toBe(2.5);
  });

  it("cumprod's gradient handles zeros exactly (no division by them)", () => {
    const x = tensor([2, 0, 3, 4]).requiresGrad_();
    sum(cumprod(x, 0)).backward();
    // d/dx0 = 1 + 0 + ...; the zero gets 2 * (1 + 3 + 12) = 32; after it 0.
    expect(Array.from(x.grad!.data)).toEqual([1, 32, 0, 0]);
    const y = tensor([2, 0, 0, 3]).requiresGrad_();
    sum(cumprod(y, 0)).backward();
    expect(Array.from(y.grad!.data)).toEqual([1, 2, 0, 0]);
  });

  it('errors name the op, the argument, what was expected and what came', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(thrown(() => cumsum(x, 2))).toEqual({
      name: 'RangeError',
      code: ErrorCode.InvalidValue,
      message: 'cumsum: dim must be an integer in [-2, 1], but received 2',
    });
    expect(thrown(() => cumprod(tensor(1), 1)).message).toBe('cumprod: dim must be an integer in [-1, 0], but received 1');
    expect(thrown(() => cumprod(x, 0.5)).message).toBe('cumprod: dim must be an integer in [-2, 1], but received 0.5');
    expect(thrown(() => cumsum(x, undefined as unknown as number))).toMatchObject({
      name: 'TypeError',
      code: ErrorCode.InvalidType,
      message: 'cumsum: dim must be an integer, but received undefined',
    });
    expect(thrown(() => cumsum([1, 2] as unknown as never, 0)).message).toMatch(/^cumsum: input must be a Tensor, but received/);
  });
});

describe('gather and scatterAdd', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  const idx = (data: number[], shape: number[]) => ({ data: Int32Array.from(data), shape });

  it('gather picks along dim with a Tensor or an IndexTensor index; gradients scatter-add', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    const out = gather(a, 1, idx([2, 2, 0, 1], [2, 2]));
    expect(out.toArray()).toEqual([[3, 3], [4, 5]]);
    sum(out).backward();
    expect(a.grad!.toArray()).toEqual([[0, 0, 2], [1, 1, 0]]);
    expect(gather(x, 0, tensor([[1, 0, 1]])).toArray()).toEqual([[4, 2, 6]]);
    expect(gather(tensor(7), 0, idx([0, 0], [2])).toArray()).toEqual([7, 7]);
  });

  it('scatterAdd adds src at index out of place; gradients: x identity, src gathered', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    const src = tensor([[10, 20], [30, 40]]).requiresGrad_();
    const out = scatterAdd(a, 1, idx([0, 0, 2, 1], [2, 2]), src);
    expect(out.toArray()).toEqual([[31, 2, 3], [4, 45, 36]]);
    expect(a.data[0]).toBe(1);
    sum(mul(out, 2)).backward();
    expect(a.grad!.toArray()).toEqual([[2, 2, 2], [2, 2, 2]]);
    expect(src.grad!.toArray()).toEqual([[2, 2], [2, 2]]);
  });

  it('errors name the op, the argument, what was expected and what came', () => {
    expect(thrown(() => gather(x, 1, idx([0, 3], [1, 2])))).toEqual({
      name: 'RangeError',
      code: ErrorCode.InvalidValue,
      message: 'gather: index[0, 1] = 3 is out of range for dimension 1 of input with size 3 (expected [0, 3))',
    });
    expect(thrown(() => gather(x, 1, tensor([[0, -1]]))).message).toBe(
      'gather: index[0, 1] = -1 is out of range for dimension 1 of input with size 3 (expected [0, 3))',
    );
    expect(thrown(() => gather(x, 1, tensor([[0, 1.5]])))).toEqual({
      name: 'RangeError',
      code: ErrorCode.InvalidValue,
      message: 'gather: index[0, 1] must be an integer, but received 1.5',
    });
    expect(thrown(() => gather(x, 1, idx([0, 1], [2])))).toEqual({
      name: 'RangeError',
      code: ErrorCode.Shape,
      message: 'gather: index must have as many dimensions as input (2), but has shape [2]',
    });
    expect(thrown(() => gather(x, 1, idx([0, 0, 0], [3, 1]))).message).toBe(
      'gather: index of shape [3, 1] must be no larger than input [2, 3] outside dimension 1 (dimension 0: 3 > 2)',
    );
    expect(thrown(() => gather(x, 1, [0, 1] as unknown as Tensor))).toEqual({
      name: 'TypeError',
      code: ErrorCode.InvalidType,
      message: 'gather: index must be a Tensor or an IndexTensor ({ data: Int32Array, shape }), but received an Array of length 2',
    });
    expect(thrown(() => gather(x, 1, idx([0, 1, 2], [1, 2]))).message).toBe(
      'gather: index.data must have 2 elements (index.shape [1, 2]), but has 3',
    );
    expect(thrown(() => gather(x, 2, idx([0], [1, 1]))).message).toBe('gather: dim must be an integer in [-2, 1], but received 2');
    expect(thrown(() => scatterAdd(x, 1, idx([0, 1], [1, 2]), tensor([[1]]))).message).toBe(
      'scatterAdd: index of shape [1, 2] must be no larger than src [1, 1] in every dimension (dimension 1: 2 > 1)',
    );
    expect(thrown(() => scatterAdd(x, 0, idx([2], [1, 1]), tensor([[1]]))).message).toBe(
      'scatterAdd: index[0, 0] = 2 is out of range for dimension 0 of input with size 2 (expected [0, 2))',
    );
    expect(thrown(() => scatterAdd(x, 0, idx([0], [1, 1]), 1 as unknown as Tensor)).message).toBe(
      'scatterAdd: src must be a Tensor, but received a number (1)',
    );
  });
});

describe('sort, argsort and topk', () => {
  it('NaN is the largest, ties keep their order, indices are Int32Arrays; gradients go back', () => {
    const x = tensor([2, NaN, 1, 2, -Infinity]).requiresGrad_();
    const { values, indices } = sort(x);
    expect(Array.from(values.data)).toEqual([-Infinity, 1, 2, 2, NaN]);
    expect(indices).toBeInstanceOf(Int32Array);
    expect(Array.from(indices)).toEqual([4, 2, 0, 3, 1]);
    expect(Array.from(sort(x, { descending: true }).indices)).toEqual([1, 0, 3, 2, 4]);
    expect(Array.from(argsort(x, { dim: 0, descending: true, stable: true }))).toEqual([1, 0, 3, 2, 4]);
    const t = topk(x, 2, { largest: false });
    expect(Array.from(t.indices)).toEqual([4, 2]);
    sum(mul(t.values, tensor([10, 1]))).backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 1, 0, 10]);
    const m = tensor([[3, 1], [2, 5]]);
    expect(sort(m, { dim: 0 }).values.toArray()).toEqual([[2, 1], [3, 5]]);
    expect(topk(m, 1, { dim: 0 }).values.shape).toEqual([1, 2]);
    expect(topk(tensor(4), 0).values.shape).toEqual([]);
  });

  it('errors name the op, the argument, what was expected and what came', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(thrown(() => topk(x, 4))).toEqual({
      name: 'RangeError',
      code: ErrorCode.InvalidValue,
      message: 'topk: k must be an integer in [0, 3], but received 4',
    });
    expect(thrown(() => topk(x, -1)).message).toBe('topk: k must be an integer in [0, 3], but received -1');
    expect(thrown(() => topk(x, 1, { dim: 0, largest: 1 as unknown as boolean }))).toMatchObject({
      name: 'TypeError',
      message: 'topk: options.largest must be a boolean, but received a number (1)',
    });
    expect(thrown(() => sort(x, { dim: 2 })).message).toBe('sort: dim must be an integer in [-2, 1], but received 2');
    expect(thrown(() => sort(x, { descnding: true } as never))).toEqual({
      name: 'RangeError',
      code: ErrorCode.InvalidValue,
      message: 'sort: unknown option "descnding" (known options: dim, descending, stable)',
    });
    expect(thrown(() => argsort(x, { stable: 'yes' as unknown as boolean })).message).toBe(
      'argsort: options.stable must be a boolean, but received a string ("yes")',
    );
    expect(thrown(() => topk(x, 1.5)).message).toBe('topk: k must be an integer in [0, 3], but received 1.5');
  });
});
