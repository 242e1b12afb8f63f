// Finite-difference checks: every activation's backward and every loss's gradient
// against central differences of its own (native, float32) forward, in float64.
import { describe, expect, it } from 'vitest';

import {
  ACTIVATIONS,
  type ActivationName,
  type ActivationOptions,
  Tensor,
  activation,
  activationBackward,
  activationSavesOutput,
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  huberLoss,
  klDivLoss,
  l1Loss,
  logSoftmax,
  logSoftmaxBackward,
  type LossResult,
  mseLoss,
  nllLoss,
  smoothL1Loss,
  softmax,
  softmaxBackward,
} from '../helpers/kernel-api.js';
import { testData } from '../helpers/reference.js';

const H = 1e-2;
const OPTIONS: Partial<Record<ActivationName, ActivationOptions>> = {
  leakyRelu: { negativeSlope: 0.2 },
  elu: { alpha: 1.3 },
  softplus: { beta: 2, threshold: 15 },
  hardtanh: { minVal: -0.5, maxVal: 2 },
  pow: { exponent: 2.5 },
  clamp: { min: -0.5, max: 2 },
};
// Ops defined only for x > 0 (log, sqrt, pow with a fractional exponent) or x > -1
// (log1p), and reciprocal's pole: sample |x| + 0.25, away from 0.
const POSITIVE: ActivationName[] = ['log', 'sqrt', 'pow', 'log1p', 'reciprocal'];
// Points where some activation has a kink: keep samples away from them.
const KINKS = [0, -3, 3, -0.5, 2, 7.5];

function samples(n: number, seed: number): Float32Array {
  const x = testData(n, seed).map((v) => v * 4);
  return x.map((v) => (KINKS.some((k) => Math.abs(v - k) < 0.1) ? v + 0.25 : v));
}

describe('activation backward vs finite differences', () => {
  for (const name of ACTIVATIONS) {
    it(name, () => {
      const opts = OPTIONS[name];
      const x = POSITIVE.includes(name) ? samples(64, 17).map((v) => Math.abs(v) + 0.25) : samples(64, 17);
      const y = activation(name, new Tensor(x), opts);
      const ones = new Tensor(new Float32Array(x.length).fill(1));
      const dx = activationBackward(name, activationSavesOutput(name) ? y : new Tensor(x), ones, opts).data;
      const plus = activation(name, new Tensor(x.map((v) => v + H)), opts).data;
      const minus = activation(name, new Tensor(x.map((v) => v - H)), opts).data;
      for (let i = 0; i < x.length; i++) {
        const xp = Math.fround(x[i]! + H), xm = Math.fround(x[i]! - H);
        const fd = (plus[i]! - minus[i]!) / (xp - xm);
        expect(Math.abs(fd - dx[i]!), `${name}'(${x[i]}) = ${dx[i]}, finite difference ${fd}`).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
      }
    });
  }

  for (const [name, fwd, bwd] of [
    ['softmax', softmax, softmaxBackward],
    ['logSoftmax', logSoftmax, logSoftmaxBackward],
  ] as const) {
    it(name, () => {
      const x = testData(3 * 5, 5);
      const w = testData(3 * 5, 6); // loss = sum(w * f(x))
      const y = fwd(new Tensor(x, [3, 5]));
      const g = bwd(y, new Tensor(w, [3, 5])).data;
      for (let i = 0; i < x.length; i++) {
        const at = (d: number) => {
          const xx = Float32Array.from(x);
          xx[i] = x[i]! + d;
          const yy = fwd(new Tensor(xx, [3, 5])).data;
          return yy.reduce((s, v, j) => s + v * w[j]!, 0);
        };
        const fd = (at(H) - at(-H)) / (2 * H);
        expect(Math.abs(fd - g[i]!)).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
      }
    });
  }
});

describe('loss gradients vs finite differences', () => {
  const n = 24;
  const a = testData(n, 1).map((v) => v * 2);
  const b = testData(n, 2).map((v) => v * 2);
  const probs = testData(n, 3).map((v) => 0.2 + 0.3 * (v + 1));
  const targets01 = testData(n, 4).map((v) => 0.5 * (v + 1));
  const cls = Int32Array.from({ length: 6 }, (_, i) => (i * 3) % 4);
  const cases: [string, Float32Array, number[], (x: Float32Array) => LossResult][] = [
    ['mse', a, [4, 6], (x) => mseLoss(new Tensor(x, [4, 6]), new Tensor(b, [4, 6]))],
    ['l1', a, [4, 6], (x) => l1Loss(new Tensor(x, [4, 6]), new Tensor(b, [4, 6]), { reduction: 'sum' })],
    ['huber', a, [4, 6], (x) => huberLoss(new Tensor(x, [4, 6]), new Tensor(b, [4, 6]), { delta: 0.7 })],
    ['smoothL1', a, [4, 6], (x) => smoothL1Loss(new Tensor(x, [4, 6]), new Tensor(b, [4, 6]), { beta: 0.6 })],
    ['bce', probs, [4, 6], (x) => bceLoss(new Tensor(x, [4, 6]), new Tensor(targets01, [4, 6]))],
    [
      'bceWithLogits',
      a,
      [6, 4],
      (x) => bceWithLogitsLoss(new Tensor(x, [6, 4]), new Tensor(targets01, [6, 4]), { posWeight: new Tensor(Float32Array.from([0.5, 1, 2, 3])) }),
    ],
    ['klDiv', a, [4, 6], (x) => klDivLoss(new Tensor(x, [4, 6]), new Tensor(targets01, [4, 6]), { reduction: 'sum' })],
    [
      'crossEntropy',
      a,
      [6, 4],
      (x) => crossEntropyLoss(new Tensor(x, [6, 4]), cls, { weight: new Tensor(Float32Array.from([0.3, 1, 2.5, 0.7])), labelSmoothing: 0.2 }),
    ],
    ['nll', a, [6, 4], (x) => nllLoss(new Tensor(x, [6, 4]), cls, { weight: new Tensor(Float32Array.from([0.3, 1, 2.5, 0.7])) })],
  ];
  for (const [name, x0, , f] of cases) {
    it(name, () => {
      const g = f(x0).grad.data;
      for (let i = 0; i < x0.length; i++) {
        const h = name === 'bce' ? 1e-3 : H;
        const at = (d: number) => {
          const x = Float32Array.from(x0);
          x[i] = x0[i]! + d;
          return f(x).value;
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(fd - g[i]!), `${name} grad[${i}] = ${g[i]}, finite difference ${fd}`).toBeLessThan(2e-3 * (1 + Math.abs(fd)));
      }
    });
  }
});
