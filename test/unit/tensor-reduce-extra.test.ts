// logsumexp, norm and expand / broadcastTo: values on hand-made inputs and the argument
// errors (op, argument, what was expected, what came, and the stable code).
import { describe, expect, it } from 'vitest';

import { ErrorCode, tensor, zeros } from '../../src/index.js';
import { broadcastTo, expand } from '../../src/ops/expand.js';
import { logsumexp } from '../../src/ops/logsumexp.js';
import { norm } from '../../src/ops/norm.js';
import { thrown } from '../helpers/error-code.js';

describe('logsumexp, norm, expand: values', () => {
  it('logsumexp is stable and keeps PyTorch special values', () => {
    expect(logsumexp(tensor([1000, 1000]), 0).item()).toBeCloseTo(1000 + Math.LN2, 3);
    expect(Array.from(logsumexp(tensor([[-Infinity, -Infinity], [Infinity, 1], [NaN, Infinity]]), 1).data)).toEqual([-Infinity, Infinity, NaN]);
    expect(logsumexp(zeros(0, 3), 0).toArray()).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(logsumexp(zeros(2, 3, 4), [0, -1], { keepdim: true }).shape).toEqual([1, 3, 1]);
  });
  it('logsumexp gradient is exp(x - out): 1 each for two entries of 1e30', () => {
    const x = tensor([1e30, 1e30]).requiresGrad_();
    logsumexp(x, 0).backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1]);
  });
  it('norm orders and the Infinity-norm tie rule', () => {
    const x = tensor([3, -4, 0]);
    expect(norm(x).item()).toBe(5);
    expect(norm(x, { p: 1 }).item()).toBe(7);
    expect(norm(x, { p: 0 }).item()).toBe(2);
    expect(norm(tensor([NaN, 0]), { p: 0 }).item()).toBe(1);
    expect(norm(x, { p: Infinity }).item()).toBe(4);
    expect(norm(x, { p: -Infinity }).item()).toBe(0);
    expect(norm(x, { p: -1 }).item()).toBe(0);
    const t = tensor([3, -3, 1]).requiresGrad_();
    norm(t, { p: Infinity }).backward();
    expect(Array.from(t.grad!.data)).toEqual([0.5, -0.5, 0]);
  });
  it('norm p 2 at x = 0 has a zero gradient, not NaN; p 0 has none', () => {
    const x = zeros(3).requiresGrad_();
    norm(x).backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0]);
    const y = tensor([1, 0, 2]).requiresGrad_();
    norm(y, { p: 0 }).backward();
    expect(y.grad).toBeNull();
  });
  it('expand and broadcastTo copy (no views) and sum the gradient back', () => {
    const x = tensor([[1], [2]]).requiresGrad_();
    const y = expand(x, [3, -1, 2]);
    expect(y.shape).toEqual([3, 2, 2]);
    expect(Array.from(y.data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2]);
    expect(y.data.buffer).not.toBe(x.data.buffer);
    y.backward(tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]));
    expect(Array.from(x.grad!.data)).toEqual([1 + 2 + 5 + 6 + 9 + 10, 3 + 4 + 7 + 8 + 11 + 12]);
    expect(broadcastTo(tensor(7), [2]).toArray()).toEqual([7, 7]);
    expect(expand(zeros(3, 1), [3, 0]).shape).toEqual([3, 0]);
  });
});

describe('logsumexp, norm, expand: argument errors', () => {
  const x = zeros(2, 3);
  const { InvalidType: T, InvalidValue: V, Shape: S } = ErrorCode;
  const cases: [string, () => unknown, string, string][] = [
    ['logsumexp without dim', () => (logsumexp as (t: unknown) => unknown)(x), T, 'logsumexp: dim must be an integer or a non-empty array of integers, but received undefined'],
    ['logsumexp empty dim list', () => logsumexp(x, []), V, 'logsumexp: dim must be an integer or a non-empty array of integers, but received an empty array'],
    ['logsumexp dim out of range', () => logsumexp(x, 2), V, 'logsumexp: dim must be an integer in [-2, 1], but received 2'],
    ['logsumexp fractional dim in a list', () => logsumexp(x, [0.5]), V, 'logsumexp: dim[0] must be an integer in [-2, 1], but received 0.5'],
    ['logsumexp repeated dims', () => logsumexp(x, [0, -2]), S, 'logsumexp: dim [0, -2] repeats a dimension'],
    ['logsumexp string dim', () => logsumexp(x, '1' as never), T, 'logsumexp: dim must be an integer or a non-empty array of integers, but received a string ("1")'],
    ['logsumexp numeric keepdim', () => logsumexp(x, 0, { keepdim: 1 as never }), T, 'logsumexp: options.keepdim must be a boolean, but received a number (1)'],
    ['logsumexp unknown option', () => logsumexp(x, 0, { keepDim: true } as never), V, 'logsumexp: unknown option "keepDim" (known options: keepdim)'],
    ['logsumexp a non-tensor', () => logsumexp([1, 2] as never, 0), T, 'logsumexp: input must be a Tensor, but received an Array of length 2'],
    ['norm string p', () => norm(x, { p: 'fro' as never }), T, 'norm: options.p must be a number (Infinity and -Infinity included), but received a string ("fro")'],
    ['norm NaN p', () => norm(x, { p: NaN }), V, 'norm: options.p must be a number (Infinity and -Infinity included), but received NaN'],
    ['norm p without a finite reciprocal', () => norm(x, { p: 5e-324 }), V, 'norm: options.p must be 0 or have a finite reciprocal 1 / p, but received 5e-324'],
    ['norm dim out of range', () => norm(x, { dim: 3 }), V, 'norm: options.dim must be an integer in [-2, 1], but received 3'],
    ['norm dim list entry out of range', () => norm(x, { dim: [0, -3] }), V, 'norm: options.dim[1] must be an integer in [-2, 1], but received -3'],
    ['norm repeated dims', () => norm(x, { dim: [1, -1] }), S, 'norm: options.dim [1, -1] repeats a dimension'],
    ['norm string dim', () => norm(x, { dim: '0' as never }), T, 'norm: options.dim must be an integer, an array of integers or undefined, but received a string ("0")'],
    ['norm Infinity over an empty dim', () => norm(zeros(3, 0), { p: Infinity, dim: 1 }), S, 'norm: expected reduction dim 1 to have non-zero size for options.p Infinity (the reduction has no identity), but input has shape [3, 0]'],
    ['norm negative p over an empty tensor', () => norm(zeros(0, 3), { p: -1 }), S, 'norm: expected reduction dim 0 to have non-zero size for options.p -1'],
    ['norm PyTorch spelling ord', () => norm(x, { ord: 1 } as never), V, 'norm: unknown option "ord" (known options: p, dim, keepdim)'],
    ['norm numeric keepdim', () => norm(x, { keepdim: 0 as never }), T, 'norm: options.keepdim must be a boolean, but received a number (0)'],
    ['norm a non-tensor', () => norm(null as never), T, 'norm: input must be a Tensor, but received null'],
    ['expand a number shape', () => expand(x, 3 as never), T, 'expand: shape must be an array of integers, but received a number (3)'],
    ['expand too few sizes', () => expand(x, [3]), S, 'expand: shape must have at least 2 entries (one per dimension of the input of shape [2, 3]), but received [3]'],
    ['expand a non-singleton dim', () => expand(zeros(2, 1), [3, 4]), S, "expand: shape[0] must be 2 (the input's size at dimension 0; only size-1 dimensions can grow) or -1, but received 3 (shape [3, 4], input shape [2, 1])"],
    ['expand -1 in a new leading dim', () => expand(x, [-1, 2, 3]), S, "expand: shape[0] must be a size >= 0 in a new leading dimension (-1 only keeps one of the input's dimensions), but received -1 (shape [-1, 2, 3], input shape [2, 3])"],
    ['expand a negative size', () => expand(x, [2, -2]), V, 'expand: shape[1] must be a non-negative integer or -1, but received -2'],
    ['expand a fractional size', () => expand(x, [2, 3.5]), V, 'expand: shape[1] must be a non-negative integer or -1, but received 3.5'],
    ['expand a string size', () => expand(x, ['2', 3] as never), T, 'expand: shape[0] must be an integer, but received a string ("2")'],
    ['expand beyond a tensor', () => expand(zeros(1), [65536, 65536, 2]), V, 'expand: shape [65536, 65536, 2] has 8589934592 elements, more than the 4294967295 a tensor can hold'],
    ['expand a non-tensor', () => expand([1] as never, [2]), T, 'expand: input must be a Tensor, but received an Array of length 1'],
    ['broadcastTo names itself', () => broadcastTo(zeros(3), [4]), S, "broadcastTo: shape[0] must be 3 (the input's size at dimension 0; only size-1 dimensions can grow) or -1, but received 4 (shape [4], input shape [3])"],
  ];
  for (const [label, f, code, message] of cases) {
    it(label, () => {
      const e = thrown(f);
      expect(e.name).toBe(code === T ? 'TypeError' : 'RangeError');
      expect(e.code).toBe(code);
      expect(e.message).toContain(message);
    });
  }
});
