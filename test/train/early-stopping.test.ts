// EarlyStopping with Keras's semantics (patience counts epochs without improvement;
// NaN never improves; best weights come back at the end of training) and
// ModelCheckpoint's saveBestOnly on NaN.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { nn, train } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-es-'));

function context(model: nn.Module = new nn.Linear(1, 1)): train.TrainingContext {
  return { model, stopTraining: false } as unknown as train.TrainingContext;
}

/** Feeds `values` as the monitored value, epoch by epoch; returns the epoch it stopped at (-1: never). */
function stopEpoch(es: train.EarlyStopping, values: number[], monitor = 'valLoss'): number {
  const ctx = context();
  es.onTrainBegin();
  for (let e = 0; e < values.length; e++) {
    es.onEpochEnd(e, { [monitor]: values[e]! }, ctx);
    if (ctx.stopTraining) return e;
  }
  return -1;
}

describe('EarlyStopping patience (Keras)', () => {
  it('stops after `patience` epochs without improvement; 0 and 1 stop at the first', () => {
    const values = [1, 2, 2, 2, 2, 2];
    expect(stopEpoch(new train.EarlyStopping({ patience: 0 }), values)).toBe(1);
    expect(stopEpoch(new train.EarlyStopping({ patience: 1 }), values)).toBe(1);
    expect(stopEpoch(new train.EarlyStopping({ patience: 2 }), values)).toBe(2);
    expect(stopEpoch(new train.EarlyStopping({ patience: 3 }), values)).toBe(3);
  });

  it('an improvement restarts the count', () => {
    expect(stopEpoch(new train.EarlyStopping({ patience: 2 }), [3, 4, 2, 5, 6, 7])).toBe(4);
  });

  it('says how many epochs did not improve', () => {
    const es = new train.EarlyStopping({ patience: 1 });
    const ctx = context();
    es.onTrainBegin();
    es.onEpochEnd(0, { valLoss: 1 }, ctx);
    es.onEpochEnd(1, { valLoss: 2 }, ctx);
    expect(ctx.stopReason).toBe('early stopping: valLoss did not improve for 1 epoch (best 1 at epoch 1)');
    expect(es.stoppedEpoch).toBe(1);
  });
});

describe('EarlyStopping with NaN', () => {
  it('NaN never improves: all-NaN values stop after patience epochs, with no best', () => {
    const es = new train.EarlyStopping({ patience: 2 });
    expect(stopEpoch(es, [NaN, NaN, NaN, NaN, NaN])).toBe(1);
    expect(es.best).toBe(Infinity);
    expect(es.bestEpoch).toBe(-1);
  });

  it('a NaN epoch before a finite one is not the best', () => {
    const es = new train.EarlyStopping({ patience: 3 });
    stopEpoch(es, [NaN, 5, 6]);
    expect(es.best).toBe(5);
    expect(es.bestEpoch).toBe(1);
    expect(es.wait).toBe(1);
  });

  it('restoreBestWeights never snapshots the weights of a NaN epoch', () => {
    const model = new nn.Linear(1, 1);
    const ctx = context(model);
    const es = new train.EarlyStopping({ patience: 5, restoreBestWeights: true });
    es.onTrainBegin();
    model.weight.data[0] = 7;
    es.onEpochEnd(0, { valLoss: NaN }, ctx);
    model.weight.data[0] = 8;
    es.onTrainEnd({}, ctx);
    expect(model.weight.data[0]).toBe(8);
  });
});

describe('EarlyStopping restoreBestWeights', () => {
  it('restores the best epoch at the end of training even when it did not stop early (Keras 3)', () => {
    const model = new nn.Linear(1, 1);
    const ctx = context(model);
    const es = new train.EarlyStopping({ patience: 5, restoreBestWeights: true });
    es.onTrainBegin();
    model.weight.data[0] = 1;
    es.onEpochEnd(0, { valLoss: 0.1 }, ctx);
    model.weight.data[0] = 2;
    es.onEpochEnd(1, { valLoss: 0.5 }, ctx);
    expect(ctx.stopTraining).toBe(false);
    es.onTrainEnd({}, ctx);
    expect(model.weight.data[0]).toBe(1);
  });

  it('leaves the weights alone when it was not asked to', () => {
    const model = new nn.Linear(1, 1);
    const ctx = context(model);
    const es = new train.EarlyStopping({ patience: 0 });
    es.onTrainBegin();
    model.weight.data[0] = 1;
    es.onEpochEnd(0, { valLoss: 0.1 }, ctx);
    model.weight.data[0] = 2;
    es.onEpochEnd(1, { valLoss: 0.5 }, ctx);
    es.onTrainEnd({}, ctx);
    expect(model.weight.data[0]).toBe(2);
  });
});

describe('EarlyStopping minDelta, mode, baseline', () => {
  it('minDelta: a change of at most minDelta is no improvement', () => {
    expect(stopEpoch(new train.EarlyStopping({ patience: 1, minDelta: 0.1 }), [1, 0.95, 0.5])).toBe(1);
    expect(stopEpoch(new train.EarlyStopping({ patience: 1, minDelta: 0.01 }), [1, 0.95, 0.95])).toBe(2);
    // minDelta is a magnitude: a negative one means the same.
    expect(stopEpoch(new train.EarlyStopping({ patience: 1, minDelta: -0.1 }), [1, 0.95, 0.5])).toBe(1);
  });

  it('mode max, and auto picks max for accuracy-like names', () => {
    expect(stopEpoch(new train.EarlyStopping({ monitor: 'score', mode: 'max', patience: 1 }), [1, 2, 3, 2], 'score')).toBe(3);
    const auto = new train.EarlyStopping({ monitor: 'valAccuracy', patience: 1 });
    expect(auto.mode).toBe('max');
    expect(auto.best).toBe(-Infinity);
    expect(stopEpoch(auto, [0.5, 0.6, 0.55], 'valAccuracy')).toBe(2);
    expect(new train.EarlyStopping({ monitor: 'valMae' }).mode).toBe('min');
  });

  it('baseline: only values beating it restart the count, but the best is still tracked', () => {
    const es = new train.EarlyStopping({ patience: 2, baseline: 0.5 });
    expect(stopEpoch(es, [0.9, 0.8, 0.7, 0.6])).toBe(1);
    expect(es.best).toBe(0.8);
    expect(stopEpoch(new train.EarlyStopping({ patience: 2, baseline: 0.5 }), [0.9, 0.4, 0.45, 0.45, 0.45])).toBe(3);
  });

  it('rejects bad options', () => {
    expect(() => new train.EarlyStopping({ patience: -1 })).toThrow(/options.patience must be a non-negative integer/);
    expect(() => new train.EarlyStopping({ mode: 'up' as never })).toThrow(/options.mode must be "min", "max" or "auto"/);
    expect(() => new train.EarlyStopping({ baseline: NaN })).toThrow(/options.baseline must be a finite number/);
  });

  it('a monitored value missing from the logs is an error naming what is there', () => {
    const es = new train.EarlyStopping();
    es.onTrainBegin();
    expect(() => es.onEpochEnd(0, { loss: 1 }, context())).toThrow(/monitored value "valLoss" is not in the logs \(available: loss\)/);
  });
});

describe('ModelCheckpoint saveBestOnly', () => {
  it('never counts a NaN epoch as the best', async () => {
    const ck = new train.ModelCheckpoint(join(dir, 'best-{epoch}.safetensors'), { saveBestOnly: true });
    expect(ck.best).toBe(Infinity);
    const ctx = context();
    const values = [NaN, 1, NaN, 2, 0.5];
    for (let e = 0; e < values.length; e++) await ck.onEpochEnd(e, { valLoss: values[e]! }, ctx);
    expect(ck.written.map((p) => basename(p))).toEqual(['best-2.safetensors', 'best-5.safetensors']);
    expect(ck.best).toBe(0.5);
  });
});
