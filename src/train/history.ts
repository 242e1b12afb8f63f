import type { Logs } from './callbacks/index.js';

export interface History {
  /** The 0-based epochs that ran. */
  epoch: number[];
  /** Per logged name, one value per epoch. */
  history: Record<string, number[]>;
  /** Why training ended before `epochs`, if it did. */
  stopReason?: string;
}

export function recordEpoch(history: History, epoch: number, logs: Logs): void {
  history.epoch.push(epoch);
  for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
}

/** The last epoch's value of every logged name (what onTrainEnd receives). */
export function lastLogs(history: History): Logs {
  return Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[v.length - 1]!]));
}
