import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import {
  ErrorCode,
  Generator,
  Tensor,
  arange,
  backend,
  eye,
  fromArrayLike,
  full,
  manualSeed,
  ones,
  rand,
  randn,
  tensor,
  zeros,
} from '../../src/index.js';

describe('tensor()', () => {
  it('reads nested arrays with their shape', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.size).toBe(6);
    expect(t.ndim).toBe(2);
    expect(t.numel()).toBe(6);
  });

  it('makes 0-d tensors from numbers and copies typed arrays', () => {
    expect(tensor(3.5).shape).toEqual([]);
    expect(tensor(3.5).item()).toBe(3.5);
    const src = new Float64Array([1, 2, 3, 4]);
    const t = tensor(src, [2, 2]);
    src[0] = 99;
    expect(t.data[0]).toBe(1);
    expect(t.shape).toEqual([2, 2]);
  });

  it('rejects ragged arrays, non-numbers and shape mismatches with clear errors', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: nested arrays must be rectangular: data\[1\] has length 1 but data\[0\] has length 2/);
    expect(() => tensor([1, 'x' as unknown as number])).toThrow(TypeError);
    expect(() => tensor([1, 'x' as unknown as number])).toThrow(/data\[1\] must be a number, but received a string/);
    expect(() => tensor(new Float32Array(5), [2, 3])).toThrow(/tensor: shape \[2, 3\] needs 6 elements, but data has 5/);
    expect(() => tensor('abc' as never)).toThrow(TypeError);
  });
});

describe('factories', () => {
  it('zeros, ones, full accept an array or separate sizes', () => {
    expect(zeros(2, 3).shape).toEqual([2, 3]);
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    expect(Array.from(ones(3).data)).toEqual([1, 1, 1]);
    expect(Array.from(full([2], 7).data)).toEqual([7, 7]);
    expect(Number.isNaN(full([1], NaN).data[0])).toBe(true);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([]).size).toBe(1);
    expect(zeros([0, 4]).size).toBe(0);
  });

  it('rejects bad shapes', () => {
    expect(() => zeros(-1)).toThrow(RangeError);
    expect(() => zeros(-1)).toThrow(/zeros: shape\[0\] must be a non-negative integer, but received -1/);
    expect(() => zeros(1.5)).toThrow(RangeError);
    expect(() => zeros(['2'] as never)).toThrow(TypeError);
    expect(() => zeros(1e6, 1e6)).toThrow(/more than the 4294967295 a tensor can hold/);
  });

  it('arange follows PyTorch', () => {
    expect(Array.from(arange(5).data)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(arange(1, 2, 0.25).data)).toEqual([1, 1.25, 1.5, 1.75]);
    expect(Array.from(arange(5, 0, -2).data)).toEqual([5, 3, 1]);
    expect(arange(3, 3).size).toBe(0);
    expect(() => arange(0, 1, 0)).toThrow(/step must be non-zero/);
    expect(() => arange(0, 1, -1)).toThrow(/moves away from end/);
    expect(() => arange(NaN)).toThrow(RangeError);
  });

  it('eye makes identity matrices, square or not', () => {
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(() => eye(-1)).toThrow(RangeError);
  });

  it('fromArrayLike reads any array-like', () => {
    expect(Array.from(fromArrayLike({ length: 2, 0: 5, 1: 6 }).data)).toEqual([5, 6]);
    expect(fromArrayLike(Buffer.from([1, 2, 3, 4]), [2, 2]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => fromArrayLike({ length: 1, 0: 'a' } as never)).toThrow(/data\[0\] must be a number/);
    expect(() => fromArrayLike(5 as never)).toThrow(TypeError);
  });

  it('new Tensor wraps a Float32Array without copying', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const t = new Tensor(data, [2, 2]);
    data[3] = 40;
    expect(t.toArray()).toEqual([[1, 2], [3, 40]]);
    expect(() => new Tensor(new Float64Array(2) as never)).toThrow(/Tensor: data must be a Float32Array, but received a Float64Array of length 2/);
    expect(() => new Tensor(data, [3])).toThrow(RangeError);
  });
});

describe('views and conversions', () => {
  it('reshape shares memory and infers -1', () => {
    const t = arange(6);
    const v = t.reshape(2, -1);
    expect(v.shape).toEqual([2, 3]);
    v.data[0] = 42;
    expect(t.data[0]).toBe(42);
    expect(t.reshape([3, 2]).shape).toEqual([3, 2]);
    expect(t.view(-1, 1).shape).toEqual([6, 1]);
    expect(() => t.reshape(4, -1)).toThrow(/reshape: cannot reshape a tensor of 6 elements into shape \[4, -1\]/);
    expect(() => t.reshape(-1, -1)).toThrow(/only one dimension can be -1/);
    expect(() => t.reshape(7)).toThrow(RangeError);
    expect(Object.isFrozen(v.shape)).toBe(true);
  });

  it('item, toArray and clone', () => {
    expect(tensor([[2]]).item()).toBe(2);
    expect(() => tensor([1, 2]).item()).toThrow(/item: only a tensor with one element can be converted to a number, but this one has shape \[2\] \(2 elements\)/);
    expect(tensor(3).toArray()).toBe(3);
    expect(zeros(2, 0).toArray()).toEqual([[], []]);
    expect(arange(8).reshape(2, 2, 2).toArray()).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
    const a = arange(3);
    const b = a.clone();
    b.data[0] = 9;
    expect(a.data[0]).toBe(0);
  });
});

describe('inspect renders like PyTorch', () => {
  it('floats with four decimals, aligned', () => {
    expect(inspect(tensor([[0.1, -0.25], [3, 4.5]]))).toBe('tensor([[ 0.1000, -0.2500],\n        [ 3.0000,  4.5000]])');
  });
  it('integers with a trailing dot', () => {
    expect(String(tensor([1, 2, 10]))).toBe('tensor([ 1.,  2., 10.])');
  });
  it('scientific notation across wide ranges', () => {
    expect(String(tensor([1e-5, 1]))).toBe('tensor([1.0000e-05, 1.0000e+00])');
  });
  it('scalars, empties and specials', () => {
    expect(String(tensor(2.5))).toBe('tensor(2.5000)');
    expect(String(zeros(0))).toBe('tensor([])');
    expect(String(zeros(2, 0))).toBe('tensor([], size=[2, 0])');
    expect(String(tensor([NaN, Infinity, 1.5]))).toBe('tensor([   nan,    inf, 1.5000])');
  });
  it('elides large tensors with ...', () => {
    expect(String(arange(1000, 1010).reshape(2, 5))).toBe('tensor([[1000., 1001., 1002., 1003., 1004.],\n        [1005., 1006., 1007., 1008., 1009.]])');
    const s = String(arange(2000));
    expect(s).toBe('tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])');
    const m = String(arange(10000).reshape(100, 100));
    expect(m.split('\n')).toHaveLength(13); // as PyTorch: each elided row wraps once
    expect(m).toContain('...,');
  });
  it('wraps long rows at 80 columns', () => {
    const s = String(arange(30).reshape(1, 30));
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('seeding', () => {
  it('manualSeed makes rand and randn reproducible', () => {
    manualSeed(123);
    const a = rand(5);
    const b = randn(4, 3);
    manualSeed(123);
    expect(Array.from(rand(5).data)).toEqual(Array.from(a.data));
    expect(Array.from(randn([4, 3]).data)).toEqual(Array.from(b.data));
    manualSeed(124);
    expect(Array.from(rand(5).data)).not.toEqual(Array.from(a.data));
  });

  it('the numbers do not depend on the thread count', () => {
    const before = backend.getNumThreads();
    const draws: number[][] = [];
    for (const threads of [1, 2, 7]) {
      backend.setNumThreads(threads);
      manualSeed(7);
      draws.push(Array.from(randn(100_003).data.subarray(99_990)));
    }
    backend.setNumThreads(before);
    expect(draws[1]).toEqual(draws[0]);
    expect(draws[2]).toEqual(draws[0]);
  });

  it('rand is uniform in [0, 1) and randn standard normal', () => {
    manualSeed(1);
    const u = rand(100_000).data;
    let mean = 0;
    for (const v of u) {
      expect(v >= 0 && v < 1).toBe(true);
      mean += v / u.length;
    }
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    const z = randn(100_000).data;
    let m = 0;
    let sq = 0;
    for (const v of z) {
      m += v / z.length;
      sq += (v * v) / z.length;
    }
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(sq - m * m) - 1)).toBeLessThan(0.02);
  });

  it('separate Generators are independent streams with restorable state', () => {
    const g = new Generator(5);
    const first = rand([3], { generator: g });
    const state = g.getState();
    const second = rand([3], { generator: g });
    g.setState(state);
    expect(Array.from(rand([3], { generator: g }).data)).toEqual(Array.from(second.data));
    expect(Array.from(first.data)).not.toEqual(Array.from(second.data));
    expect(() => rand([2], { gen: g } as never)).toThrow(/unknown option "gen"/);
    expect(() => manualSeed(-1)).toThrow(RangeError);
    expect(() => manualSeed(1.5)).toThrow(RangeError);
    const perm = new Generator(3).randperm(10);
    expect(Array.from(perm).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('errors carry stable codes', () => {
    try {
      zeros(-1);
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string }).code).toBe(ErrorCode.InvalidValue);
    }
  });
});
