import { describe, expect, it } from 'vitest';

import { Generator, Tensor, data } from '../../src/index.js';

const ds = new data.TensorDataset(new Tensor(Float32Array.from({ length: 10 }, (_, i) => i), [10, 1]));

describe('randomSplit', () => {
  it('fractions that do not sum to 1 are reported as such, with their sum', () => {
    expect(() => data.randomSplit(ds, [0.5, 0.3])).toThrow(/^randomSplit: lengths \[0\.5, 0\.3\] are fractions, which must sum to 1, but they sum to 0\.8$/);
    expect(() => data.randomSplit(ds, [0.7, 0.7])).toThrow(/are fractions, which must sum to 1, but they sum to 1\.4/);
    expect(() => data.randomSplit(ds, [0.2, 0.3, 0.5]).map((s) => s.length)).not.toThrow();
    expect(data.randomSplit(ds, [0.2, 0.3, 0.5], { generator: new Generator(0) }).map((s) => s.length)).toEqual([2, 3, 5]);
  });

  it('counts must be non-negative integers summing to the length', () => {
    expect(() => data.randomSplit(ds, [5, 4])).toThrow(/lengths sum to 9 but the dataset has 10 samples/);
    expect(() => data.randomSplit(ds, [11, -1])).toThrow(/lengths\[1\] must be a non-negative integer \(a sample count\) or a fraction in \[0, 1\], but received -1/);
    expect(() => data.randomSplit(ds, [2.5, 7.5])).toThrow(/lengths\[0\] must be a non-negative integer \(a sample count\) or a fraction in \[0, 1\], but received 2\.5/);
    expect(() => data.randomSplit(ds, ['5', 5] as never)).toThrow(/lengths\[0\] must be a number, but received a string \("5"\)/);
  });
});

describe('Subset', () => {
  it('rejects indices that are not integers instead of truncating them', () => {
    expect(() => new data.Subset(ds, [0.5, 1.7])).toThrow(/^Subset: indices\[0\] must be an integer, but received 0\.5$/);
    expect(() => new data.Subset(ds, [1, NaN])).toThrow(/indices\[1\] must be an integer, but received NaN/);
    expect(() => new data.Subset(ds, [1, 10])).toThrow(/indices\[1\] = 10 is out of range for a dataset of 10/);
    expect(() => new data.Subset(ds, [2 ** 32 + 1])).toThrow(/out of range/);
    expect(Array.from(new data.Subset(ds, Float64Array.of(3, 1)).indices)).toEqual([3, 1]);
    expect(new data.Subset(ds, Int32Array.of(9)).get(0)[0]!.item()).toBe(9);
  });
});
