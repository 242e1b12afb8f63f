// eq/ne/lt/le/gt/ge, where, maximum/minimum and maskedFill: values on hand-made inputs
// (float 0/1 results, NaN and -0 conditions, broadcasting, no gradient where PyTorch
// has none) and the argument errors (op, argument, what was expected, what came).
import { describe, expect, it } from 'vitest';

import { ErrorCode, sum, tensor, zeros } from '../../src/index.js';
import { eq, ge, gt, le, lt, ne } from '../../src/ops/compare.js';
import { maximum, minimum } from '../../src/ops/maximum.js';
import { maskedFill, where } from '../../src/ops/where.js';
import { thrown } from '../helpers/error-code.js';

const signs = (xs: Iterable<number>): string[] => Array.from(xs, (v) => (Object.is(v, -0) ? '-0' : String(v)));

describe('comparison and selection: values', () => {
  it('comparisons give float 0/1 with IEEE NaN and signed zeros, and never require grad', () => {
    const a = tensor([1, 2, NaN, -0, Infinity]).requiresGrad_();
    expect(Array.from(eq(a, 2).data)).toEqual([0, 1, 0, 0, 0]);
    expect(Array.from(ne(a, NaN).data)).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(le(a, 0).data)).toEqual([0, 0, 0, 1, 0]);
    expect(Array.from(gt(0, a).data)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(ge(a, a).data)).toEqual([1, 1, 0, 1, 1]);
    const r = lt(a, tensor([[2], [3]]));
    expect(r.shape).toEqual([2, 5]);
    expect(Array.from(r.data)).toEqual([1, 0, 0, 1, 0, 1, 1, 0, 1, 0]);
    expect(r.requiresGrad).toBe(false);
    expect(r.gradFn).toBeNull();
  });

  it('where: a NaN condition is true, -0 false; gradients to the selected operand only, none to the condition', () => {
    const c = tensor([0, NaN, 1, -0]).requiresGrad_();
    const a = tensor([1, 2, 3, 4]).requiresGrad_();
    const out = where(c, a, -1);
    expect(Array.from(out.data)).toEqual([-1, 2, 3, -1]);
    sum(out).backward();
    expect(Array.from(a.grad!.data)).toEqual([0, 1, 1, 0]);
    expect(c.grad).toBeNull();
    expect(where(tensor([1, 0]), 5, 6).toArray()).toEqual([5, 6]);
  });

  it('maskedFill broadcasts x and mask together, as PyTorch 1.13 does out of place', () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const out = maskedFill(x, tensor([[1, 0, 0], [0, NaN, 0]]), -0);
    expect(out.shape).toEqual([2, 3]);
    expect(signs(out.data)).toEqual(['-0', '2', '3', '1', '-0', '3']);
    sum(out).backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 2]);
  });

  it('maximum/minimum propagate NaN, keep a on ties and split tie gradients in halves', () => {
    const a = tensor([0, -0, 2, NaN, 1]).requiresGrad_();
    const b = tensor([-0, 0, 2, 1, 3]).requiresGrad_();
    const m = maximum(a, b);
    expect(signs(m.data)).toEqual(['0', '-0', '2', 'NaN', '3']);
    sum(m).backward();
    expect(Array.from(a.grad!.data)).toEqual([0.5, 0.5, 0.5, 1, 0]);
    expect(Array.from(b.grad!.data)).toEqual([0.5, 0.5, 0.5, 1, 1]);
    expect(Array.from(minimum(tensor([1, 5]), 3).data)).toEqual([1, 3]);
    expect(Array.from(maximum(NaN, tensor([1, 5])).data)).toEqual([NaN, NaN]);
  });
});

describe('comparison and selection: argument errors', () => {
  const x = zeros(2, 3);

  it('operands that are neither Tensors nor numbers', () => {
    expect(thrown(() => eq(x, 'a' as never))).toEqual({
      name: 'TypeError', code: ErrorCode.InvalidType,
      message: 'eq: b must be a Tensor or a number, but received a string ("a")',
    });
    expect(thrown(() => ge([1, 2] as never, x)).message).toBe('ge: a must be a Tensor or a number, but received an Array of length 2');
    expect(thrown(() => maximum(x, null as never)).message).toBe('maximum: b must be a Tensor or a number, but received null');
    expect(thrown(() => minimum(undefined as never, x)).message).toBe('minimum: a must be a Tensor or a number, but received undefined');
    expect(thrown(() => where(x, x, {} as never)).message).toBe('where: b must be a Tensor or a number, but received an object');
  });

  it('two numbers', () => {
    expect(thrown(() => lt(1 as never, 2))).toEqual({
      name: 'TypeError', code: ErrorCode.InvalidType,
      message: 'lt: a or b must be a Tensor, but received a number (1) and a number (2)',
    });
    expect(thrown(() => maximum(1 as never, NaN)).message).toBe('maximum: a or b must be a Tensor, but received a number (1) and a number (NaN)');
  });

  it('a condition or mask that is not a Tensor, a value that is not a number', () => {
    expect(thrown(() => where(1 as never, x, x))).toEqual({
      name: 'TypeError', code: ErrorCode.InvalidType,
      message: 'where: condition must be a Tensor, but received a number (1)',
    });
    expect(thrown(() => where([1, 0] as never, x, x)).message).toBe('where: condition must be a Tensor, but received an Array of length 2');
    expect(thrown(() => maskedFill(x, true as never, 0)).message).toBe('maskedFill: mask must be a Tensor, but received a boolean (true)');
    expect(thrown(() => maskedFill(3 as never, x, 0)).message).toBe('maskedFill: x must be a Tensor, but received a number (3)');
    expect(thrown(() => maskedFill(x, x, tensor(1) as never))).toEqual({
      name: 'TypeError', code: ErrorCode.InvalidType,
      message: 'maskedFill: value must be a number, but received a Tensor of shape []',
    });
    expect(thrown(() => maskedFill(x, x, undefined as never)).message).toBe('maskedFill: value must be a number, but received undefined');
  });

  it('shapes that do not broadcast name each argument and its shape', () => {
    expect(thrown(() => ne(x, zeros(4)))).toEqual({
      name: 'RangeError', code: ErrorCode.Shape,
      message: 'ne: a of shape [2, 3] and b of shape [4] cannot be broadcast together (dimension 1 of the result: 3 (a) vs 4 (b))',
    });
    expect(thrown(() => where(zeros(3, 1), zeros(2), zeros(4, 1))).message).toBe(
      'where: condition of shape [3, 1], a of shape [2] and b of shape [4, 1] cannot be broadcast together (dimension 0 of the result: 3 (condition) vs 1 (a) vs 4 (b))',
    );
    expect(thrown(() => maskedFill(x, zeros(3, 3), 1)).message).toBe(
      'maskedFill: x of shape [2, 3] and mask of shape [3, 3] cannot be broadcast together (dimension 0 of the result: 2 (x) vs 3 (mask))',
    );
    expect(thrown(() => maximum(zeros(2, 0), zeros(3))).code).toBe(ErrorCode.Shape);
  });

  it('a broadcast larger than a tensor can hold', () => {
    expect(thrown(() => gt(zeros(65536, 1), zeros(1, 65537)))).toEqual({
      name: 'RangeError', code: ErrorCode.InvalidValue,
      message: 'gt: the operands broadcast to [65536, 65537]: 4295032832 elements, more than the 4294967295 a tensor can hold',
    });
  });
});
