/**
 * Training callbacks (Keras-style hooks around fit's explicit loop). A hook may be
 * async; an exception in a hook ends fit with that error, between two optimizer
 * steps, so the model is never left half-updated.
 */
import type { Module } from '../../nn/module.js';
import type { LRScheduler } from '../../optim/lr-scheduler.js';
import type { GroupHyper, Optimizer } from '../../optim/optimizer.js';
import type { Generator } from '../../random.js';

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

/** Runs `name` on every callback that has it, in order. */
export async function dispatch(callbacks: readonly Callback[], name: keyof Callback, ...args: unknown[]): Promise<void> {
  for (const cb of callbacks) {
    const hook = cb[name] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof hook === 'function') await hook.apply(cb, args);
  }
}
