/**
 * fit's epochs and batches: zeroGrad -> forward -> loss -> backward -> step, with
 * gradient accumulation, clipping, scheduler steps, metrics, validation, callbacks
 * and progress.
 */
import type { Dataset } from '../data/dataset.js';
import type { DataLoader } from '../data/dataloader.js';
import type { BufferPool } from '../memory.js';
import type { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { clipGradNorm_, clipGradValue_ } from '../nn/utils.js';
import type { GroupHyper, Optimizer } from '../optim/optimizer.js';
import { Tensor } from '../tensor.js';
import { dispatch, type Logs, type TrainingContext } from './callbacks/index.js';
import { evaluate } from './evaluate.js';
import type { FitSettings } from './fit-options.js';
import { type History, recordEpoch } from './history.js';
import { batchTotal, callLoss } from './loss-function.js';
import type { ProgressReporter } from './progress.js';

/** One fit: its checked options and what fit set up to run them. */
export interface FitRun extends FitSettings {
  model: Module;
  loader: DataLoader;
  validation: Dataset | null;
  ctx: TrainingContext;
  history: History;
  reporter: ProgressReporter;
  params: Parameter[];
  pool: BufferPool;
  /** True once a callback set ctx.stopTraining or the signal fired (recorded as the stop reason). */
  stopRequested(): boolean;
}

/** What an epoch's batches add up to. */
interface EpochTally {
  /** The data's total loss so far (see batchTotal). */
  lossSum: number;
  seen: number;
  /** Batches that ran. */
  step: number;
}

/** Trains from startEpoch until run.epochs or a stop; a partial epoch ends nothing (see fit). */
export async function runEpochs(run: FitRun, startEpoch: number): Promise<void> {
  const { model, metrics, callbacks, ctx, loader } = run;
  for (let epoch = startEpoch; epoch < run.epochs && !run.stopRequested(); epoch++) {
    model.train();
    for (const m of metrics) m.reset();
    await dispatch(callbacks, 'onEpochBegin', epoch, ctx);
    const t0 = performance.now();
    const tally = run.stopRequested() ? { lossSum: 0, seen: 0, step: 0 } : await trainBatches(run, epoch, t0);
    // A stop before the epoch's last batch leaves a partial epoch: it is not an epoch
    // of the history, steps no per-epoch schedule, validates nothing and calls no
    // onEpochEnd, so no checkpoint labels it complete (resuming repeats it whole).
    if (tally.step < loader.length) break;
    await endEpoch(run, epoch, tally, t0);
  }
}

/** The batches of one epoch, until the last or a stop. */
async function trainBatches(run: FitRun, epoch: number, t0: number): Promise<EpochTally> {
  const { model, loss, reduction, metrics, accumulate, callbacks, ctx, loader, reporter, pool } = run;
  let lossSum = 0;
  let seen = 0;
  let step = 0;
  reporter.epochBegin(epoch, run.epochs, loader.length);
  run.optimizer.zeroGrad();
  for await (const [x, y] of loader) {
    await dispatch(callbacks, 'onBatchBegin', step, ctx);
    ctx.optimizerStepped = false;
    // One step's activations and gradients come from the pool and go back to it.
    const batchLoss = pool.run(() => {
      const out = model.forward(x!) as Tensor;
      const value = callLoss(loss, out, y!);
      if (accumulate === 1) value.backward();
      else value.backward(new Tensor(Float32Array.of(1 / accumulate), value.shape));
      const n = y!.shape[0] ?? 1;
      const v = value.item();
      lossSum += batchTotal(v, n, reduction);
      seen += n;
      for (const m of metrics) m.update(out, y!);
      step++;
      if (step % accumulate === 0 || step === loader.length) stepOptimizer(run);
      return v;
    });
    const logs: Logs = { loss: lossSum / seen };
    for (const m of metrics) logs[m.name] = m.result();
    await dispatch(callbacks, 'onBatchEnd', step - 1, { ...logs, batchLoss }, ctx);
    reporter.batchEnd(step, logs, seen / ((performance.now() - t0) / 1000));
    if (run.stopRequested()) break;
  }
  return { lossSum, seen, step };
}

/** Applies the accumulated gradients: clip, step, zero, and a per-batch scheduler step. */
function stepOptimizer(run: FitRun): void {
  const { optimizer, params, clipNorm, clipValue, scheduler } = run;
  if (clipNorm !== undefined) clipGradNorm_(params, clipNorm);
  if (clipValue !== undefined) clipGradValue_(params, clipValue);
  optimizer.step();
  optimizer.zeroGrad();
  run.ctx.optimizerStepped = true;
  if (scheduler && run.schedulerStep === 'batch') scheduler.step();
}

/** A whole epoch's end: its logs (with validation and lr), the per-epoch schedule, history, progress, onEpochEnd. */
async function endEpoch(run: FitRun, epoch: number, { lossSum, seen }: EpochTally, t0: number): Promise<void> {
  const { model, optimizer, scheduler, metrics, validation } = run;
  const seconds = (performance.now() - t0) / 1000;
  const logs: Logs = { loss: seen ? lossSum / seen : NaN };
  for (const m of metrics) logs[m.name] = m.result();
  if (validation) {
    const v = await evaluate(model, validation, { loss: run.loss, metrics: run.metricSpecs, batchSize: Math.max(run.batchSize, 256) });
    for (const [k, val] of Object.entries(v)) logs[`val${k[0]!.toUpperCase()}${k.slice(1)}`] = val;
  }
  logs.lr = lastLrOf(optimizer);
  if (scheduler && run.schedulerStep === 'epoch') scheduler.step();
  recordEpoch(run.history, epoch, logs);
  run.reporter.epochEnd(epoch, run.epochs, logs, seconds, seen / seconds);
  await dispatch(run.callbacks, 'onEpochEnd', epoch, logs, run.ctx);
}

function lastLrOf(optimizer: Optimizer<GroupHyper>): number {
  return optimizer.paramGroups[0]!.lr;
}
