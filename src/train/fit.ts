/**
 * fit / evaluate / predict: sugar over the explicit loop
 * zeroGrad -> forward -> loss -> backward -> step, with metrics, validation,
 * callbacks and progress. Between batches fit yields to the event loop, so a
 * service in the same process keeps answering while it trains (one batch is the
 * longest the loop is held).
 *
 * fit's parts: options (fit-options), data (training-data), the loop (fit-loop),
 * resuming (fit-resume); evaluate and predict have a file each.
 */
import { DataLoader } from '../data/dataloader.js';
import { stateError } from '../errors.js';
import { readCheckpoint } from '../io/checkpoint.js';
import { frozenModules } from '../nn/frozen.js';
import type { Module } from '../nn/module.js';
import { dispatch, type TrainingContext } from './callbacks/index.js';
import { type FitOptions, readFitOptions } from './fit-options.js';
import { runEpochs } from './fit-loop.js';
import { resumeCheckpoint } from './fit-resume.js';
import { type History, lastLogs } from './history.js';
import { poolFor } from './model-pool.js';
import { makeReporter } from './progress.js';
import { trainingAndValidation, type TrainingData } from './training-data.js';
import { expectModel } from './expect-model.js';

export { evaluate, type EvaluateOptions } from './evaluate.js';
export type { FitOptions } from './fit-options.js';
export type { History } from './history.js';
export type { LossFunction } from './loss-function.js';
export { predict } from './predict.js';
export type { TrainingData } from './training-data.js';

const ABORTED = 'aborted by the signal';

/**
 * Trains `model` on `data`; resolves with the per-epoch history.
 *
 * Stopping: a callback setting ctx.stopTraining, or options.signal aborting, ends
 * training after the current batch, and fit resolves normally (history.stopReason
 * says why). An epoch counts only when all its batches ran. A stop before the last
 * batch leaves a partial epoch, which ends nothing: no history entry, no per-epoch
 * scheduler step, no validation and no onEpochEnd, so ModelCheckpoint never labels
 * it complete and resumeFrom repeats it whole; gradients still accumulating are not
 * applied. onTrainEnd runs after any stop. A signal aborted before fit begins
 * returns at once: nothing is read, trained or called.
 */
export async function fit(model: Module, data: TrainingData, options: FitOptions): Promise<History> {
  const op = 'fit';
  expectModel(op, model);
  if (frozenModules.has(model)) {
    throw stateError(op, 'model is a frozen snapshot (freeze()) and cannot be trained: train the original model and freeze it again');
  }
  const settings = readFitOptions(op, options);
  const { optimizer, scheduler, callbacks, signal } = settings;
  const { train, validation } = trainingAndValidation(op, data, settings.validationData, settings.validationSplit);
  const loader = new DataLoader(train, { batchSize: settings.batchSize, shuffle: settings.shuffle, ...(settings.seed !== undefined ? { seed: settings.seed } : {}) });
  // Aborted before it began: the options were checked, but nothing is read, trained or called.
  if (signal?.aborted) return { epoch: [], history: {}, stopReason: ABORTED };

  // Read and checked now, so a missing or broken file fails before any callback runs; applied after onTrainBegin.
  const checkpoint = settings.resumeFrom === undefined ? null : await readCheckpoint(settings.resumeFrom);

  const ctx: TrainingContext = {
    model,
    optimizer,
    epochs: settings.epochs,
    stepsPerEpoch: loader.length,
    stopTraining: false,
    dataGenerator: loader.generator,
    ...(scheduler ? { scheduler } : {}),
    callbacks,
  };
  const history: History = { epoch: [], history: {} };
  const reporter = makeReporter(settings.verbose, settings.progressStream ?? process.stdout);
  const params = model.parameters();
  const pool = poolFor(model);

  /** True once a callback set ctx.stopTraining or the signal fired (recorded as the stop reason). */
  const stopRequested = (): boolean => {
    if (signal?.aborted && !ctx.stopTraining) {
      ctx.stopTraining = true;
      ctx.stopReason = ABORTED;
    }
    return ctx.stopTraining;
  };

  const wasTraining = model.training;
  try {
    await dispatch(callbacks, 'onTrainBegin', ctx);
    const startEpoch = checkpoint ? resumeCheckpoint(checkpoint, { model, optimizer, scheduler, callbacks, loader }) : 0;
    await runEpochs({ ...settings, model, loader, validation, ctx, history, reporter, params, pool, stopRequested }, startEpoch);
    await dispatch(callbacks, 'onTrainEnd', lastLogs(history), ctx);
  } finally {
    reporter.stop();
    model.train(wasTraining);
  }
  if (ctx.stopReason) history.stopReason = ctx.stopReason;
  return history;
}
