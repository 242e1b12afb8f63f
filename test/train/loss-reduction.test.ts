// The reported loss is per sample whatever the batch size and the loss's reduction;
// validationSplit and empty data that would make it NaN are refused.
import { describe, expect, it } from 'vitest';

import { Tensor, evaluate, fit, manualSeed, nn, randn } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';
import { regression } from './regression.js';

function classification(n: number) {
  manualSeed(3);
  const x = randn(n, 4);
  const y = new Tensor(Float32Array.from({ length: n }, (_, i) => i % 3), [n]);
  manualSeed(4);
  return { x, y, model: new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3)) };
}

describe('evaluate with the loss reduction', () => {
  it('reduction "sum" reports the sum over the data per sample, whatever the batch size', async () => {
    const { x, y, model } = classification(5);
    const sum = new nn.CrossEntropyLoss({ reduction: 'sum' });
    const total = sum.forward(model.forward(x) as Tensor, y).item();
    for (const batchSize of [1, 2, 5]) {
      const ev = await evaluate(model, { x, y }, { loss: sum, batchSize });
      expect(ev.loss).toBeCloseTo(total / 5, 5);
    }
    const mean = await evaluate(model, { x, y }, { loss: new nn.CrossEntropyLoss(), batchSize: 2 });
    expect(mean.loss).toBeCloseTo(total / 5, 5);
  });

  it('a module with its own reduction property is read the same way', async () => {
    const { x, y, model } = classification(6);
    const ce = new nn.CrossEntropyLoss({ reduction: 'sum' });
    const custom = { reduction: 'sum', forward: (o: Tensor, t: Tensor) => ce.forward(o, t) };
    const a = await evaluate(model, { x, y }, { loss: custom, batchSize: 4 });
    const b = await evaluate(model, { x, y }, { loss: new nn.CrossEntropyLoss(), batchSize: 4 });
    expect(a.loss).toBeCloseTo(b.loss!, 5);
  });

  it('reduction "none" is refused with the fix', async () => {
    const { x, y, model } = classification(4);
    await expect(evaluate(model, { x, y }, { loss: new nn.CrossEntropyLoss({ reduction: 'none' }), batchSize: 1 })).rejects.toThrow(
      /evaluate: options.loss has reduction "none", but fit and evaluate need one number per batch: use reduction "mean" or "sum"/,
    );
  });
});

describe('fit with the loss reduction', () => {
  it('the training loss of a "sum" loss is per sample, as with "mean"', async () => {
    const data = regression(12, 5);
    const run = async (loss: nn.MSELoss, lr: number) => {
      manualSeed(6);
      const model = new nn.Linear(2, 1);
      const h = await fit(model, data, { optimizer: new PlainSGD(model.parameters(), lr), loss, epochs: 1, batchSize: 4, shuffle: false, validationData: data, verbose: 0 });
      return h.history;
    };
    // Batches of 4 one-output samples: the sum's gradient is 4x the mean's, so lr / 4 takes the same steps.
    const mean = await run(new nn.MSELoss(), 0.04);
    const sum = await run(new nn.MSELoss({ reduction: 'sum' }), 0.01);
    expect(sum.loss![0]).toBeCloseTo(mean.loss![0]!, 4);
    expect(sum.valLoss![0]).toBeCloseTo(mean.valLoss![0]!, 4);
  });
});

describe('data that would leave a loss NaN', () => {
  it('validationSplit holding out no sample is a RangeError naming the numbers', async () => {
    const data = regression(5, 7);
    const model = new nn.Linear(2, 1);
    const before = Array.from(model.weight.data);
    const run = fit(model, data, { optimizer: new PlainSGD(model.parameters(), 0.1), loss: mseLoss, validationSplit: 0.1, verbose: 0 });
    await expect(run).rejects.toThrow(/fit: options.validationSplit 0.1 of 5 samples holds out none \(floor\(5 \* 0.1\) = 0\): give a split of at least 0.2 or options.validationData/);
    await expect(run).rejects.toBeInstanceOf(RangeError);
    expect(Array.from(model.weight.data)).toEqual(before);
  });

  it('empty training or validation data is a RangeError', async () => {
    const model = new nn.Linear(2, 1);
    const opt = new PlainSGD(model.parameters(), 0.1);
    const empty = { x: new Tensor(new Float32Array(0), [0, 2]), y: new Tensor(new Float32Array(0), [0, 1]) };
    await expect(fit(model, empty, { optimizer: opt, loss: mseLoss, verbose: 0 })).rejects.toThrow(/fit: data has no samples/);
    await expect(fit(model, regression(4, 8), { optimizer: opt, loss: mseLoss, validationData: empty, verbose: 0 })).rejects.toThrow(
      /fit: options.validationData has no samples/,
    );
  });
});
