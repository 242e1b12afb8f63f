// Learning-rate schedules in fit: options.scheduler per epoch or per optimizer step,
// LRSchedulerCallback (the same steps as a callback), and the ReduceLROnPlateau callback.
import { describe, expect, it } from 'vitest';

import { fit, nn, optim, train } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';
import { regression } from './regression.js';

const data = regression(40, 1);

/** The lr each batch trained with, for a fit built by `options` from a fresh model and optimizer. */
async function lrPerBatch(options: (opt: PlainSGD) => Partial<Parameters<typeof fit>[2]>): Promise<number[]> {
  const model = new nn.Linear(2, 1);
  const opt = new PlainSGD(model.parameters(), 0.1);
  const lrs: number[] = [];
  const extra = options(opt);
  await fit(model, data, {
    optimizer: opt,
    loss: mseLoss,
    epochs: 2,
    batchSize: 8,
    verbose: 0,
    ...extra,
    callbacks: [{ onBatchBegin: () => void lrs.push(opt.paramGroups[0]!.lr) }, ...(extra.callbacks ?? [])],
  });
  return lrs;
}

const halve = (opt: PlainSGD) => new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 });

describe('options.scheduler', () => {
  it('schedulerStep "epoch" steps after each epoch', async () => {
    const lrs = await lrPerBatch((opt) => ({ scheduler: halve(opt) }));
    expect(lrs).toEqual([...Array(5).fill(0.1), ...Array(5).fill(0.05)]);
  });

  it('schedulerStep "batch" steps after each optimizer step', async () => {
    const lrs = await lrPerBatch((opt) => ({ scheduler: halve(opt), schedulerStep: 'batch' }));
    expect(lrs).toEqual(Array.from({ length: 10 }, (_, i) => 0.1 * 0.5 ** i));
  });

  it('schedulerStep "batch" with gradientAccumulation steps once per accumulated step (and at the epoch end)', async () => {
    // 5 batches per epoch, accumulating 2: optimizer steps after batches 2, 4 and 5.
    const lrs = await lrPerBatch((opt) => ({ scheduler: halve(opt), schedulerStep: 'batch', gradientAccumulation: 2 }));
    expect(lrs.map((lr) => Math.round(Math.log2(0.1 / lr)))).toEqual([0, 0, 1, 1, 2, 3, 3, 4, 4, 5]);
  });
});

describe('LRSchedulerCallback', () => {
  it('stepPer "epoch" equals options.scheduler', async () => {
    const viaCallback = await lrPerBatch((opt) => ({ callbacks: [new train.LRSchedulerCallback(halve(opt))] }));
    expect(viaCallback).toEqual(await lrPerBatch((opt) => ({ scheduler: halve(opt) })));
  });

  it('stepPer "batch" steps per optimizer step under gradientAccumulation, as schedulerStep "batch" does', async () => {
    const viaCallback = await lrPerBatch((opt) => ({ gradientAccumulation: 2, callbacks: [new train.LRSchedulerCallback(halve(opt), { stepPer: 'batch' })] }));
    const viaOption = await lrPerBatch((opt) => ({ gradientAccumulation: 2, scheduler: halve(opt), schedulerStep: 'batch' }));
    expect(viaCallback).toEqual(viaOption);
    expect(new Set(viaCallback).size).toBe(6);
  });

  it('rejects what is not a scheduler and a bad stepPer', () => {
    const opt = new PlainSGD(new nn.Linear(1, 1).parameters(), 0.1);
    expect(() => new train.LRSchedulerCallback({} as never)).toThrow(/LRSchedulerCallback: scheduler must be an lrScheduler/);
    expect(() => new train.LRSchedulerCallback(halve(opt), { stepPer: 'step' as never })).toThrow(/options.stepPer must be "epoch" or "batch"/);
  });
});

describe('ReduceLROnPlateau callback', () => {
  it('reduces the lr after `patience` epochs without improvement of the monitored value', async () => {
    const model = new nn.Linear(2, 1);
    const opt = new PlainSGD(model.parameters(), 0.1);
    let epoch = 0;
    const plateau = new train.ReduceLROnPlateau({ monitor: 'fake', patience: 1, factor: 0.5 });
    const h = await fit(model, data, {
      optimizer: opt,
      loss: mseLoss,
      epochs: 5,
      batchSize: 40,
      verbose: 0,
      // fake: 3, 2, 2, 2, 2 -> no improvement from epoch 2 on; the 2nd bad epoch reduces.
      callbacks: [{ onEpochEnd: (_e, logs) => void (logs.fake = epoch++ === 0 ? 3 : 2) }, plateau],
    });
    expect(h.history.lr).toEqual([0.1, 0.1, 0.1, 0.1, 0.05]);
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
    expect(plateau.scheduler!.best).toBe(2);
  });

  it('mode follows the monitored name: accuracy-like names are maximised', () => {
    expect(new train.ReduceLROnPlateau({ monitor: 'valAccuracy' }).options.mode).toBe('max');
    expect(new train.ReduceLROnPlateau().options.mode).toBe('min');
    expect(new train.ReduceLROnPlateau({ monitor: 'valAccuracy', mode: 'min' }).options.mode).toBe('min');
  });
});
