import { describe, expect, it } from 'vitest';

import {
  ACTIVATIONS,
  ErrorCode,
  Tensor,
  activation,
  activationBackward,
  activationSavesOutput,
  backend,
  logSoftmax,
  softmax,
  softmaxBackward,
} from '../helpers/kernel-api.js';
import { native } from '../../src/native.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { testData } from '../helpers/reference.js';

const erf = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 is too coarse; integrate the series / continued fraction in double.
  const t = Math.abs(x);
  if (t < 3) {
    let sum = t, term = t;
    for (let n = 1; n < 100; n++) {
      term *= (-t * t) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return Math.sign(x) * (1 - erfc);
};
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const REF: Record<string, (x: number) => number> = {
  relu: (x) => (x < 0 ? 0 : x),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  sigmoid: sig,
  tanh: Math.tanh,
  silu: (x) => x * sig(x),
  softplus: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
  mish: (x) => x * Math.tanh(Math.log1p(Math.exp(x))),
};

describe.each(isaLevels)('activations on %s', (isa) => {
  it('match float64 references at sizes 0, 1, 15, 16, 17, 1000003', () => {
    withIsa(isa, () => {
      for (const n of [0, 1, 15, 16, 17, 1000003]) {
        const x = new Tensor(testData(n, n + 1).map((v) => v * 8));
        for (const [name, f] of Object.entries(REF)) {
          const y = activation(name as (typeof ACTIVATIONS)[number], x).data;
          const step = n > 100000 ? 97 : 1; // sample the large case
          for (let i = 0; i < n; i += step) {
            const want = f(x.data[i]!);
            expect(Math.abs(y[i]! - want), `${name}(${x.data[i]}) = ${y[i]}, want ${want}`).toBeLessThanOrEqual(
              4e-6 * Math.abs(want) + 4e-7 * Math.max(1, Math.abs(x.data[i]!)),
            );
          }
        }
      }
    });
  });

  it('softmax rows sum to 1 and stay finite for huge logits', () => {
    withIsa(isa, () => {
      const x = new Tensor(Float32Array.from([1000, 999, -1000, 0, 1, 2, 3, 4]), [2, 4]);
      const y = softmax(x).data;
      expect(y[0]! + y[1]! + y[2]! + y[3]!).toBeCloseTo(1, 6);
      expect(y[2]).toBe(0);
      const l = logSoftmax(x).data;
      expect(l[2]).toBeCloseTo(-2000 - Math.log1p(Math.exp(-1)), 3);
    });
  });
});

describe('activation API', () => {
  it('every activation runs forward and backward, keeping the shape', () => {
    const x = new Tensor(testData(12, 3), [3, 4]);
    const dy = new Tensor(testData(12, 4), [3, 4]);
    for (const name of ACTIVATIONS) {
      const y = activation(name, x);
      expect(y.shape).toEqual([3, 4]);
      const dx = activationBackward(name, activationSavesOutput(name) ? y : x, dy);
      expect(dx.shape).toEqual([3, 4]);
    }
  });

  it('options: defaults, PyTorch meanings, unknown keys and bad values rejected', () => {
    const x = new Tensor(Float32Array.from([-2, -0.5, 0.5, 3]));
    expect(Array.from(activation('leakyRelu', x).data)).toEqual([-0.019999999552965164, -0.004999999888241291, 0.5, 3]);
    expect(Array.from(activation('hardtanh', x, { minVal: -1, maxVal: 2 }).data)).toEqual([-1, -0.5, 0.5, 2]);
    expect(() => activation('relu', x, { alpha: 1 } as never)).toThrow('unknown option "alpha"');
    expect(() => activation('elu', x, { alpha: NaN })).toThrow(RangeError);
    expect(() => activation('hardtanh', x, { minVal: 2, maxVal: 1 })).toThrow('maxVal must be >= minVal');
    expect(() => activation('nope' as never, x)).toThrow(TypeError);
    expect(() => activationBackward('relu', x, new Tensor(new Float32Array(3)))).toThrow(/dy has shape \[3\]/);
  });

  it('softmax backward matches the analytic Jacobian product', () => {
    const x = new Tensor(testData(2 * 5, 9), [2, 5]);
    const dy = new Tensor(testData(2 * 5, 10), [2, 5]);
    const y = softmax(x);
    const dx = softmaxBackward(y, dy).data;
    for (let r = 0; r < 2; r++) {
      let dot = 0;
      for (let c = 0; c < 5; c++) dot += y.data[r * 5 + c]! * dy.data[r * 5 + c]!;
      for (let c = 0; c < 5; c++) {
        const i = r * 5 + c;
        expect(dx[i]).toBeCloseTo(y.data[i]! * (dy.data[i]! - dot), 6);
      }
    }
  });
});

describe('activation bindings', () => {
  it('run in place, reject partial overlap with an alias error', () => {
    const x = Float32Array.from([-1, 2, -3, 4]);
    native.reluFwd(x, x);
    expect(Array.from(x)).toEqual([0, 2, 0, 4]);
    const buf = new Float32Array(8);
    let err: (Error & { code?: string }) | undefined;
    try {
      native.reluFwd(buf.subarray(0, 4), buf.subarray(2, 6));
    } catch (e) {
      err = e as Error & { code?: string };
    }
    expect(err?.message).toBe('reluFwd: y must not share memory with x (pass a separate output buffer)');
    expect(err?.code).toBe(ErrorCode.Alias);
    expect(() => native.softmaxFwd(new Float32Array(6), new Float32Array(6), 2, 4)).toThrow(
      'softmaxFwd: x must have 8 elements for a 2x4 matrix, but has 6',
    );
  });

  it('give the same bits for 1, 2 and 7 threads', () => {
    const before = backend.getNumThreads();
    const flat = new Tensor(testData(1000003, 5).map((v) => v * 6));
    const results: Float32Array[] = [];
    for (const t of [1, 2, 7]) {
      backend.setNumThreads(t);
      const g = activation('gelu', flat).data;
      const s = softmax(new Tensor(flat.data.slice(0, 991 * 1009), [991, 1009])).data;
      const both = new Float32Array(g.length + s.length);
      both.set(g);
      both.set(s, g.length);
      results.push(both);
    }
    backend.setNumThreads(before);
    expect(Buffer.compare(Buffer.from(results[0]!.buffer), Buffer.from(results[1]!.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(results[0]!.buffer), Buffer.from(results[2]!.buffer))).toBe(0);
  });
});
