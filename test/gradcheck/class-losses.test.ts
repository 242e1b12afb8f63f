import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, rand, randn, tensor } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

const F = nn.functional;

/** The loss, weighted elementwise when unreduced, so that per-position gradients are told apart. */
function scalar(v: Tensor, w: Float32Array): Tensor {
  return v.ndim === 0 ? v : weightedSum(v, w);
}

describe('K-dimensional class losses: input gradients match finite differences', () => {
  // [2, 4, 3, 2] logits: a class per position of [2, 3, 2]; class 1 and -100 ignored where used
  const t = tensor([[[0, 1], [3, 2], [1, 1]], [[2, 0], [-100, 3], [0, 2]]]);
  // the same without -100, for a non-default ignoreIndex (-100 is then out of range)
  const t2 = tensor([[[0, 1], [3, 2], [1, 1]], [[2, 0], [3, 3], [0, 2]]]);
  const cases: [string, (x: Tensor) => Tensor][] = [
    ['CrossEntropyLoss', (x) => new nn.CrossEntropyLoss().forward(x, t)],
    ['CrossEntropyLoss weight, ignoreIndex, labelSmoothing', (x) => new nn.CrossEntropyLoss({ weight: tensor([0.5, 2, 1, 3]), ignoreIndex: 1, labelSmoothing: 0.2 }).forward(x, t2)],
    ['CrossEntropyLoss none', (x) => new nn.CrossEntropyLoss({ reduction: 'none', weight: tensor([0.5, 2, 1, 3]) }).forward(x, t)],
    ['CrossEntropyLoss sum, smoothing', (x) => new nn.CrossEntropyLoss({ reduction: 'sum', labelSmoothing: 0.4 }).forward(x, Int32Array.from(t.data))],
    ['NLLLoss weight', (x) => new nn.NLLLoss({ weight: tensor([0.5, 2, 1, 3]) }).forward(F.logSoftmax(x, 1), t)],
    ['NLLLoss none, ignoreIndex', (x) => new nn.NLLLoss({ reduction: 'none', ignoreIndex: 3 }).forward(F.logSoftmax(x, 1), t2)],
  ];
  for (const [label, f] of cases) {
    it(label, () => {
      manualSeed(41);
      const x = randn(2, 4, 3, 2).requiresGrad_();
      const w = randn(2, 3, 2).data;
      expect(gradcheck(() => scalar(f(x), w), [x], { eps: 1e-3, atol: 5e-3 })).toBeLessThanOrEqual(1);
    });
  }
});

describe('CrossEntropyLoss against class probabilities: input and target gradients match finite differences', () => {
  const cases: [string, number[], nn.CrossEntropyLossOptions][] = [
    ['[N, C], mean', [3, 4], {}],
    ['[N, C], weight and labelSmoothing', [3, 4], { weight: tensor([0.5, 2, 1, 3]), labelSmoothing: 0.25 }],
    ['[N, C, d1, d2], none, weight', [2, 4, 2, 3], { reduction: 'none', weight: tensor([0.5, 2, 1, 3]) }],
    ['[N, C, d1], sum, labelSmoothing', [2, 4, 3], { reduction: 'sum', labelSmoothing: 0.1 }],
    ['[C], labelSmoothing', [4], { labelSmoothing: 0.3 }],
  ];
  for (const [label, shape, options] of cases) {
    it(label, () => {
      manualSeed(42);
      const x = randn(shape).requiresGrad_();
      const p = rand(shape).requiresGrad_();
      const lossShape = shape.length === 1 ? [] : [shape[0]!, ...shape.slice(2)];
      const w = randn(lossShape).data;
      const m = new nn.CrossEntropyLoss(options);
      expect(gradcheck(() => scalar(m.forward(x, p), w), [x, p], { eps: 1e-3, atol: 5e-3 })).toBeLessThanOrEqual(1);
    });
  }
});
