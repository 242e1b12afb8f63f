/** Checks shared by fit (options.scheduler, options.schedulerStep) and LRSchedulerCallback. */
import { rangeError, typeError } from '../../errors.js';
import { type LRScheduler, ReduceLROnPlateau as PlateauScheduler } from '../../optim/lr-scheduler.js';
import { describe } from '../../validate.js';

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

/** When a scheduler steps: after every "epoch" (the default, also for null) or every "batch". */
export function expectSchedulerStep(op: string, name: string, value: unknown): 'epoch' | 'batch' {
  const per = value ?? 'epoch';
  if (per !== 'epoch' && per !== 'batch') throw rangeError(op, `${name} must be "epoch" or "batch", but received ${describe(per)}`);
  return per;
}
