import type { Callback, Logs, TrainingContext } from './callback.js';

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
