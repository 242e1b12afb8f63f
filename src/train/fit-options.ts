/** fit's options: what each means, and checking them all before anything is read or trained. */
import { rangeError, typeError } from '../errors.js';
import type { LRScheduler } from '../optim/lr-scheduler.js';
import type { GroupHyper, Optimizer } from '../optim/optimizer.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { type Callback, LRSchedulerCallback, ModelCheckpoint } from './callbacks/index.js';
import { expectScheduler, expectSchedulerStep } from './callbacks/scheduler-checks.js';
import { checkLoss, type LossFunction, type LossReduction, lossReduction } from './loss-function.js';
import { type Metric, resolveMetric } from './metrics.js';
import type { TrainingData } from './training-data.js';

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

/** fit's options checked, with their defaults; the data options are checked with the data (trainingAndValidation). */
export interface FitSettings {
  optimizer: Optimizer<GroupHyper>;
  loss: LossFunction;
  reduction: LossReduction;
  epochs: number;
  batchSize: number;
  /** options.gradientAccumulation. */
  accumulate: number;
  shuffle: boolean;
  verbose: number;
  clipNorm: number | undefined;
  clipValue: number | undefined;
  schedulerStep: 'epoch' | 'batch';
  scheduler: LRScheduler | undefined;
  /** options.callbacks in the order they run: every ModelCheckpoint after the others. */
  callbacks: Callback[];
  resumeFrom: string | undefined;
  signal: AbortSignal | undefined;
  /** options.metrics as given (validation hands them to evaluate) and resolved. */
  metricSpecs: (string | Metric)[];
  metrics: Metric[];
  validationData: unknown;
  validationSplit: unknown;
  seed: number | undefined;
  /** Undefined means process.stdout, read only when training begins. */
  progressStream: NodeJS.WritableStream | undefined;
}

const FIT_OPTIONS = [
  'optimizer', 'loss', 'epochs', 'batchSize', 'metrics', 'validationData', 'validationSplit', 'shuffle', 'seed',
  'clipGradNorm', 'clipGradValue', 'scheduler', 'schedulerStep', 'gradientAccumulation', 'callbacks', 'signal',
  'verbose', 'resumeFrom', 'progressStream',
] as const;

/** Checked at entry: a negative clip would otherwise fail inside the first step, named after nn.utils. */
function expectNonNegative(op: string, name: string, value: unknown): number {
  const v = expectFinite(op, name, value);
  if (v < 0) throw rangeError(op, `${name} must be >= 0, but received ${v}`);
  return v;
}

/** Checks every option but the data's, in the order fit always has (the first wrong one is reported). */
export function readFitOptions(op: string, options: FitOptions): FitSettings {
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
  const schedulerStep = expectSchedulerStep(op, 'options.schedulerStep', o.schedulerStep);
  const scheduler = o.scheduler === undefined ? undefined : expectScheduler(op, 'options.scheduler', o.scheduler);
  if (scheduler && scheduler.optimizer !== undefined && scheduler.optimizer !== optimizer) {
    throw rangeError(op, 'options.scheduler was built for another optimizer than options.optimizer (it would set learning rates nothing reads)');
  }
  const callbacks = orderedCallbacks(op, o.callbacks, optimizer, scheduler);
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
  return {
    optimizer,
    loss,
    reduction,
    epochs,
    batchSize,
    accumulate,
    shuffle,
    verbose,
    clipNorm,
    clipValue,
    schedulerStep,
    scheduler,
    callbacks,
    resumeFrom: o.resumeFrom as string | undefined,
    signal,
    metricSpecs: metricSpecs as (string | Metric)[],
    metrics,
    validationData: o.validationData,
    validationSplit: o.validationSplit,
    seed: o.seed as number | undefined,
    progressStream: o.progressStream as NodeJS.WritableStream | undefined,
  };
}

/** options.callbacks checked, in the order they run; no scheduler may be stepped twice or belong to another optimizer. */
function orderedCallbacks(op: string, value: unknown, optimizer: Optimizer<GroupHyper>, scheduler: LRScheduler | undefined): Callback[] {
  const given = (value as Callback[] | undefined) ?? [];
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
  return callbacks;
}
