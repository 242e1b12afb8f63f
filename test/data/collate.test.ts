import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, data, fit, manualSeed, nn, optim, tensor } from '../../src/index.js';

const rows = (t: Tensor) => Array.from(t.data);

describe('the default collate (stackSamples)', () => {
  it('stacks [Float32Array, number] samples into [batch, len] features and [batch] targets', () => {
    const ds = { length: 5, get: (i: number) => [Float32Array.of(i, i + 1), i % 3] as const };
    const batches = Array.from(new data.DataLoader(ds, { batchSize: 2 }));
    expect(batches.map(([x, y]) => [x!.shape, y!.shape])).toEqual([[[2, 2], [2]], [[2, 2], [2]], [[1, 2], [1]]]);
    expect(rows(batches[1]![0]!)).toEqual([2, 3, 3, 4]);
    expect(rows(batches[1]![1]!)).toEqual([2, 0]);
  });

  it('stacks Tensors by shape, any numeric typed array, and mixes kinds across positions', () => {
    const samples = [
      [tensor([[1, 2], [3, 4]]), Int32Array.of(7, 8, 9), 0.5, Uint8Array.of(255)],
      [tensor([[5, 6], [7, 8]]), Int32Array.of(-1, -2, -3), 1.5, Uint8Array.of(1)],
    ];
    const [a, b, c, d] = data.stackSamples(samples);
    expect(a!.shape).toEqual([2, 2, 2]);
    expect(rows(a!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b!.shape).toEqual([2, 3]);
    expect(rows(b!)).toEqual([7, 8, 9, -1, -2, -3]);
    expect(c!.shape).toEqual([2]);
    expect(rows(c!)).toEqual([0.5, 1.5]);
    expect(d!.shape).toEqual([2, 1]);
    expect(rows(d!)).toEqual([255, 1]);
    // 0-d tensors stack to [batch], like numbers.
    expect(data.stackSamples([[tensor(3)], [tensor(4)]])[0]!.shape).toEqual([2]);
  });

  it('trains through fit: numbers are class indices for CrossEntropyLoss', async () => {
    manualSeed(0);
    const ds = { length: 12, get: (i: number) => [Float32Array.of(i % 2, 1 - (i % 2)), i % 2] };
    const model = new nn.Linear(2, 2);
    const h = await fit(model, ds, { optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }), loss: new nn.CrossEntropyLoss(), epochs: 20, batchSize: 4, metrics: ['accuracy'], verbose: 0 });
    expect(h.history.accuracy!.at(-1)).toBe(1);
  });

  it('explains mismatched samples, naming the sample (and its dataset index) and the position', () => {
    const loader = (get: (i: number) => unknown) => new data.DataLoader({ length: 4, get } as never, { batchSize: 4 });
    expect(() => Array.from(loader((i) => [new Float32Array(i === 2 ? 3 : 2), i]))).toThrow(
      /^collate: sample 2 \(dataset index 2\) position 0 has length 3 but sample 0 \(dataset index 0\) has length 2$/,
    );
    expect(() => Array.from(loader((i) => [Float32Array.of(i), i === 3 ? tensor(1) : i]))).toThrow(
      /collate: sample 3 \(dataset index 3\) position 1 is a Tensor of shape \[\] but sample 0 \(dataset index 0\) has a number \(0\) there/,
    );
    expect(() => Array.from(loader((i) => (i === 1 ? [1] : [1, 2])))).toThrow(/collate: sample 1 \(dataset index 1\) has 1 fields but sample 0 \(dataset index 0\) has 2/);
    expect(() => Array.from(loader((i) => [tensor(i === 1 ? [[1, 2, 3]] : [[1], [2], [3]])]))).toThrow(
      /collate: sample 1 \(dataset index 1\) position 0 has shape \[1, 3\] but sample 0 \(dataset index 0\) has shape \[3, 1\]/,
    );
    expect(() => Array.from(loader(() => Float32Array.of(1)))).toThrow(/collate: sample 0 \(dataset index 0\) must be an array of fields \(Tensors, typed arrays or numbers\), but received a Float32Array of length 1/);
    expect(() => Array.from(loader(() => ['a']))).toThrow(/collate: sample 0 \(dataset index 0\) position 0 must be a Tensor, a typed array of numbers or a number, but received a string/);
    expect(() => Array.from(loader(() => [BigInt64Array.of(1n)]))).toThrow(/received a BigInt64Array/);
    // With a shuffled order, the message names the dataset index of the bad sample.
    const shuffled = new data.DataLoader({ length: 4, get: (i: number) => [new Float32Array(i === 0 ? 1 : 2)] }, { batchSize: 4, shuffle: true, seed: 1 });
    expect(() => Array.from(shuffled)).toThrow(/\(dataset index 0\)/);
    try {
      data.stackSamples([[1], [Float32Array.of(1)]]);
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError);
      expect((err as { code: string }).code).toBe(ErrorCode.InvalidType);
    }
  });

  it('a Subset of a dataset without getBatch collates the same way', () => {
    const ds = { length: 6, get: (i: number) => [Float64Array.of(i / 2), i] };
    const sub = new data.Subset(ds, [5, 1, 3]);
    const [x, y] = sub.getBatch([0, 2]);
    expect(x!.shape).toEqual([2, 1]);
    expect(rows(x!)).toEqual([2.5, 1.5]);
    expect(rows(y!)).toEqual([5, 3]);
  });
});
