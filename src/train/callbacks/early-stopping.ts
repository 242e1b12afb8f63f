import { rangeError, typeError } from '../../errors.js';
import { Tensor } from '../../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../../validate.js';
import type { Callback, Logs, TrainingContext } from './callback.js';
import { expectMonitor, improves, type Mode, monitored, resolveMode, worstValue } from './monitor.js';
import { expectNumber, expectState } from './state-checks.js';

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

  onTrainBegin(): void {
    this.best = worstValue(this.mode);
    this.bestEpoch = -1;
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.#bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    const v = monitored('EarlyStopping', logs, this.monitor);
    // improves() is false for NaN: a NaN epoch is never an improvement.
    if (improves(this.mode, v, this.best, this.minDelta)) {
      this.best = v;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.#bestWeights = Object.fromEntries(Object.entries(ctx.model.stateDict()).map(([k, t]) => [k, t.data.slice()]));
      }
      if (this.baseline === undefined || improves(this.mode, v, this.baseline, this.minDelta)) {
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
