import { saveCheckpoint } from '../../io/checkpoint.js';
import type { LRScheduler, ReduceLROnPlateau as PlateauScheduler } from '../../optim/lr-scheduler.js';
import { defaultGenerator } from '../../random.js';
import { expectBoolean, expectInteger, expectNonEmptyString, readOptions } from '../../validate.js';
import type { Callback, Logs, TrainingContext } from './callback.js';
import { expectMonitor, improves, type Mode, monitored, resolveMode, worstValue } from './monitor.js';
import { expectNumber, expectState } from './state-checks.js';

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
    expectNonEmptyString(op, 'path', path);
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
      const v = monitored('ModelCheckpoint', logs, this.monitor);
      // False for NaN: a NaN epoch never replaces the best checkpoint.
      if (!improves(this.mode, v, this.best)) return;
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
