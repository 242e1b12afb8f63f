/**
 * The monitored value shared by EarlyStopping, ModelCheckpoint and ReduceLROnPlateau:
 * which logged name to watch, whether lower or higher is better, and what beats the best.
 */
import { rangeError, typeError } from '../../errors.js';
import { describe } from '../../validate.js';
import type { Logs } from './callback.js';

export type Mode = 'min' | 'max' | 'auto';

export function resolveMode(op: string, mode: unknown, monitor: string): 'min' | 'max' {
  if (mode === undefined || mode === 'auto') return /acc|accuracy|f1|precision|recall|r2/i.test(monitor) ? 'max' : 'min';
  if (mode !== 'min' && mode !== 'max') throw rangeError(op, `options.mode must be "min", "max" or "auto", but received ${describe(mode)}`);
  return mode;
}

export function expectMonitor(op: string, value: unknown): string {
  if (value === undefined) return 'valLoss';
  if (typeof value !== 'string' || value === '') throw typeError(op, `options.monitor must be the name of a logged value, but received ${describe(value)}`);
  return value;
}

/** The monitored value of an epoch's logs; a name not logged is an error. */
export function monitored(op: string, logs: Logs, monitor: string): number {
  const v = logs[monitor];
  if (v === undefined) {
    // Missing at the first epoch is a configuration error worth stopping for.
    throw rangeError(op, `monitored value "${monitor}" is not in the logs (available: ${Object.keys(logs).join(', ')})`);
  }
  return v;
}

/** The best value before any epoch: every finite value beats it. */
export function worstValue(mode: 'min' | 'max'): number {
  return mode === 'min' ? Infinity : -Infinity;
}

/** Whether `v` beats `ref` by more than minDelta. Comparisons with NaN are false: a NaN epoch is never an improvement. */
export function improves(mode: 'min' | 'max', v: number, ref: number, minDelta = 0): boolean {
  return mode === 'min' ? v < ref - minDelta : v > ref + minDelta;
}
