/**
 * fit / evaluate / predict: sugar over the explicit loop
 * zeroGrad -> forward -> loss -> backward -> step, with metrics, validation,
 * callbacks and progress. Between batches fit yields to the event loop, so a
 * service in the same process keeps answering while it trains (one batch is the
 * longest the loop is held).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { rangeError, stateError, typeError } from '../errors.js';
import { type Dataset, TensorDataset, Subset } from '../data/dataset.js';
import { DataLoader } from '../data/dataloader.js';
import { applyCheckpoint, readCheckpoint } from '../io/checkpoint.js';
import { defaultGenerator } from '../random.js';
import { frozenModules } from '../nn/frozen.js';
import type { Module } from '../nn/module.js';
import { clipGradNorm_, clipGradValue_ } from '../nn/utils.js';
import type { LRScheduler } from '../optim/lr-scheduler.js';
import type { GroupHyper, Optimizer } from '../optim/optimizer.js';
import { BufferPool } from '../memory.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { type Callback, dispatch, expectScheduler, LRSchedulerCallback, type Logs, ModelCheckpoint, type TrainingContext } from './callbacks/index.js';
import { type Metric, resolveMetric } from './metrics.js';
import { makeReporter } from './progress.js';

/**
 * A loss: a function or a module with forward(output, target), returning a one-element tensor.
 * Reported losses are per sample whatever the batch size: a mean loss (the default, and any
 * plain function) is averaged over the data with each batch weighted by its samples; a loss
 * reducing by "sum" (an nn loss's options.reduction, or a `reduction` property) is summed
 * over the data and divided by the number of samples. Reduction "none" is refused.
 */
export type LossFunction = ((output: Tensor, target: Tensor) => Tensor) | { forward(output: Tensor, target: Tensor): Tensor };

/** Training data: a Dataset of (input, target) samples, or tensors { x, y }. */
export type TrainingData = Dataset | { x: Tensor; y: Tensor };

export interface FitOptions {
  /** The optimizer stepping the model's parameters. */
  optimizer: Optimizer<GroupHyper>;
  /** The loss to minimise. */
  loss: LossFunction;
  /** Epochs to train (default 1). */
  epochs?: number;
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Metric names ("accuracy", "f1", "mae", ...) or Metric objects (metrics.topKAccuracy(3)). */
  metrics?: (string | Metric)[];
  /** Data to evaluate after each epoch. */
  validationData?: TrainingData;
  /** Hold out this fraction of the training data (its last samples) for validation. */
  validationSplit?: number;
  /** Reshuffle the training data every epoch (default true). */
  shuffle?: boolean;
  /** Seed for shuffling (default: the default generator). */
  seed?: number;
  /** Clip the global gradient norm to this before each step. */
  clipGradNorm?: number;
  /** Clip each gradient value to [-v, v] before each step. */
  clipGradValue?: number;
  /**
   * A learning-rate scheduler (optim.lrScheduler) of options.optimizer, stepped as schedulerStep says.
   * Not ReduceLROnPlateau, which steps on a monitored value: use the train.ReduceLROnPlateau callback.
   */
  scheduler?: LRScheduler;
  /** Step the scheduler per "epoch" (default) or per "batch", which means per optimizer step under gradientAccumulation. */
  schedulerStep?: 'epoch' | 'batch';
  /** Accumulate gradients over this many batches per optimizer step (default 1). */
  gradientAccumulation?: number;
  callbacks?: Callback[];
  /** Aborting stops training after the current batch, as ctx.stopTraining does (see fit); already aborted, fit does nothing. */
  signal?: AbortSignal;
  /** 0 silent, 1 progress bar on a terminal (lines otherwise), 2 one line per epoch (default 1). */
  verbose?: 0 | 1 | 2;
  /**
   * Resume from a checkpoint written by ModelCheckpoint (or io.saveCheckpoint) and continue after
   * its epoch, as the uninterrupted run would have: weights, optimizer, options.scheduler, the
   * state of callbacks with a stateDict (EarlyStopping, ModelCheckpoint, LRSchedulerCallback,
   * ReduceLROnPlateau) and the random streams are restored after onTrainBegin (which therefore
   * sees the weights before resuming). A file that cannot be applied (no optimizer state, another
   * model) fails fit without changing the model, optimizer or scheduler. A checkpoint saved
   * without optimizer state (includeOptimizer: false) cannot be resumed: load its weights with
   * io.loadCheckpoint(path, { model }) and train without resumeFrom to start afresh from them.
   */
  resumeFrom?: string;
  /** Where progress goes (default process.stdout). */
  progressStream?: NodeJS.WritableStream;
}

export interface History {
  /** The 0-based epochs that ran. */
  epoch: number[];
  /** Per logged name, one value per epoch. */
  history: Record<string, number[]>;
  /** Why training ended before `epochs`, if it did. */
  stopReason?: string;
}

const FIT_OPTIONS = [
  'optimizer', 'loss', 'epochs', 'batchSize', 'metrics', 'validationData', 'validationSplit', 'shuffle', 'seed',
  'clipGradNorm', 'clipGradValue', 'scheduler', 'schedulerStep', 'gradientAccumulation', 'callbacks', 'signal',
  'verbose', 'resumeFrom', 'progressStream',
] as const;

function toDataset(op: string, name: string, data: unknown): Dataset {
  if (data instanceof TensorDataset || data instanceof Subset) return data;
  if (typeof data === 'object' && data !== null) {
    const d = data as { x?: unknown; y?: unknown; length?: unknown; get?: unknown };
    if (d.x instanceof Tensor && d.y instanceof Tensor) return new TensorDataset(d.x, d.y);
    if (typeof d.length === 'number' && typeof d.get === 'function') return data as Dataset;
  }
  throw typeError(op, `${name} must be a Dataset or { x, y } Tensors, but received ${describe(data)}`);
}

function callLoss(loss: LossFunction, out: Tensor, target: Tensor): Tensor {
  const value = typeof loss === 'function' ? loss(out, target) : loss.forward(out, target);
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw typeError('fit', `the loss must return a one-element Tensor, but returned ${describe(value)}`);
  }
  return value;
}

function checkLoss(op: string, loss: unknown): LossFunction {
  if (typeof loss === 'function') return loss as LossFunction;
  if (typeof loss === 'object' && loss !== null && typeof (loss as { forward?: unknown }).forward === 'function') return loss as LossFunction;
  throw typeError(op, `options.loss must be a loss module or function, but received ${describe(loss)}`);
}

const ABORTED = 'aborted by the signal';

/** Checked at entry: a negative clip would otherwise fail inside the first step, named after nn.utils. */
function expectNonNegative(op: string, name: string, value: unknown): number {
  const v = expectFinite(op, name, value);
  if (v < 0) throw rangeError(op, `${name} must be >= 0, but received ${v}`);
  return v;
}

/** How the loss reduces a batch to one number, which decides how batches add up. */
function lossReduction(op: string, loss: LossFunction): 'mean' | 'sum' {
  if (typeof loss === 'function') return 'mean';
  const l = loss as { reduction?: unknown; options?: { reduction?: unknown } };
  const r = l.reduction ?? l.options?.reduction ?? 'mean';
  if (r === 'mean' || r === 'sum') return r;
  // KLDiv's batchmean is a mean per sample.
  if (r === 'batchmean') return 'mean';
  throw rangeError(op, `options.loss has reduction ${typeof r === 'string' ? `"${r}"` : describe(r)}, but fit and evaluate need one number per batch: use reduction "mean" or "sum"`);
}

/** A batch's share of the data's total loss: a mean counts once per sample, a sum as it is. */
function batchTotal(value: number, samples: number, reduction: 'mean' | 'sum'): number {
  return reduction === 'sum' ? value : value * samples;
}

function lastLrOf(optimizer: Optimizer<GroupHyper>): number {
  return optimizer.paramGroups[0]!.lr;
}

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
  if (typeof model !== 'object' || model === null || typeof (model as Module).forward !== 'function') {
    throw typeError(op, `model must be an nn.Module, but received ${describe(model)}`);
  }
  if (frozenModules.has(model)) {
    throw stateError(op, 'model is a frozen snapshot (freeze()) and cannot be trained: train the original model and freeze it again');
  }
  const o = readOptions(op, options, FIT_OPTIONS);
  const optimizer = o.optimizer as Optimizer<GroupHyper>;
  if (typeof optimizer !== 'object' || optimizer === null || typeof optimizer.step !== 'function' || !Array.isArray(optimizer.paramGroups)) {
    throw typeError(op, `options.optimizer must be an Optimizer, but received ${describe(o.optimizer)}`);
  }
  const loss = checkLoss(op, o.loss);
  const reduction = lossReduction(op, loss);
  const epochs = o.epochs === undefined ? 1 : expectInteger(op, 'options.epochs', o.epochs, 0);
  const batchSize = o.batchSize === undefined ? 32 : expectInteger(op, 'options.batchSize', o.batchSize, 1);
  const accumulate = o.gradientAccumulation === undefined ? 1 : expectInteger(op, 'options.gradientAccumulation', o.gradientAccumulation, 1);
  const shuffle = o.shuffle === undefined ? true : expectBoolean(op, 'options.shuffle', o.shuffle);
  const verbose = o.verbose === undefined ? 1 : expectInteger(op, 'options.verbose', o.verbose, 0, 2);
  const clipNorm = o.clipGradNorm === undefined ? undefined : expectNonNegative(op, 'options.clipGradNorm', o.clipGradNorm);
  const clipValue = o.clipGradValue === undefined ? undefined : expectNonNegative(op, 'options.clipGradValue', o.clipGradValue);
  const schedulerStep = o.schedulerStep ?? 'epoch';
  if (schedulerStep !== 'epoch' && schedulerStep !== 'batch') throw rangeError(op, `options.schedulerStep must be "epoch" or "batch", but received ${describe(schedulerStep)}`);
  const scheduler = o.scheduler === undefined ? undefined : expectScheduler(op, 'options.scheduler', o.scheduler);
  if (scheduler && scheduler.optimizer !== undefined && scheduler.optimizer !== optimizer) {
    throw rangeError(op, 'options.scheduler was built for another optimizer than options.optimizer (it would set learning rates nothing reads)');
  }
  const given = (o.callbacks as Callback[] | undefined) ?? [];
  if (!Array.isArray(given)) throw typeError(op, `options.callbacks must be an array, but received ${describe(given)}`);
  given.forEach((cb, i) => {
    if (typeof cb !== 'object' || cb === null) throw typeError(op, `options.callbacks[${i}] must be a callback object, but received ${describe(cb)}`);
  });
  // Checkpoints are written last, once every other callback has taken in the epoch (as Lightning orders them).
  const callbacks = [...given.filter((cb) => !(cb instanceof ModelCheckpoint)), ...given.filter((cb) => cb instanceof ModelCheckpoint)];
  for (const cb of callbacks) {
    if (!(cb instanceof LRSchedulerCallback)) continue;
    if (cb.scheduler.optimizer !== undefined && cb.scheduler.optimizer !== optimizer) {
      throw rangeError(op, 'an LRSchedulerCallback steps a scheduler built for another optimizer than options.optimizer');
    }
    if (cb.scheduler === scheduler) throw rangeError(op, 'options.scheduler is also stepped by an LRSchedulerCallback: it would step twice; give it in one place');
  }
  if (o.resumeFrom !== undefined && (typeof o.resumeFrom !== 'string' || o.resumeFrom === '')) {
    throw typeError(op, `options.resumeFrom must be a checkpoint path, but received ${describe(o.resumeFrom)}`);
  }
  const signal = o.signal as AbortSignal | undefined;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean')) {
    throw typeError(op, `options.signal must be an AbortSignal, but received ${describe(o.signal)}`);
  }
  const metricSpecs = (o.metrics as unknown[] | undefined) ?? [];
  if (!Array.isArray(metricSpecs)) throw typeError(op, `options.metrics must be an array, but received ${describe(metricSpecs)}`);
  const metrics = metricSpecs.map((m) => resolveMetric(op, m));

  let train = toDataset(op, 'data', data);
  if (train.length === 0) throw rangeError(op, 'data has no samples');
  let validation = o.validationData === undefined ? null : toDataset(op, 'options.validationData', o.validationData);
  if (validation?.length === 0) throw rangeError(op, 'options.validationData has no samples (its loss and metrics would be NaN)');
  if (o.validationSplit !== undefined) {
    const split = expectFinite(op, 'options.validationSplit', o.validationSplit);
    if (!(split > 0 && split < 1)) throw rangeError(op, `options.validationSplit must be in (0, 1), but received ${split}`);
    if (validation) throw rangeError(op, 'give options.validationData or options.validationSplit, not both');
    const n = train.length;
    const nVal = Math.floor(n * split);
    if (nVal === 0) {
      throw rangeError(op, `options.validationSplit ${split} of ${n} samples holds out none (floor(${n} * ${split}) = 0): give a split of at least ${1 / n} or options.validationData`);
    }
    const all = Array.from({ length: n }, (_, i) => i);
    validation = new Subset(train, all.slice(n - nVal));
    train = new Subset(train, all.slice(0, n - nVal));
  }
  const loader = new DataLoader(train, { batchSize, shuffle, ...(o.seed !== undefined ? { seed: o.seed as number } : {}) });
  // Aborted before it began: the options were checked, but nothing is read, trained or called.
  if (signal?.aborted) return { epoch: [], history: {}, stopReason: ABORTED };

  // Read and checked now, so a missing or broken file fails before any callback runs; applied after onTrainBegin.
  const checkpoint = o.resumeFrom === undefined ? null : await readCheckpoint(o.resumeFrom as string);

  const ctx: TrainingContext = {
    model,
    optimizer,
    epochs,
    stepsPerEpoch: loader.length,
    stopTraining: false,
    dataGenerator: loader.generator,
    ...(scheduler ? { scheduler } : {}),
    callbacks,
  };
  const history: History = { epoch: [], history: {} };
  const reporter = makeReporter(verbose, (o.progressStream as NodeJS.WritableStream | undefined) ?? process.stdout);
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
    let startEpoch = 0;
    if (checkpoint) {
      // After onTrainBegin, which starts each callback afresh (and builds the ReduceLROnPlateau callback's scheduler).
      const loaded = applyCheckpoint(checkpoint, { model, optimizer, ...(scheduler ? { scheduler } : {}), callbacks });
      startEpoch = (loaded.epoch ?? -1) + 1;
      // Random streams continue where they were, so the resumed run repeats the original exactly.
      const extra = loaded.extra as { dataGenerator?: { seed: number; offset: number } | null; defaultGenerator?: { seed: number; offset: number } } | null;
      if (extra?.dataGenerator) loader.generator.setState(extra.dataGenerator);
      if (extra?.defaultGenerator) defaultGenerator.setState(extra.defaultGenerator);
    }
    for (let epoch = startEpoch; epoch < epochs && !stopRequested(); epoch++) {
      model.train();
      for (const m of metrics) m.reset();
      await dispatch(callbacks, 'onEpochBegin', epoch, ctx);
      const t0 = performance.now();
      let lossSum = 0;
      let seen = 0;
      let step = 0;
      if (!stopRequested()) {
        reporter.epochBegin(epoch, epochs, loader.length);
        optimizer.zeroGrad();
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
            if (step % accumulate === 0 || step === loader.length) {
              if (clipNorm !== undefined) clipGradNorm_(params, clipNorm);
              if (clipValue !== undefined) clipGradValue_(params, clipValue);
              optimizer.step();
              optimizer.zeroGrad();
              ctx.optimizerStepped = true;
              if (scheduler && schedulerStep === 'batch') scheduler.step();
            }
            return v;
          });
          const logs: Logs = { loss: lossSum / seen };
          for (const m of metrics) logs[m.name] = m.result();
          await dispatch(callbacks, 'onBatchEnd', step - 1, { ...logs, batchLoss }, ctx);
          reporter.batchEnd(step, logs, seen / ((performance.now() - t0) / 1000));
          if (stopRequested()) break;
        }
      }
      // A stop before the epoch's last batch leaves a partial epoch: it is not an epoch
      // of the history, steps no per-epoch schedule, validates nothing and calls no
      // onEpochEnd, so no checkpoint labels it complete (resuming repeats it whole).
      if (step < loader.length) break;
      const seconds = (performance.now() - t0) / 1000;
      const logs: Logs = { loss: seen ? lossSum / seen : NaN };
      for (const m of metrics) logs[m.name] = m.result();
      if (validation) {
        const v = await evaluate(model, validation, { loss, metrics: metricSpecs as (string | Metric)[], batchSize: Math.max(batchSize, 256) });
        for (const [k, val] of Object.entries(v)) logs[`val${k[0]!.toUpperCase()}${k.slice(1)}`] = val;
      }
      logs.lr = lastLrOf(optimizer);
      if (scheduler && schedulerStep === 'epoch') scheduler.step();
      history.epoch.push(epoch);
      for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
      reporter.epochEnd(epoch, epochs, logs, seconds, seen / seconds);
      await dispatch(callbacks, 'onEpochEnd', epoch, logs, ctx);
    }
    const last: Logs = Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[v.length - 1]!]));
    await dispatch(callbacks, 'onTrainEnd', last, ctx);
  } finally {
    reporter.stop();
    model.train(wasTraining);
  }
  if (ctx.stopReason) history.stopReason = ctx.stopReason;
  return history;
}

export interface EvaluateOptions {
  /** The loss to report, per sample (see LossFunction; optional: metrics alone are fine). */
  loss?: LossFunction;
  metrics?: (string | Metric)[];
  /** Samples per batch (default 256). */
  batchSize?: number;
}

/** Loss and metrics of `model` on `data`, in eval mode and without gradients. */
export async function evaluate(model: Module, data: TrainingData, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  const op = 'evaluate';
  const o = readOptions(op, options, ['loss', 'metrics', 'batchSize'] as const);
  const loss = o.loss === undefined ? null : checkLoss(op, o.loss);
  const reduction = loss ? lossReduction(op, loss) : 'mean';
  const metrics = ((o.metrics as unknown[] | undefined) ?? []).map((m) => resolveMetric(op, m));
  const batchSize = o.batchSize === undefined ? 256 : expectInteger(op, 'options.batchSize', o.batchSize, 1);
  const loader = new DataLoader(toDataset(op, 'data', data), { batchSize });
  const restore = enterEval(model);
  const pool = poolFor(model);
  let lossSum = 0;
  let seen = 0;
  for (const m of metrics) m.reset();
  try {
    for await (const [x, y] of loader) {
      pool.run(() => noGrad(() => {
        const out = model.forward(x!) as Tensor;
        const n = y!.shape[0] ?? 1;
        if (loss) lossSum += batchTotal(callLoss(loss, out, y!).item(), n, reduction);
        seen += n;
        for (const m of metrics) m.update(out, y!);
      }));
    }
  } finally {
    restore();
  }
  const result: Record<string, number> = {};
  if (loss) result.loss = seen ? lossSum / seen : NaN;
  for (const m of metrics) result[m.name] = m.result();
  return result;
}

// Each model's loops share one pool: a service calling predict per request reuses
// the intermediate activations of the previous request; the pool goes with the model.
const pools = new WeakMap<Module, BufferPool>();
function poolFor(model: Module): BufferPool {
  let p = pools.get(model);
  if (p === undefined) pools.set(model, (p = new BufferPool()));
  return p;
}

/**
 * Puts every module in eval mode and returns a function restoring each module's
 * own mode (a submodule deliberately kept in eval, like a frozen BatchNorm, stays so).
 */
function enterEval(model: Module): () => void {
  const changed: Module[] = [];
  for (const m of model.modules()) {
    if (m.training) {
      m.training = false;
      changed.push(m);
    }
  }
  return () => {
    for (const m of changed) m.training = true;
  };
}

/** Model outputs for every row of x, batched, in eval mode and without gradients. */
export async function predict(model: Module, x: Tensor, options: { batchSize?: number } = {}): Promise<Tensor> {
  const op = 'predict';
  if (!(x instanceof Tensor)) throw typeError(op, `x must be a Tensor, but received ${describe(x)}`);
  const o = readOptions(op, options, ['batchSize'] as const);
  const batchSize = o.batchSize === undefined ? 256 : expectInteger(op, 'options.batchSize', o.batchSize, 1);
  const restore = enterEval(model);
  // One batch (a request in a service): no loader, no copies.
  if ((x.shape[0] ?? 0) <= batchSize && x.ndim > 0 && x.shape[0]! > 0) {
    try {
      return poolFor(model).run(() => noGrad(() => model.forward(x) as Tensor));
    } finally {
      restore();
    }
  }
  const loader = new DataLoader(new TensorDataset(x), { batchSize });
  const outs: Tensor[] = [];
  try {
    const pool = poolFor(model);
    for await (const [xb] of loader) outs.push(pool.run(() => noGrad(() => model.forward(xb!) as Tensor)));
  } finally {
    restore();
  }
  if (outs.length === 0) throw rangeError(op, 'x has no rows');
  const row = outs[0]!.size / outs[0]!.shape[0]!;
  const data = new Float32Array(x.shape[0]! * row);
  let off = 0;
  for (const t of outs) {
    data.set(t.data, off);
    off += t.size;
  }
  return new Tensor(data, [x.shape[0]!, ...outs[0]!.shape.slice(1)]);
}
