// fit, evaluate and predict check the model and x before switching the model's mode, so a
// refused call leaves the model as it was.
import { describe, expect, it } from 'vitest';

import { evaluate, fit, nn, optim, predict, Tensor } from '../../src/index.js';

const model = () => new nn.Sequential(new nn.Linear(3, 2), new nn.Dropout({ p: 0.5 }));
const x = new Tensor(new Float32Array(12).fill(0.5), [4, 3]);
const y = new Tensor(new Float32Array([0, 1, 0, 1]), [4]);

describe('model argument', () => {
  it.each([
    ['fit', (m: unknown) => fit(m as nn.Module, { x, y }, { epochs: 1, optimizer: new optim.SGD(model().parameters(), { lr: 0.1 }), loss: new nn.CrossEntropyLoss(), verbose: 0 })],
    ['evaluate', (m: unknown) => evaluate(m as nn.Module, { x, y }, { loss: new nn.CrossEntropyLoss() })],
    ['predict', (m: unknown) => predict(m as nn.Module, x)],
  ])('%s refuses a non-module with a TypeError naming it', async (op, call) => {
    for (const bad of [{}, null, 3, { forward: () => x }]) {
      await expect(call(bad)).rejects.toThrow(TypeError);
      await expect(call(bad)).rejects.toThrow(new RegExp(`^${op}: model must be an nn.Module`));
    }
  });

  it('predict refuses a 0-d or empty x and leaves the model in training mode', async () => {
    const m = model();
    await expect(predict(m, new Tensor(new Float32Array([1]), []))).rejects.toThrow(/predict: x must have a batch dimension/);
    await expect(predict(m, new Tensor(new Float32Array(0), [0, 3]))).rejects.toThrow(/predict: x has no rows/);
    expect([...m.modules()].every((s) => s.training)).toBe(true);
    await predict(m, x, { batchSize: 3 });
    expect([...m.modules()].every((s) => s.training)).toBe(true);
  });
});
