import { describe, expect, it } from 'vitest';

import { Generator, manualSeed, matmul, nn, zeros } from '../../src/index.js';

const { init } = nn;

function stats(data: Float32Array) {
  let mean = 0;
  for (const v of data) mean += v / data.length;
  let v2 = 0;
  for (const v of data) v2 += (v - mean) ** 2 / data.length;
  let max = -Infinity;
  for (const v of data) max = Math.max(max, Math.abs(v));
  return { mean, std: Math.sqrt(v2), maxAbs: max };
}

describe('nn.init', () => {
  it('calculateGain matches torch.nn.init.calculate_gain', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(init.calculateGain('leaky_relu', { param: Math.sqrt(5) })).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as never)).toThrow(/unsupported nonlinearity/);
  });

  it('fans follow PyTorch (receptive field for conv weights)', () => {
    expect(init.calculateFanInAndFanOut(zeros(16, 3, 5, 5))).toEqual([75, 400]);
    expect(() => init.calculateFanInAndFanOut(zeros(3))).toThrow(/fewer than 2 dimensions/);
  });

  it('uniform and kaiming/xavier bounds', () => {
    manualSeed(0);
    const w = zeros(500, 400);
    init.kaimingUniform_(w, { a: Math.sqrt(5) });
    const bound = 1 / Math.sqrt(400);
    const s = stats(w.data);
    expect(s.maxAbs).toBeLessThanOrEqual(bound);
    expect(s.maxAbs).toBeGreaterThan(bound * 0.99);
    expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 3);
    init.xavierUniform_(w, { gain: 2 });
    expect(stats(w.data).maxAbs).toBeLessThanOrEqual(2 * Math.sqrt(6 / 900));
    init.kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' });
    expect(stats(w.data).std).toBeCloseTo(Math.SQRT2 / Math.sqrt(500), 3);
    init.xavierNormal_(w);
    expect(stats(w.data).std).toBeCloseTo(Math.sqrt(2 / 900), 3);
    init.normal_(w, { mean: 3, std: 0.5 });
    expect(stats(w.data).mean).toBeCloseTo(3, 2);
    init.uniform_(w, { a: -2, b: -1 });
    expect(w.data.every((v) => v >= -2 && v < -1)).toBe(true);
    expect(init.constant_(zeros(2), 7).toArray()).toEqual([7, 7]);
    expect(init.ones_(zeros(2)).toArray()).toEqual([1, 1]);
    expect(() => init.kaimingUniform_(w, { mode: 'fan_avg' as never })).toThrow(/options.mode must be "fan_in" or "fan_out"/);
  });

  it('orthogonal_ gives orthonormal rows or columns', () => {
    for (const shape of [[6, 4], [4, 6], [5, 5], [3, 2, 2]]) {
      const w = init.orthogonal_(zeros(shape), { gain: 1 });
      const rows = shape[0]!;
      const m = w.reshape(rows, -1);
      const cols = m.shape[1]!;
      const gram = rows >= cols ? matmul(m, m, { transA: true }) : matmul(m, m, { transB: true });
      const n = Math.min(rows, cols);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(gram.data[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 5);
    }
  });

  it('uses a given generator reproducibly', () => {
    const a = init.normal_(zeros(10), { generator: new Generator(9) });
    const b = init.normal_(zeros(10), { generator: new Generator(9) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});
