// Stopping fit: an abort or ctx.stopTraining ends training after the current batch;
// an epoch whose batches did not all run ends nothing (no history entry, no per-epoch
// scheduler step, no validation, no onEpochEnd, so no checkpoint); onTrainEnd still runs.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { fit, nn, optim, train } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';
import { regression } from './regression.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-stop-'));

/** Records every hook as "name epoch/batch". */
function recorder(events: string[]): train.Callback {
  return {
    onTrainBegin: () => void events.push('trainBegin'),
    onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
    onBatchEnd: (b) => void events.push(`batch ${b}`),
    onEpochEnd: (e) => void events.push(`epochEnd ${e}`),
    onTrainEnd: () => void events.push('trainEnd'),
  };
}

describe('fit stopped mid-epoch', () => {
  it('an abort in the second epoch keeps the first and drops the partial one, with validation-monitoring callbacks', async () => {
    const data = regression(64, 1);
    const model = new nn.Linear(2, 1);
    const opt = new PlainSGD(model.parameters(), 0.01);
    const sched = new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 });
    const controller = new AbortController();
    const events: string[] = [];
    const ck = new train.ModelCheckpoint(join(dir, 'abort-{epoch}.safetensors'), { saveBestOnly: true });
    const h = await fit(model, data, {
      optimizer: opt,
      loss: mseLoss,
      epochs: 3,
      batchSize: 8,
      validationData: data,
      scheduler: sched,
      signal: controller.signal,
      callbacks: [
        recorder(events),
        { onBatchEnd: (b) => void (events.length > 12 && b === 1 && controller.abort()) },
        new train.EarlyStopping({ patience: 5 }),
        new train.ReduceLROnPlateau({ patience: 5 }),
        ck,
      ],
      verbose: 0,
    });
    expect(h.stopReason).toBe('aborted by the signal');
    expect(h.epoch).toEqual([0]);
    expect(h.history.valLoss).toHaveLength(1);
    expect(events.filter((e) => !e.startsWith('batch'))).toEqual(['trainBegin', 'epochBegin 0', 'epochEnd 0', 'epochBegin 1', 'trainEnd']);
    expect(events.filter((e) => e.startsWith('batch')).length).toBe(8 + 2);
    // StepLR stepped for the complete epoch only.
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.005, 12);
    expect(ck.written.map((p) => basename(p))).toEqual(['abort-1.safetensors']);
    expect(existsSync(join(dir, 'abort-2.safetensors'))).toBe(false);
  });

  it('TerminateOnNaN mid-epoch: the NaN epoch is not recorded and onTrainEnd runs', async () => {
    const data = regression(32, 2);
    const model = new nn.Linear(2, 1);
    model.weight.data[0] = NaN;
    const events: string[] = [];
    const h = await fit(model, data, {
      optimizer: new PlainSGD(model.parameters(), 0.1),
      loss: mseLoss,
      epochs: 3,
      batchSize: 8,
      validationData: data,
      callbacks: [new train.TerminateOnNaN(), recorder(events), new train.EarlyStopping(), new train.ReduceLROnPlateau()],
      verbose: 0,
    });
    expect(h.stopReason).toBe('loss became NaN at batch 1');
    expect(h.epoch).toEqual([]);
    expect(h.history).toEqual({});
    expect(events).toEqual(['trainBegin', 'epochBegin 0', 'batch 0', 'trainEnd']);
  });

  it('a stop during the last batch completes its epoch (all its batches ran)', async () => {
    const data = regression(32, 3);
    const model = new nn.Linear(2, 1);
    const events: string[] = [];
    const h = await fit(model, data, {
      optimizer: new PlainSGD(model.parameters(), 0.01),
      loss: mseLoss,
      epochs: 3,
      batchSize: 8,
      validationData: data,
      callbacks: [
        recorder(events),
        { onBatchEnd: (b, _logs, ctx) => void (b === 3 && (ctx.stopTraining = true)) },
        new train.EarlyStopping(),
      ],
      verbose: 0,
    });
    expect(h.epoch).toEqual([0]);
    expect(h.history.valLoss).toHaveLength(1);
    expect(events.filter((e) => !e.startsWith('batch'))).toEqual(['trainBegin', 'epochBegin 0', 'epochEnd 0', 'trainEnd']);
  });

  it('a stop requested in onEpochBegin runs no batch of that epoch', async () => {
    const data = regression(32, 4);
    const model = new nn.Linear(2, 1);
    const before = Array.from(model.weight.data);
    const events: string[] = [];
    const h = await fit(model, data, {
      optimizer: new PlainSGD(model.parameters(), 0.1),
      loss: mseLoss,
      epochs: 2,
      batchSize: 8,
      callbacks: [{ onEpochBegin: (_e, ctx) => void (ctx.stopTraining = true) }, recorder(events)],
      verbose: 0,
    });
    expect(events).toEqual(['trainBegin', 'epochBegin 0', 'trainEnd']);
    expect(h.epoch).toEqual([]);
    expect(Array.from(model.weight.data)).toEqual(before);
  });
});

describe('fit with an already-aborted signal', () => {
  it('trains nothing, calls no callback and leaves the weights alone', async () => {
    const data = regression(32, 5);
    const model = new nn.Linear(2, 1);
    const before = Array.from(model.weight.data);
    const controller = new AbortController();
    controller.abort();
    const events: string[] = [];
    const h = await fit(model, data, {
      optimizer: new PlainSGD(model.parameters(), 0.1),
      loss: mseLoss,
      epochs: 3,
      batchSize: 8,
      signal: controller.signal,
      callbacks: [recorder(events)],
      resumeFrom: join(dir, 'does-not-exist.safetensors'),
      verbose: 0,
    });
    expect(h).toEqual({ epoch: [], history: {}, stopReason: 'aborted by the signal' });
    expect(events).toEqual([]);
    expect(Array.from(model.weight.data)).toEqual(before);
  });
});
