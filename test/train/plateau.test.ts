// ReduceLROnPlateau on NaN metrics (PyTorch 1.13: a NaN is never "better") and its
// state through JSON, where +/-Infinity would otherwise come back as null.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { io, nn, optim } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-plateau-'));

function optimizer(lr = 0.1) {
  return new PlainSGD(new nn.Linear(1, 1).parameters(), lr);
}

describe('ReduceLROnPlateau.step', () => {
  it('counts a NaN metric as a bad epoch, as PyTorch does', () => {
    const opt = optimizer();
    const s = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 1 });
    s.step(1);
    s.step(NaN);
    expect(s.best).toBe(1);
    expect(s.numBadEpochs).toBe(1);
    expect(opt.paramGroups[0]!.lr).toBe(0.1);
    s.step(NaN);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.01, 12);
    expect(s.numBadEpochs).toBe(0);
  });

  it('NaN from the first epoch on never becomes the best (mode max too)', () => {
    const s = new optim.lrScheduler.ReduceLROnPlateau(optimizer(), { mode: 'max', patience: 0 });
    s.step(NaN);
    expect(s.best).toBe(-Infinity);
    expect(s.getLastLr()[0]).toBeCloseTo(0.01, 12);
  });

  it('rejects a metric that is not a number with a TypeError', () => {
    const s = new optim.lrScheduler.ReduceLROnPlateau(optimizer());
    expect(() => s.step('0.5' as never)).toThrow(TypeError);
    expect(() => s.step(undefined as never)).toThrow(/ReduceLROnPlateau.step: metric must be a number, but received undefined/);
    expect(s.lastEpoch).toBe(0);
  });
});

describe('ReduceLROnPlateau state', () => {
  it('keeps best = +/-Infinity through JSON', () => {
    for (const mode of ['min', 'max'] as const) {
      const s = new optim.lrScheduler.ReduceLROnPlateau(optimizer(), { mode });
      const s2 = new optim.lrScheduler.ReduceLROnPlateau(optimizer(), { mode });
      s2.best = 123;
      s2.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())));
      expect(s2.best).toBe(mode === 'min' ? Infinity : -Infinity);
    }
  });

  it('reads null, as older checkpoints stored +/-Infinity, as the starting best', () => {
    const s = new optim.lrScheduler.ReduceLROnPlateau(optimizer(), { mode: 'max' });
    s.best = 5;
    s.loadStateDict({ best: null, numBadEpochs: 2, cooldownCounter: 0, lastEpoch: 3 });
    expect(s.best).toBe(-Infinity);
    expect(s.numBadEpochs).toBe(2);
  });

  it('checks every value before applying any', () => {
    const s = new optim.lrScheduler.ReduceLROnPlateau(optimizer());
    s.step(2);
    expect(() => s.loadStateDict({ best: 1, numBadEpochs: -1 })).toThrow(/state.numBadEpochs must be a non-negative integer/);
    expect(() => s.loadStateDict({ best: 'big' })).toThrow(TypeError);
    expect(s.best).toBe(2);
  });

  it('round-trips through a checkpoint: the restored scheduler continues as the original', async () => {
    const model = new nn.Linear(1, 1);
    const opt = new PlainSGD(model.parameters(), 0.1);
    const s = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 1 });
    const path = join(dir, 'plateau.safetensors');
    await io.saveCheckpoint({ model, optimizer: opt, scheduler: s }, path);
    const opt2 = new PlainSGD(model.parameters(), 0.1);
    const s2 = new optim.lrScheduler.ReduceLROnPlateau(opt2, { patience: 1 });
    s2.best = 0;
    await io.loadCheckpoint(path, { model, optimizer: opt2, scheduler: s2 });
    expect(s2.best).toBe(Infinity);
    for (const v of [3, 4, 5]) {
      s.step(v);
      s2.step(v);
    }
    expect(s2.getLastLr()).toEqual(s.getLastLr());
    expect(s2.stateDict()).toEqual(s.stateDict());
  });
});

describe('LRScheduler state', () => {
  it('LambdaLR keeps its functions through a JSON round trip', () => {
    const o = optimizer();
    const s = new optim.lrScheduler.LambdaLR(o, (e) => 1 / (1 + e));
    s.step();
    const s2 = new optim.lrScheduler.LambdaLR(optimizer(), (e) => 1 / (1 + e));
    s2.loadStateDict(JSON.parse(JSON.stringify(s.stateDict())));
    s.step();
    s2.step();
    expect(s2.getLastLr()).toEqual(s.getLastLr());
  });
});
