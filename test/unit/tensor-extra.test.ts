// squeeze/unsqueeze/flatten, min/argmin and var/std: values on hand-made inputs and
// the argument errors (op, argument, what was expected, what came).
import { describe, expect, it } from 'vitest';

import { ErrorCode, tensor, zeros } from '../../src/index.js';
import { argmin, min } from '../../src/ops/min.js';
import { flatten, squeeze, unsqueeze } from '../../src/ops/squeeze.js';
import { std, variance } from '../../src/ops/variance.js';
import { thrown } from '../helpers/error-code.js';

describe('tensor extras: values', () => {
  it('shape ops are views', () => {
    const x = zeros(2, 1, 3);
    expect(squeeze(x).shape).toEqual([2, 3]);
    expect(squeeze(x, 0).shape).toEqual([2, 1, 3]);
    expect(squeeze(x, -2).shape).toEqual([2, 3]);
    expect(unsqueeze(x, -1).shape).toEqual([2, 1, 3, 1]);
    expect(flatten(x).shape).toEqual([6]);
    expect(flatten(tensor(2)).shape).toEqual([1]);
    expect(flatten(x).data).toBe(x.data);
  });
  it('min and argmin: first index on ties, NaN wins', () => {
    const m = min(tensor([[3, 1, 1], [2, NaN, -1]]), 1);
    expect(Array.from(m.values.data)).toEqual([1, NaN]);
    expect(Array.from(m.indices)).toEqual([1, 1]);
    expect(Array.from(argmin(tensor([[3, 1, 1], [2, NaN, -1]]), 1))).toEqual([1, 1]);
    expect(min(tensor([[1, 2]]), 1, { keepdim: true }).values.shape).toEqual([1, 1]);
  });
  it('var and std: unbiased by default, N - correction <= 0 gives Inf or NaN', () => {
    expect(variance(tensor([1, 2, 3, 4])).item()).toBeCloseTo(5 / 3, 6);
    expect(variance(tensor([1, 2, 3, 4]), 0, { unbiased: false }).item()).toBeCloseTo(1.25, 6);
    expect(std(tensor([[1, 3], [5, 9]]), 1).toArray()).toEqual([Math.fround(Math.SQRT2), Math.fround(2 * Math.SQRT2)]);
    expect(variance(tensor([1, 2]), 0, { correction: 2 }).item()).toBe(Infinity);
    expect(variance(tensor([2, 2]), 0, { correction: 3 }).item()).toBeNaN();
    expect(variance(tensor([5])).item()).toBeNaN();
    expect(variance(zeros(0, 3), 0).shape).toEqual([3]);
  });
});

describe('tensor extras: argument errors', () => {
  const x = zeros(2, 1, 3);
  const cases: [string, () => unknown, string, string][] = [
    ['squeeze dim out of range', () => squeeze(x, 3), 'RangeError', 'squeeze: dim must be an integer in [-3, 2], but received 3'],
    ['squeeze a list of dims', () => squeeze(x, [0] as never), 'TypeError', 'squeeze: dim must be an integer, but received an Array of length 1'],
    ['squeeze a non-tensor', () => squeeze([1] as never), 'TypeError', 'squeeze: input must be a Tensor, but received an Array of length 1'],
    ['unsqueeze past the end', () => unsqueeze(x, 4), 'RangeError', 'unsqueeze: dim must be an integer in [-4, 3], but received 4'],
    ['unsqueeze without dim', () => (unsqueeze as (t: unknown) => unknown)(x), 'TypeError', 'unsqueeze: dim must be an integer, but received undefined'],
    ['flatten start after end', () => flatten(x, 2, 1), 'RangeError', 'flatten: startDim (2) cannot come after endDim (1) for an input of shape [2, 1, 3]'],
    ['flatten 0-d endDim 1', () => flatten(tensor(1), 0, 1), 'RangeError', 'flatten: endDim must be an integer in [-1, 0], but received 1'],
    ['min without dim', () => (min as (t: unknown) => unknown)(x), 'TypeError', 'min: dim must be an integer, but received undefined'],
    ['min over an empty dim', () => min(zeros(0, 3), 0), 'RangeError', 'min: expected reduction dim 0 to have non-zero size, but input has shape [0, 3]'],
    ['min unknown option', () => min(x, 0, { keepDim: true } as never), 'RangeError', 'min: unknown option "keepDim" (known options: keepdim)'],
    ['argmin over an empty dim', () => argmin(zeros(0, 3), -2), 'RangeError', 'argmin: expected reduction dim 0 to have non-zero size'],
    ['var correction and unbiased', () => variance(x, 0, { correction: 1, unbiased: true }), 'RangeError', 'var: options.correction and options.unbiased cannot both be given'],
    ['var fractional correction', () => variance(x, 0, { correction: 0.5 }), 'RangeError', 'var: options.correction must be an integer, but received 0.5'],
    ['var string correction', () => variance(x, 0, { correction: '1' as never }), 'TypeError', 'var: options.correction must be an integer, but received a string ("1")'],
    ['var numeric unbiased', () => variance(x, 0, { unbiased: 1 as never }), 'TypeError', 'var: options.unbiased must be a boolean, but received a number (1)'],
    ['var string dim', () => variance(x, '0' as never), 'TypeError', 'var: dim must be an integer, an array of integers or undefined, but received a string ("0")'],
    ['var repeated dims', () => variance(x, [0, -3]), 'RangeError', 'var: dim [0, -3] repeats a dimension'],
    ['std dim out of range', () => std(x, 5), 'RangeError', 'std: dim must be an integer in [-3, 2], but received 5'],
    ['std unknown option', () => std(x, 0, { keepDim: true } as never), 'RangeError', 'std: unknown option "keepDim" (known options: correction, unbiased, keepdim)'],
    ['std a non-tensor', () => std(null as never), 'TypeError', 'std: input must be a Tensor, but received null'],
  ];
  for (const [label, f, name, message] of cases) {
    it(label, () => {
      const e = thrown(f);
      expect(e.name).toBe(name);
      expect(e.code).toBe(name === 'TypeError' ? ErrorCode.InvalidType : e.message.includes('repeats') || e.message.includes('non-zero') || e.message.includes('cannot come after') ? ErrorCode.Shape : ErrorCode.InvalidValue);
      expect(e.message).toContain(message);
    });
  }
});

describe('tensor extras: public surface', () => {
  it('are top-level exports (var under its PyTorch name)', async () => {
    const ax = await import('../../src/index.js');
    expect(ax.squeeze).toBe(squeeze);
    expect(ax.unsqueeze).toBe(unsqueeze);
    expect(ax.flatten).toBe(flatten);
    expect(ax.min).toBe(min);
    expect(ax.argmin).toBe(argmin);
    expect(ax.var).toBe(variance);
    expect(ax.std).toBe(std);
  });
});
