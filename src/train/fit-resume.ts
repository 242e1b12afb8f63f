/** fit({ resumeFrom }): putting a checkpoint's state back so the run continues as if never interrupted. */
import type { DataLoader } from '../data/dataloader.js';
import { applyCheckpoint, type Checkpoint } from '../io/checkpoint.js';
import type { Module } from '../nn/module.js';
import type { LRScheduler } from '../optim/lr-scheduler.js';
import type { GroupHyper, Optimizer } from '../optim/optimizer.js';
import { defaultGenerator } from '../random.js';
import type { Callback } from './callbacks/index.js';

export interface ResumedParts {
  model: Module;
  optimizer: Optimizer<GroupHyper>;
  scheduler: LRScheduler | undefined;
  callbacks: readonly Callback[];
  loader: DataLoader;
}

/**
 * Applies a checkpoint read before training began and returns the epoch to start at (the one
 * after the checkpoint's). Call it after onTrainBegin, which starts each callback afresh (and
 * builds the ReduceLROnPlateau callback's scheduler).
 */
export function resumeCheckpoint(checkpoint: Checkpoint, { model, optimizer, scheduler, callbacks, loader }: ResumedParts): number {
  const loaded = applyCheckpoint(checkpoint, { model, optimizer, ...(scheduler ? { scheduler } : {}), callbacks });
  // Random streams continue where they were, so the resumed run repeats the original exactly.
  const extra = loaded.extra as { dataGenerator?: { seed: number; offset: number } | null; defaultGenerator?: { seed: number; offset: number } } | null;
  if (extra?.dataGenerator) loader.generator.setState(extra.dataGenerator);
  if (extra?.defaultGenerator) defaultGenerator.setState(extra.defaultGenerator);
  return (loaded.epoch ?? -1) + 1;
}
