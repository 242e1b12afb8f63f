import { stateError } from '../../errors.js';
import { ReduceLROnPlateau as PlateauScheduler, type ReduceLROnPlateauOptions } from '../../optim/lr-scheduler.js';
import { readOptions } from '../../validate.js';
import type { Callback, Logs, TrainingContext } from './callback.js';
import { expectMonitor, type Mode, monitored, resolveMode } from './monitor.js';
import { expectState } from './state-checks.js';

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
    this.scheduler!.step(monitored('ReduceLROnPlateau', logs, this.monitor));
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
