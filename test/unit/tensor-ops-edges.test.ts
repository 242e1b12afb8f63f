// Edges of the tensor ops against PyTorch 1.13: 0-d inputs of ops that need a dimension,
// dims out of range, reductions over nothing or over an empty dim list, cat's legacy
// empty tensors, and errors that name the op the caller called.
import { describe, expect, it } from 'vitest';

import {
  ErrorCode, argmax, cat, chunk, max, mean, narrow, ones, permute, split, sum, tensor, transpose, zeros,
} from '../../src/index.js';
import { codeOf } from '../helpers/error-code.js';

describe('ops that need a dimension refuse 0-d tensors, as PyTorch', () => {
  it('narrow, split and chunk', () => {
    // PyTorch: "narrow() cannot be applied to a 0-dim tensor", "split/chunk expects at least a 1-dimensional tensor"
    expect(() => narrow(tensor(5), 0, 0, 1)).toThrow('narrow: expected a tensor with at least 1 dimension, but input has shape [] (0-d)');
    expect(() => split(tensor(5), 1)).toThrow('split: expected a tensor with at least 1 dimension');
    expect(() => chunk(tensor(5), 1)).toThrow('chunk: expected a tensor with at least 1 dimension');
    expect(codeOf(() => chunk(tensor(5), 1))).toBe(ErrorCode.Shape);
  });

  it('narrow takes a negative start, and refuses one past either end', () => {
    expect(narrow(tensor([0, 1, 2, 3, 4]), 0, -2, 2).toArray()).toEqual([3, 4]);
    expect(narrow(tensor([0, 1, 2, 3, 4]), 0, 5, 0).toArray()).toEqual([]);
    expect(() => narrow(tensor([0, 1, 2]), 0, -4, 1)).toThrow('narrow: start must be an integer in [-3, 3], but received -4');
    expect(() => narrow(tensor([0, 1, 2]), 0, -1, 2)).toThrow('narrow: length must be an integer in [0, 1], but received 2');
  });

  it('transpose checks its dims on 1-D and 0-d tensors too', () => {
    // PyTorch: IndexError "Dimension out of range (expected to be in range of [-1, 0], but got 5)"
    expect(() => transpose(tensor([1, 2, 3]), 5, 7)).toThrow('transpose: dim0 must be an integer in [-1, 0], but received 5');
    expect(() => transpose(tensor([1, 2, 3]))).toThrow('transpose: dim0 must be an integer in [-1, 0], but received -2');
    expect(transpose(tensor([1, 2, 3]), 0, -1).toArray()).toEqual([1, 2, 3]);
  });
});

describe('reductions', () => {
  it('an empty dim list reduces over every dimension (PyTorch 1.13), and never aliases the input', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const s = sum(x, []);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(10);
    expect(mean(x, [], { keepdim: true }).toArray()).toEqual([[2.5]]);
    expect(s.data).not.toBe(x.data);
  });

  it('the mean over an empty dimension is NaN, not an internal error', () => {
    const m = mean(zeros(0, 3), 0);
    expect(m.shape).toEqual([3]);
    expect(Array.from(m.data)).toEqual([NaN, NaN, NaN]);
    expect(mean(zeros(0, 3), 1).shape).toEqual([0]);
    expect(Number.isNaN(mean(zeros(0, 3)).item())).toBe(true);
  });

  it('a single dim is named dim, not dim[0]', () => {
    expect(() => sum(ones(2, 3), 2)).toThrow('sum: dim must be an integer in [-2, 1], but received 2');
    expect(() => sum(ones(2, 3), [0, 2])).toThrow('sum: dim[1] must be an integer in [-2, 1], but received 2');
  });

  it('max and argmax name themselves in their errors', () => {
    expect(() => max(tensor([1, 2]), 3)).toThrow('max: dim must be an integer in [-1, 0], but received 3');
    expect(() => argmax(tensor([1, 2]), -2)).toThrow('argmax: dim must be an integer in [-1, 0], but received -2');
    expect(() => (max as (x: unknown) => unknown)(tensor([1, 2]))).toThrow(/^max: dim must be an integer, but received undefined/);
    expect(() => max('x' as never, 0)).toThrow('max: input must be a Tensor, but received a string ("x")');
    expect(() => max(zeros(0, 3), 0)).toThrow('max: expected reduction dim 0 to have non-zero size, but input has shape [0, 3]');
    expect(() => max(ones(2), 0, { keepdim: 1 as never })).toThrow('max: options.keepdim must be a boolean, but received a number (1)');
    expect(max(zeros(0, 3), 1).values.shape).toEqual([0]);
  });
});

describe('cat skips 1-D empty tensors, as PyTorch 1.13', () => {
  it('whatever the shapes of the others, with gradients for each', () => {
    const e = zeros(0).requiresGrad_();
    const a = ones(2, 3).requiresGrad_();
    const y = cat([e, a, e], -1);
    expect(y.shape).toEqual([2, 3]);
    sum(y).backward();
    expect(e.grad!.shape).toEqual([0]);
    expect(a.grad!.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(() => cat([ones(2, 3), tensor(1)])).toThrow('cat: zero-dimensional tensors cannot be concatenated, but tensors[1] has shape []');
    expect(() => cat([zeros(0), ones(2, 3), ones(3, 3)], 1)).toThrow('cat: tensors[2] has shape [3, 3] but tensors[1] has [2, 3] (they may differ only in dimension 1)');
  });
});

describe('argument types', () => {
  it('permute: dims that are not an array are a TypeError', () => {
    expect(() => permute(ones(2), 'ab' as never)).toThrow('permute: dims must be an array of integers, but received a string ("ab")');
    expect(() => permute(ones(2), 'ab' as never)).toThrow(TypeError);
  });
});
