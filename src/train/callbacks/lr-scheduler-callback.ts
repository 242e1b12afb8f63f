import { rangeError } from '../../errors.js';
import type { LRScheduler, SchedulerState } from '../../optim/lr-scheduler.js';
import { readOptions } from '../../validate.js';
import type { Callback, Logs, TrainingContext } from './callback.js';
import { expectScheduler, expectSchedulerStep } from './scheduler-checks.js';
import { expectState } from './state-checks.js';

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
    const per = expectSchedulerStep(op, 'options.stepPer', o.stepPer);
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
