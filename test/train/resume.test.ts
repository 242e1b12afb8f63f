// fit({ resumeFrom }) continues bit for bit as the uninterrupted run, whichever way the
// learning rate is scheduled and whatever state the callbacks carry; a checkpoint that
// cannot be applied changes nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { fit, io, manualSeed, nn, optim, train } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';
import { regression } from './regression.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-resume-'));
const data = regression(64, 9);

interface Setup {
  scheduler?: optim.lrScheduler.LRScheduler;
  callbacks: train.Callback[];
  gradientAccumulation?: number;
}

interface Run {
  weights: number[];
  lr: number;
  history: Awaited<ReturnType<typeof fit>>;
  model: nn.Linear;
}

/** A fresh process's run: model, optimizer and whatever `make` builds, from `seed`. */
async function run(epochs: number, make: (opt: PlainSGD) => Setup, options: { seed: number; checkpoint?: string; resumeFrom?: string; signal?: AbortSignal }): Promise<Run> {
  manualSeed(options.seed);
  const model = new nn.Linear(2, 1);
  const opt = new PlainSGD(model.parameters(), 0.05);
  const setup = make(opt);
  const callbacks = [...setup.callbacks];
  if (options.checkpoint) callbacks.push(new train.ModelCheckpoint(options.checkpoint));
  const history = await fit(model, data, {
    optimizer: opt,
    loss: mseLoss,
    epochs,
    batchSize: 16,
    seed: 3,
    verbose: 0,
    callbacks,
    ...(setup.scheduler ? { scheduler: setup.scheduler } : {}),
    ...(setup.gradientAccumulation ? { gradientAccumulation: setup.gradientAccumulation } : {}),
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { weights: [...model.weight.data, ...model.bias!.data], lr: opt.paramGroups[0]!.lr, history, model };
}

/** Trains `epochs` straight, and `stopAfter` epochs then the rest resumed in another "process": they must agree exactly. */
async function expectExactResume(name: string, make: (opt: PlainSGD) => Setup, epochs: number, stopAfter: number): Promise<{ straight: Run; resumed: Run }> {
  const straight = await run(epochs, make, { seed: 10 });
  const path = join(dir, `${name}-{epoch}.safetensors`);
  await run(stopAfter, make, { seed: 10, checkpoint: path });
  const resumed = await run(epochs, make, { seed: 99, resumeFrom: path.replace('{epoch}', String(stopAfter)) });
  expect(resumed.weights).toEqual(straight.weights);
  expect(resumed.lr).toBe(straight.lr);
  expect(resumed.history.epoch).toEqual(straight.history.epoch.filter((e) => e >= stopAfter));
  for (const [k, v] of Object.entries(resumed.history.history)) expect(v).toEqual(straight.history.history[k]!.slice(stopAfter));
  expect(resumed.history.stopReason).toBe(straight.history.stopReason);
  return { straight, resumed };
}

/** A logged value "fake" that follows `values` epoch by epoch (runs before the callbacks watching it). */
function fakeMetric(values: number[]): train.Callback {
  return { onEpochEnd: (e, logs) => void (logs.fake = values[e]!) };
}

describe('resume equals straight training', () => {
  it('options.scheduler, saved by a ModelCheckpoint that was not given it', async () => {
    const { resumed } = await expectExactResume('option', (opt) => ({ scheduler: new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 }), callbacks: [] }), 4, 2);
    expect(resumed.lr).toBeCloseTo(0.05 * 0.5 ** 4, 12);
  });

  it('a scheduler stepped by LRSchedulerCallback', async () => {
    const make = (opt: PlainSGD) => ({ callbacks: [new train.LRSchedulerCallback(new optim.lrScheduler.LambdaLR(opt, (e) => 1 / (1 + e)))] });
    const { resumed } = await expectExactResume('lambda', make, 4, 2);
    expect(resumed.lr).toBeCloseTo(0.05 / 5, 12);
  });

  it('a per-batch LRSchedulerCallback under gradient accumulation', async () => {
    // 4 batches per epoch, accumulating 3: 2 optimizer steps per epoch.
    const make = (opt: PlainSGD) => ({
      gradientAccumulation: 3,
      callbacks: [new train.LRSchedulerCallback(new optim.lrScheduler.LambdaLR(opt, (s) => 0.9 ** s), { stepPer: 'batch' })],
    });
    const { resumed } = await expectExactResume('batch', make, 3, 1);
    expect(resumed.lr).toBeCloseTo(0.05 * 0.9 ** 6, 12);
  });

  it('the ReduceLROnPlateau callback, resumed in the middle of its patience', async () => {
    // fake 3, 2, then worse: bad epochs 2, 3, 4; the third (epoch 4) reduces. The checkpoint after epoch 3 holds 1 bad epoch.
    const make = () => ({ callbacks: [fakeMetric([3, 2, 2.5, 2.6, 2.7, 2.8]), new train.ReduceLROnPlateau({ monitor: 'fake', patience: 2, factor: 0.5 })] });
    const { straight } = await expectExactResume('plateau', make, 6, 3);
    expect(straight.history.history.lr).toEqual([0.05, 0.05, 0.05, 0.05, 0.05, 0.025]);
  });

  it('EarlyStopping in the middle of its patience, with restoreBestWeights', async () => {
    // Best at epoch 1, then 3 epochs without improvement: stops after epoch 4. The checkpoint after epoch 2 has waited 1.
    const make = () => ({ callbacks: [fakeMetric([3, 2, 2.5, 2.6, 2.7, 2.8, 2.9, 3]), new train.EarlyStopping({ monitor: 'fake', patience: 3, restoreBestWeights: true })] });
    const { straight, resumed } = await expectExactResume('early', make, 8, 2);
    expect(straight.history.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(resumed.history.stopReason).toMatch(/early stopping: fake did not improve for 3 epochs \(best 2 at epoch 2\)/);
  });

  it('ModelCheckpoint(saveBestOnly) keeps its best: a resumed run writes only what the straight one would', async () => {
    const values = [3, 1, 2, 1.5, 0.5];
    const bestOnly = (name: string) => new train.ModelCheckpoint(join(dir, `${name}-{epoch}.safetensors`), { monitor: 'fake', saveBestOnly: true });
    const straight = bestOnly('straight-best');
    await run(5, () => ({ callbacks: [fakeMetric(values), straight] }), { seed: 10 });
    expect(straight.written.map((p) => basename(p))).toEqual(['straight-best-1.safetensors', 'straight-best-2.safetensors', 'straight-best-5.safetensors']);
    const first = bestOnly('best');
    await run(3, () => ({ callbacks: [fakeMetric(values), first] }), { seed: 10 });
    const resumed = bestOnly('best');
    await run(5, () => ({ callbacks: [fakeMetric(values), resumed] }), { seed: 99, resumeFrom: first.written[1]! });
    expect(resumed.best).toBe(0.5);
    expect(resumed.written.map((p) => basename(p))).toEqual(['best-5.safetensors']);
  });

  it('after an abort mid-epoch, from the last complete epoch', async () => {
    const make = (opt: PlainSGD) => ({ scheduler: new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 }), callbacks: [] });
    const straight = await run(3, make, { seed: 10 });
    const controller = new AbortController();
    const abortInEpoch2: train.Callback = { onBatchEnd: (b, _l, ctx) => void (ctx.optimizer.stepCount >= 6 && controller.abort()) };
    const path = join(dir, 'aborted-{epoch}.safetensors');
    const aborted = await run(3, (opt) => ({ ...make(opt), callbacks: [abortInEpoch2] }), { seed: 10, checkpoint: path, signal: controller.signal });
    expect(aborted.history.epoch).toEqual([0]);
    const resumed = await run(3, make, { seed: 99, resumeFrom: path.replace('{epoch}', '1') });
    expect(resumed.weights).toEqual(straight.weights);
    expect(resumed.history.epoch).toEqual([1, 2]);
  });
});

describe('a checkpoint that cannot be applied changes nothing', () => {
  it('one saved without optimizer state: fit rejects before touching the weights; its weights still load alone', async () => {
    manualSeed(1);
    const model = new nn.Linear(2, 1);
    const ck = new train.ModelCheckpoint(join(dir, 'no-optimizer.safetensors'), { includeOptimizer: false });
    await fit(model, data, { optimizer: new PlainSGD(model.parameters(), 0.05), loss: mseLoss, batchSize: 16, verbose: 0, callbacks: [ck] });
    manualSeed(2);
    const fresh = new nn.Linear(2, 1);
    const before = Array.from(fresh.weight.data);
    const opt = new PlainSGD(fresh.parameters(), 0.05);
    await expect(fit(fresh, data, { optimizer: opt, loss: mseLoss, epochs: 2, verbose: 0, resumeFrom: ck.written[0]! })).rejects.toThrow(
      /no-optimizer.safetensors: it holds no optimizer state \(saved with includeOptimizer: false\?\), so training cannot resume exactly from it; to start from its weights with a fresh optimizer, load them with io.loadCheckpoint\(path, \{ model \}\)/,
    );
    expect(Array.from(fresh.weight.data)).toEqual(before);
    await expect(io.loadCheckpoint(ck.written[0]!, { model: fresh, optimizer: opt })).rejects.toThrow(/holds no optimizer state/);
    expect(Array.from(fresh.weight.data)).toEqual(before);
    await io.loadCheckpoint(ck.written[0]!, { model: fresh });
    expect(Array.from(fresh.weight.data)).toEqual(Array.from(model.weight.data));
  });

  it('one of another model: the optimizer and scheduler applied before the model failed are put back', async () => {
    const other = new nn.Linear(3, 1);
    const otherOpt = new PlainSGD(other.parameters(), 0.05);
    const otherSched = new optim.lrScheduler.StepLR(otherOpt, 1, { gamma: 0.5 });
    otherSched.step();
    otherSched.step();
    const path = join(dir, 'other-model.safetensors');
    await io.saveCheckpoint({ model: other, optimizer: otherOpt, scheduler: otherSched, epoch: 1 }, path);

    const model = new nn.Linear(2, 1);
    const before = Array.from(model.weight.data);
    const opt = new PlainSGD(model.parameters(), 0.05);
    const sched = new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 });
    await expect(io.loadCheckpoint(path, { model, optimizer: opt, scheduler: sched })).rejects.toThrow(/"weight" has shape \[1, 3\] in the state dict but \[1, 2\] in the model/);
    expect(Array.from(model.weight.data)).toEqual(before);
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
    expect(sched.lastEpoch).toBe(0);
    await expect(fit(model, data, { optimizer: opt, scheduler: sched, loss: mseLoss, epochs: 3, verbose: 0, resumeFrom: path })).rejects.toThrow(/has shape \[1, 3\]/);
    expect(Array.from(model.weight.data)).toEqual(before);
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
  });

  it('one whose optimizer state does not fit: the model is left as it was', async () => {
    const saved = new nn.Linear(2, 1);
    const twoGroups = new PlainSGD([{ params: [saved.weight] }, { params: [saved.bias!] }], 0.05);
    const path = join(dir, 'two-groups.safetensors');
    await io.saveCheckpoint({ model: saved, optimizer: twoGroups, epoch: 0 }, path);
    const model = new nn.Linear(2, 1);
    const before = Array.from(model.weight.data);
    const opt = new PlainSGD(model.parameters(), 0.05);
    await expect(fit(model, data, { optimizer: opt, loss: mseLoss, epochs: 2, verbose: 0, resumeFrom: path })).rejects.toThrow(/the state dict has 2 parameter groups but the optimizer has 1/);
    expect(Array.from(model.weight.data)).toEqual(before);
  });

  it('a scheduler of another kind, or none when one is to be restored', async () => {
    const model = new nn.Linear(2, 1);
    const opt = new PlainSGD(model.parameters(), 0.05);
    const path = join(dir, 'step.safetensors');
    await io.saveCheckpoint({ model, optimizer: opt, scheduler: new optim.lrScheduler.StepLR(opt, 1) }, path);
    const opt2 = new PlainSGD(model.parameters(), 0.05);
    await expect(io.loadCheckpoint(path, { model, optimizer: opt2, scheduler: new optim.lrScheduler.ExponentialLR(opt2, 0.9) })).rejects.toThrow(
      /it holds the state of a StepLR, but the scheduler to restore is a ExponentialLR/,
    );
    const bare = join(dir, 'no-scheduler.safetensors');
    await io.saveCheckpoint({ model, optimizer: opt }, bare);
    await expect(io.loadCheckpoint(bare, { model, optimizer: opt2, scheduler: new optim.lrScheduler.StepLR(opt2, 1) })).rejects.toThrow(/it holds no scheduler state/);
  });

  it('a path that is not a string is a TypeError', async () => {
    const model = new nn.Linear(2, 1);
    await expect(fit(model, data, { optimizer: new PlainSGD(model.parameters(), 0.1), loss: mseLoss, resumeFrom: 3 as never, verbose: 0 })).rejects.toThrow(
      /fit: options.resumeFrom must be a checkpoint path, but received a number \(3\)/,
    );
  });
});
