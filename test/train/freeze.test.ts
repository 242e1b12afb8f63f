import { describe, expect, it } from 'vitest';

import { AxonalError, ErrorCode, Tensor, backend, fit, freeze, manualSeed, nn, optim, predict, randn } from '../../src/index.js';
import { isaLevels } from '../helpers/isa.js';

const bitsEqual = (x: Float32Array, y: Float32Array) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));

function mlp() {
  return new nn.Sequential(new nn.Linear(30, 50), new nn.ReLU(), new nn.Linear(50, 20), new nn.GELU(), new nn.Linear(20, 7));
}

describe('freeze', () => {
  it('predicts the bits of the live model at every batch size, on every ISA, and again from its kept packing', async () => {
    const restore = backend.info().isa;
    // (withIsa restores at the first await: predict is async, so set the level by hand.)
    for (const isa of isaLevels) {
      backend.setIsa(isa);
      try {
        manualSeed(1);
        const model = mlp();
        const frozen = freeze(model);
        for (const rows of [1, 2, 7, 64, 129, 300]) {
          const x = randn(rows, 30);
          const want = await predict(model, x);
          const first = await predict(frozen, x);
          const again = await predict(frozen, x);
          expect(first.shape).toEqual([rows, 7]);
          expect(bitsEqual(first.data, want.data), `${isa} rows=${rows}`).toBe(true);
          expect(bitsEqual(again.data, want.data), `${isa} rows=${rows} (kept packing)`).toBe(true);
          // forward directly (no predict): the same.
          expect(bitsEqual((frozen.forward(x) as Tensor).data, want.data)).toBe(true);
        }
      } finally {
        backend.setIsa(restore);
      }
    }
  });

  it('is a snapshot: the original trains on, the frozen copy keeps the weights it was given', async () => {
    manualSeed(2);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const x = randn(64, 4);
    const before = await predict(model, x);
    const frozen = freeze(model);
    await predict(frozen, x); // packs the weights
    const y = new Tensor(Float32Array.from({ length: 64 }, (_, i) => i % 3), [64]);
    await fit(model, { x, y }, { optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }), loss: new nn.CrossEntropyLoss(), epochs: 3, batchSize: 16, verbose: 0 });
    const after = await predict(model, x);
    expect(bitsEqual(after.data, before.data)).toBe(false); // the original did change
    expect(bitsEqual((await predict(frozen, x)).data, before.data)).toBe(true);
    // The copy owns its tensors: none is shared with the original.
    const own = new Set(model.parameters().map((p) => p.data.buffer));
    for (const p of frozen.parameters()) expect(own.has(p.data.buffer)).toBe(false);
    // Training mode of the original is untouched; the copy is in eval mode without gradients.
    expect(model.training).toBe(true);
    expect(frozen.training).toBe(false);
    for (const p of frozen.parameters()) expect(p.requiresGrad).toBe(false);
  });

  it('copies buffers and runs in eval mode (batch-norm statistics, dropout off)', async () => {
    manualSeed(3);
    const model = new nn.Sequential(new nn.Linear(6, 10), new nn.BatchNorm1d(10), new nn.ReLU(), new nn.Dropout({ p: 0.5 }), new nn.Linear(10, 2));
    model.train();
    for (let i = 0; i < 3; i++) model.forward(randn(32, 6)); // moves the running statistics
    const x = randn(9, 6);
    const frozen = freeze(model);
    model.eval();
    const want = model.forward(x) as Tensor;
    model.train();
    expect(bitsEqual((await predict(frozen, x)).data, want.data)).toBe(true);
  });

  it('refuses to be trained or reloaded, and explains what it cannot copy', async () => {
    const frozen = freeze(mlp());
    const sd = mlp().stateDict();
    expect(() => frozen.loadStateDict(sd)).toThrow(AxonalError);
    expect(() => frozen.loadStateDict(sd)).toThrow(/^loadStateDict: this model is a frozen snapshot \(freeze\(\)\)/);
    const inner = frozen.getSubmodule('0');
    expect(() => inner.loadStateDict(inner.stateDict())).toThrow(/frozen snapshot/);
    try {
      frozen.loadStateDict(sd);
    } catch (e) {
      expect((e as AxonalError).code).toBe(ErrorCode.State);
    }
    const x = randn(4, 30);
    const y = new Tensor(new Float32Array(4), [4]);
    await expect(fit(frozen, { x, y }, { optimizer: new optim.SGD(frozen.parameters(), { lr: 0.1 }), loss: new nn.CrossEntropyLoss(), verbose: 0 })).rejects.toThrow(
      /^fit: model is a frozen snapshot \(freeze\(\)\) and cannot be trained/,
    );

    class Custom extends nn.Module {
      fc = this.registerModule('fc', new nn.Linear(2, 2));
      forward(x: unknown) {
        return this.fc.forward(x as Tensor);
      }
    }
    expect(() => freeze(new nn.Sequential(new nn.Linear(2, 2), new Custom()))).toThrow(
      /^freeze: model\.1 is a Custom, not a built-in module, so freeze cannot rebuild it/,
    );
    expect(freeze(new nn.Linear(2, 2))).toBeInstanceOf(nn.Linear);
    for (const bad of [null, 3, {}, new Tensor(new Float32Array(1), [1])]) {
      expect(() => freeze(bad as never)).toThrow(/^freeze: model must be an nn\.Module, but received/);
    }
  });
});
