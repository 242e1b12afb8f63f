import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, noGrad, permute, rand, randn, tensor } from '../../src/index.js';

const F = nn.functional;

describe('class losses on K-dimensional inputs', () => {
  it('equal the loss over rows with the class dimension moved last, for every reduction and option', () => {
    manualSeed(51);
    const x = randn(2, 3, 4, 2);
    const t = tensor([[[0, 1], [2, 2], [1, 0], [2, 1]], [[1, 1], [0, 2], [2, 0], [1, 1]]]);
    const rows = permute(x, [0, 2, 3, 1]).reshape(16, 3);
    for (const options of [{}, { weight: tensor([0.5, 2, 1]), ignoreIndex: 1, labelSmoothing: 0.2 }, { reduction: 'sum' as const }]) {
      const kdim = F.crossEntropy(x, t, options);
      const flat = F.crossEntropy(rows, t.reshape(16), options);
      expect(kdim.shape).toEqual([]);
      expect(kdim.item()).toBeCloseTo(flat.item(), 5);
      const { labelSmoothing: _, ...nllOptions } = options as nn.CrossEntropyLossOptions;
      const nll = F.nllLoss(F.logSoftmax(x, 1), t, nllOptions);
      expect(nll.item()).toBeCloseTo(F.nllLoss(F.logSoftmax(rows, 1), t.reshape(16), nllOptions).item(), 5);
    }
    const none = F.crossEntropy(x, Int32Array.from(t.data), { reduction: 'none' });
    expect(none.shape).toEqual([2, 4, 2]);
    const noneRows = F.crossEntropy(rows, t.reshape(16), { reduction: 'none' });
    for (let i = 0; i < 16; i++) expect(none.data[i]).toBeCloseTo(noneRows.data[i]!, 5);
  });

  it('record no graph under noGrad and accept empty positions', () => {
    const x = randn(2, 3, 4).requiresGrad_();
    const t = tensor([[0, 1, 2, 0], [1, 1, 2, 2]]);
    expect(noGrad(() => F.crossEntropy(x, t)).gradFn).toBeNull();
    expect(F.crossEntropy(x, t).gradFn).not.toBeNull();
    // PyTorch: mean over no predictions is NaN, 'none' keeps the empty shape
    expect(F.crossEntropy(randn(2, 3, 0), new Tensor(new Float32Array(0), [2, 0])).item()).toBeNaN();
    expect(F.crossEntropy(randn(2, 3, 0), new Tensor(new Float32Array(0), [2, 0]), { reduction: 'none' }).shape).toEqual([2, 0]);
  });
});

describe('CrossEntropyLoss against class probabilities', () => {
  it('one-hot probabilities give the class-index loss (with label smoothing too); unreduced shapes follow the input', () => {
    manualSeed(52);
    const x = randn(4, 5);
    const idx = [3, 0, 4, 1];
    const oneHot = F.oneHot(idx, 5);
    for (const options of [{}, { labelSmoothing: 0.3 }, { reduction: 'sum' as const, labelSmoothing: 0.1 }]) {
      expect(F.crossEntropy(x, oneHot, options).item()).toBeCloseTo(F.crossEntropy(x, idx, options).item(), 5);
    }
    expect(F.crossEntropy(x, oneHot, { reduction: 'none' }).shape).toEqual([4]);
    expect(F.crossEntropy(randn(2, 5, 3), rand(2, 5, 3), { reduction: 'none' }).shape).toEqual([2, 3]);
    expect(F.crossEntropy(randn(5), rand(5), { reduction: 'none' }).shape).toEqual([]);
  });

  it("'mean' divides by the number of predictions, not by the summed weights", () => {
    manualSeed(53);
    const x = randn(3, 4);
    const p = rand(3, 4);
    const w = tensor([0.5, 2, 1, 3]);
    const sum = F.crossEntropy(x, p, { weight: w, reduction: 'sum' }).item();
    expect(F.crossEntropy(x, p, { weight: w }).item()).toBeCloseTo(sum / 3, 5);
  });

  it('sends gradients to the target too', () => {
    const x = randn(2, 3).requiresGrad_();
    const p = rand(2, 3).requiresGrad_();
    new nn.CrossEntropyLoss({ labelSmoothing: 0.2 }).forward(x, p).backward();
    expect(x.grad).not.toBeNull();
    expect(p.grad!.shape).toEqual([2, 3]);
    // d/dp = -(1 - ls) log_softmax(x) / N
    const ls = F.logSoftmax(x.detach(), 1);
    for (let i = 0; i < 6; i++) expect(p.grad!.data[i]).toBeCloseTo((-0.8 * ls.data[i]!) / 2, 6);
  });
});
