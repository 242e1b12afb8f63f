/**
 * Training callbacks (Keras-style hooks around fit's explicit loop). A hook may be
 * async; an exception in a hook ends fit with that error, between two optimizer
 * steps, so the model is never left half-updated.
 */
import { appendFile, stat, writeFile } from 'node:fs/promises';

import { rangeError, stateError, typeError } from '../errors.js';
import { saveCheckpoint } from '../io/checkpoint.js';
import type { Module } from '../nn/module.js';
import { type LRScheduler, ReduceLROnPlateau as PlateauScheduler, type ReduceLROnPlateauOptions, type SchedulerState } from '../optim/lr-scheduler.js';
import type { GroupHyper, Optimizer } from '../optim/optimizer.js';
import { defaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';

/** Numbers logged per batch or epoch: loss, metrics, valLoss, valAccuracy, lr, ... */
export type Logs = Record<string, number>;

/** What callbacks can see and steer. */
export interface TrainingContext {
  model: Module;
  optimizer: Optimizer<GroupHyper>;
  epochs: number;
  stepsPerEpoch: number;
  /** Set to true to stop after the current batch (an epoch left partial ends nothing: see fit). */
  stopTraining: boolean;
  /** Why training stopped early, if it did. */
  stopReason?: string;
  /** The generator shuffling the training data (checkpoints save its position). */
  dataGenerator?: Generator;
  /** Whether the batch that just ended stepped the optimizer (false while gradients accumulate). */
  optimizerStepped?: boolean;
  /** fit's options.scheduler, if any (ModelCheckpoint saves it). */
  scheduler?: LRScheduler;
  /** The callbacks of this fit, in the order they run (ModelCheckpoint saves their state). */
  callbacks?: readonly Callback[];
}

export interface Callback {
  onTrainBegin?(ctx: TrainingContext): void | Promise<void>;
  onTrainEnd?(logs: Logs, ctx: TrainingContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainingContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
  onBatchBegin?(batch: number, ctx: TrainingContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainingContext): void | Promise<void>;
  /**
   * State that ModelCheckpoint saves and fit({ resumeFrom }) restores, after onTrainBegin, so
   * that a resumed run decides as the uninterrupted one would. Tensor values are stored as
   * tensors, everything else as JSON (non-finite numbers included).
   */
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
}

function expectState(op: string, state: unknown): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw typeError(op, `state must be an object, but received ${describe(state)}`);
  return state as Record<string, unknown>;
}

function expectNumber(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(op, `${name} must be a number, but received ${describe(value)}`);
  return value;
}

type Mode = 'min' | 'max' | 'auto';

function resolveMode(op: string, mode: unknown, monitor: string): 'min' | 'max' {
  if (mode === undefined || mode === 'auto') return /acc|accuracy|f1|precision|recall|r2/i.test(monitor) ? 'max' : 'min';
  if (mode !== 'min' && mode !== 'max') throw rangeError(op, `options.mode must be "min", "max" or "auto", but received ${describe(mode)}`);
  return mode;
}

function expectMonitor(op: string, value: unknown): string {
  if (value === undefined) return 'valLoss';
  if (typeof value !== 'string' || value === '') throw typeError(op, `options.monitor must be the name of a logged value, but received ${describe(value)}`);
  return value;
}

/**
 * A scheduler that fit or LRSchedulerCallback can step and checkpoint. ReduceLROnPlateau
 * is refused: it steps on a monitored value, which its callback chooses (options.monitor).
 */
export function expectScheduler(op: string, name: string, value: unknown): LRScheduler {
  if (value instanceof PlateauScheduler) {
    throw typeError(op, `${name} is a ReduceLROnPlateau, which needs the monitored value at each step: use the callback instead, callbacks: [new train.ReduceLROnPlateau({ monitor: 'valLoss' })]`);
  }
  const s = value as Partial<LRScheduler> | null;
  if (typeof value !== 'object' || s === null || typeof s.step !== 'function' || typeof s.stateDict !== 'function' || typeof s.loadStateDict !== 'function') {
    throw typeError(op, `${name} must be an lrScheduler (with step, stateDict and loadStateDict), but received ${describe(value)}`);
  }
  return value as LRScheduler;
}

function monitored(op: string, logs: Logs, monitor: string): number | undefined {
  const v = logs[monitor];
  if (v === undefined) {
    // Missing at the first epoch is a configuration error worth stopping for.
    throw rangeError(op, `monitored value "${monitor}" is not in the logs (available: ${Object.keys(logs).join(', ')})`);
  }
  return v;
}

export interface EarlyStoppingOptions {
  /** Logged value to watch (default "valLoss"). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs in a row without improvement after which training stops (default 0; 0 and 1 both stop at the first). */
  patience?: number;
  /** "min", "max" or "auto" (default: from the name). */
  mode?: Mode;
  /** When training ends (stopped early or not), put back the weights of the best epoch, if there was one (default false). */
  restoreBestWeights?: boolean;
  /** Only an epoch that also beats this value restarts the patience count. */
  baseline?: number;
}

/**
 * Stops training when the monitored value stops improving, with Keras's semantics:
 * an epoch improves when it beats the best so far by more than minDelta (and, with a
 * baseline, beats the baseline too); training stops once `patience` epochs in a row
 * have not improved. A NaN value never improves, so a diverged run stops too.
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  readonly baseline: number | undefined;
  /** The best value so far (+Infinity in mode min, -Infinity in mode max before any). */
  best: number;
  /** The 0-based epoch of `best`, -1 before any. */
  bestEpoch = -1;
  /** Epochs since the last improvement. */
  wait = 0;
  stoppedEpoch = -1;
  #bestWeights: Record<string, Float32Array> | null = null;

  constructor(options?: EarlyStoppingOptions) {
    const op = 'EarlyStopping';
    const o = readOptions(op, options, ['monitor', 'minDelta', 'patience', 'mode', 'restoreBestWeights', 'baseline'] as const);
    this.monitor = expectMonitor(op, o.monitor);
    this.minDelta = Math.abs(o.minDelta === undefined ? 0 : expectFinite(op, 'options.minDelta', o.minDelta));
    this.patience = o.patience === undefined ? 0 : expectInteger(op, 'options.patience', o.patience, 0);
    this.mode = resolveMode(op, o.mode, this.monitor);
    this.restoreBestWeights = o.restoreBestWeights === undefined ? false : expectBoolean(op, 'options.restoreBestWeights', o.restoreBestWeights);
    this.baseline = o.baseline === undefined ? undefined : expectFinite(op, 'options.baseline', o.baseline);
    this.best = worstValue(this.mode);
  }

  /** Comparisons with NaN are false: a NaN epoch is never an improvement. */
  #improves(v: number, ref: number): boolean {
    return this.mode === 'min' ? v < ref - this.minDelta : v > ref + this.minDelta;
  }

  onTrainBegin(): void {
    this.best = worstValue(this.mode);
    this.bestEpoch = -1;
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.#bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    const v = monitored('EarlyStopping', logs, this.monitor)!;
    if (this.#improves(v, this.best)) {
      this.best = v;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.#bestWeights = Object.fromEntries(Object.entries(ctx.model.stateDict()).map(([k, t]) => [k, t.data.slice()]));
      }
      if (this.baseline === undefined || this.#improves(v, this.baseline)) {
        this.wait = 0;
        return;
      }
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
      const best = this.bestEpoch < 0 ? 'no epoch improved' : `best ${this.best} at epoch ${this.bestEpoch + 1}`;
      ctx.stopReason = `early stopping: ${this.monitor} did not improve for ${this.wait} epoch${this.wait === 1 ? '' : 's'} (${best})`;
    }
  }

  /** Restores at the end of training, stopped early or not (Keras 3), so the last epoch's checkpoint still holds its own weights. */
  onTrainEnd(_logs: Logs, ctx: TrainingContext): void {
    if (!this.restoreBestWeights || this.#bestWeights === null) return;
    const weights = this.#bestWeights;
    const model = Object.entries(ctx.model.stateDict());
    for (const [k, t] of model) {
      if (weights[k]?.length !== t.size) throw rangeError('EarlyStopping', `the best weights have no ${t.size} values for "${k}": they were restored from another model's checkpoint`);
    }
    for (const [k, t] of model) t.data.set(weights[k]!);
  }

  /** The count and best so far, and with restoreBestWeights the best epoch's weights (as tensors "bestWeights.<key>"). */
  stateDict(): Record<string, unknown> {
    const state: Record<string, unknown> = { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait, stoppedEpoch: this.stoppedEpoch };
    for (const [k, w] of Object.entries(this.#bestWeights ?? {})) state[`bestWeights.${k}`] = new Tensor(w.slice(), [w.length]);
    return state;
  }

  loadStateDict(state: Record<string, unknown>): void {
    const op = 'EarlyStopping.loadStateDict';
    const s = expectState(op, state);
    const best = expectNumber(op, 'state.best', s.best);
    const bestEpoch = expectInteger(op, 'state.bestEpoch', s.bestEpoch, -1);
    const wait = expectInteger(op, 'state.wait', s.wait, 0);
    const stoppedEpoch = expectInteger(op, 'state.stoppedEpoch', s.stoppedEpoch, -1);
    let weights: Record<string, Float32Array> | null = null;
    for (const [k, v] of Object.entries(s)) {
      if (!k.startsWith('bestWeights.')) continue;
      if (!(v instanceof Tensor)) throw typeError(op, `state["${k}"] must be a Tensor, but received ${describe(v)}`);
      (weights ??= {})[k.slice('bestWeights.'.length)] = v.data.slice();
    }
    Object.assign(this, { best, bestEpoch, wait, stoppedEpoch });
    this.#bestWeights = weights;
  }
}

function worstValue(mode: 'min' | 'max'): number {
  return mode === 'min' ? Infinity : -Infinity;
}

export interface ModelCheckpointOptions {
  /** Logged value deciding "best" (default "valLoss"). */
  monitor?: string;
  /** Only write when the monitored value improves (default false). */
  saveBestOnly?: boolean;
  mode?: Mode;
  /** Write every N epochs (default 1). */
  everyNEpochs?: number;
  /** Include the optimizer state, so training can resume exactly (default true). */
  includeOptimizer?: boolean;
  /** A scheduler whose state to include (default: fit's options.scheduler). */
  scheduler?: LRScheduler | PlateauScheduler;
}

/**
 * Writes checkpoints (io.saveCheckpoint); "{epoch}" in the path becomes the 1-based epoch.
 * A checkpoint holds what fit({ resumeFrom }) needs to continue as if never interrupted:
 * weights, optimizer, fit's scheduler, every callback's stateDict (fit runs ModelCheckpoint
 * after the other callbacks, so their state includes the epoch just ended) and the
 * positions of the random streams.
 */
export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly everyNEpochs: number;
  readonly includeOptimizer: boolean;
  readonly scheduler: LRScheduler | PlateauScheduler | undefined;
  /** The best monitored value written so far (saveBestOnly); +/-Infinity before any. */
  best: number;
  /** Paths written, in order. */
  readonly written: string[] = [];

  constructor(path: string, options?: ModelCheckpointOptions) {
    const op = 'ModelCheckpoint';
    if (typeof path !== 'string' || path === '') throw typeError(op, `path must be a non-empty string, but received ${describe(path)}`);
    const o = readOptions(op, options, ['monitor', 'saveBestOnly', 'mode', 'everyNEpochs', 'includeOptimizer', 'scheduler'] as const);
    this.path = path;
    this.monitor = expectMonitor(op, o.monitor);
    this.saveBestOnly = o.saveBestOnly === undefined ? false : expectBoolean(op, 'options.saveBestOnly', o.saveBestOnly);
    this.mode = resolveMode(op, o.mode, this.monitor);
    this.everyNEpochs = o.everyNEpochs === undefined ? 1 : expectInteger(op, 'options.everyNEpochs', o.everyNEpochs, 1);
    this.includeOptimizer = o.includeOptimizer === undefined ? true : expectBoolean(op, 'options.includeOptimizer', o.includeOptimizer);
    this.scheduler = o.scheduler as ModelCheckpoint['scheduler'];
    this.best = worstValue(this.mode);
  }

  async onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): Promise<void> {
    if ((epoch + 1) % this.everyNEpochs !== 0) return;
    if (this.saveBestOnly) {
      const v = monitored('ModelCheckpoint', logs, this.monitor)!;
      // False for NaN: a NaN epoch never replaces the best checkpoint.
      const better = this.mode === 'min' ? v < this.best : v > this.best;
      if (!better) return;
      this.best = v;
    }
    const path = this.path.replaceAll('{epoch}', String(epoch + 1));
    const scheduler = this.scheduler ?? ctx.scheduler;
    await saveCheckpoint(
      {
        model: ctx.model,
        ...(this.includeOptimizer ? { optimizer: ctx.optimizer } : {}),
        ...(scheduler ? { scheduler } : {}),
        callbacks: ctx.callbacks ?? [this],
        epoch,
        extra: { logs, dataGenerator: ctx.dataGenerator?.getState() ?? null, defaultGenerator: defaultGenerator.getState() },
      },
      path,
    );
    this.written.push(path);
  }

  stateDict(): Record<string, unknown> {
    return { best: this.best };
  }

  loadStateDict(state: Record<string, unknown>): void {
    this.best = expectNumber('ModelCheckpoint.loadStateDict', 'state.best', expectState('ModelCheckpoint.loadStateDict', state).best);
  }
}

export interface LRSchedulerCallbackOptions {
  /**
   * Step the scheduler after every "epoch" (default) or every "batch"; per batch means
   * per optimizer step, so with gradientAccumulation k it steps once every k batches
   * (as fit's own schedulerStep: "batch").
   */
  stepPer?: 'epoch' | 'batch';
}

/** Steps a learning-rate scheduler during fit. */
export class LRSchedulerCallback implements Callback {
  readonly scheduler: LRScheduler;
  readonly stepPer: 'epoch' | 'batch';

  constructor(scheduler: LRScheduler, options?: LRSchedulerCallbackOptions) {
    const op = 'LRSchedulerCallback';
    expectScheduler(op, 'scheduler', scheduler);
    const o = readOptions(op, options, ['stepPer'] as const);
    const per = o.stepPer ?? 'epoch';
    if (per !== 'epoch' && per !== 'batch') throw rangeError(op, `options.stepPer must be "epoch" or "batch", but received ${describe(per)}`);
    this.scheduler = scheduler;
    this.stepPer = per;
  }

  onBatchEnd(_batch: number, _logs: Logs, ctx: TrainingContext): void {
    if (this.stepPer === 'batch' && (ctx.optimizerStepped ?? true)) this.scheduler.step();
  }

  onEpochEnd(): void {
    if (this.stepPer === 'epoch') this.scheduler.step();
  }

  /** Its scheduler's state (a scheduler stepped here is not fit's options.scheduler, so it is saved here). */
  stateDict(): Record<string, unknown> {
    return { scheduler: this.scheduler.stateDict(), type: this.scheduler.constructor.name };
  }

  loadStateDict(state: Record<string, unknown>): void {
    const op = 'LRSchedulerCallback.loadStateDict';
    const s = expectState(op, state);
    if (typeof s.type === 'string' && s.type !== this.scheduler.constructor.name) {
      throw rangeError(op, `the saved state is a ${s.type}'s, but this callback steps a ${this.scheduler.constructor.name}`);
    }
    this.scheduler.loadStateDict(expectState(op, s.scheduler) as SchedulerState);
  }
}

/** Reduces the learning rate when a logged value plateaus (optim.lrScheduler.ReduceLROnPlateau). */
export class ReduceLROnPlateau implements Callback {
  readonly monitor: string;
  readonly options: ReduceLROnPlateauOptions;
  scheduler: PlateauScheduler | null = null;

  constructor(options?: ReduceLROnPlateauOptions & { monitor?: string }) {
    const op = 'ReduceLROnPlateau';
    // The values are checked when the scheduler is built (onTrainBegin, with the optimizer); a misspelt name now.
    const o = readOptions(op, options, ['monitor', 'mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'] as const);
    const { monitor, ...rest } = o as ReduceLROnPlateauOptions & { monitor?: unknown; mode?: Mode };
    this.monitor = expectMonitor(op, monitor);
    this.options = { ...rest, mode: resolveMode(op, rest.mode, this.monitor) };
  }

  onTrainBegin(ctx: TrainingContext): void {
    this.scheduler = new PlateauScheduler(ctx.optimizer, this.options);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.scheduler!.step(monitored('ReduceLROnPlateau', logs, this.monitor)!);
  }

  /** The plateau state (best, bad epochs, cooldown); nothing before onTrainBegin has built the scheduler. */
  stateDict(): Record<string, unknown> {
    return this.scheduler ? { scheduler: this.scheduler.stateDict() } : {};
  }

  loadStateDict(state: Record<string, unknown>): void {
    const op = 'ReduceLROnPlateau.loadStateDict';
    const s = expectState(op, state);
    if (s.scheduler === undefined) return;
    if (!this.scheduler) throw stateError(op, 'the scheduler is built when training begins (onTrainBegin): resume with fit({ resumeFrom })');
    this.scheduler.loadStateDict(expectState(op, s.scheduler));
  }
}

export interface CSVLoggerOptions {
  /** Add to an existing file instead of replacing it (default false); a new or empty file still gets the header. */
  append?: boolean;
  /** Default ",". */
  separator?: string;
}

/** Writes one line per epoch: epoch, then every logged value, under a header line. */
export class CSVLogger implements Callback {
  readonly path: string;
  readonly append: boolean;
  readonly separator: string;
  #keys: string[] | null = null;
  #writeHeader = true;

  constructor(path: string, options?: CSVLoggerOptions) {
    const op = 'CSVLogger';
    if (typeof path !== 'string' || path === '') throw typeError(op, `path must be a non-empty string, but received ${describe(path)}`);
    const o = readOptions(op, options, ['append', 'separator'] as const);
    this.path = path;
    this.append = o.append === undefined ? false : expectBoolean(op, 'options.append', o.append);
    if (o.separator !== undefined && (typeof o.separator !== 'string' || o.separator === '')) {
      throw typeError(op, `options.separator must be a non-empty string, but received ${describe(o.separator)}`);
    }
    this.separator = (o.separator as string | undefined) ?? ',';
  }

  async onTrainBegin(): Promise<void> {
    this.#keys = null;
    if (this.append) {
      // As Keras: appending to a file with lines in it continues under its header.
      this.#writeHeader = await isMissingOrEmpty(this.path);
    } else {
      await writeFile(this.path, '');
      this.#writeHeader = true;
    }
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    let text = '';
    if (this.#keys === null) {
      this.#keys = Object.keys(logs);
      if (this.#writeHeader) text += ['epoch', ...this.#keys].join(this.separator) + '\n';
    }
    text += [epoch + 1, ...this.#keys.map((k) => logs[k] ?? '')].join(this.separator) + '\n';
    await appendFile(this.path, text);
  }
}

async function isMissingOrEmpty(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/** Stops training as soon as the loss is NaN or infinite. */
export class TerminateOnNaN implements Callback {
  onBatchEnd(batch: number, logs: Logs, ctx: TrainingContext): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      ctx.stopTraining = true;
      ctx.stopReason = `loss became ${loss} at batch ${batch + 1}`;
    }
  }
}

/** Runs `name` on every callback that has it, in order. */
export async function dispatch(callbacks: readonly Callback[], name: keyof Callback, ...args: unknown[]): Promise<void> {
  for (const cb of callbacks) {
    const hook = cb[name] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof hook === 'function') await hook.apply(cb, args);
  }
}

export type { Tensor };
