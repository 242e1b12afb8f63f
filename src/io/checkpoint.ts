/**
 * Training checkpoints in one safetensors file: the model's state dict under
 * "model.<key>", optimizer state tensors under "optimizer.<param>.<name>", and
 * everything else (epoch, optimizer hyperparameters and step counts, scheduler
 * state, user data) as JSON in the metadata. Written atomically.
 */
import { AxonalError, ErrorCode, typeError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { LRScheduler, ReduceLROnPlateau } from '../optim/lr-scheduler.js';
import type { GroupHyper, Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { loadWithMetadata, save } from './safetensors.js';

const FORMAT = 'axonal-checkpoint-v1';

export interface CheckpointParts {
  model: Module;
  optimizer?: Optimizer<GroupHyper>;
  scheduler?: LRScheduler | ReduceLROnPlateau;
  /** The last completed epoch (0-based). */
  epoch?: number;
  /** Any JSON-serializable data to keep with the checkpoint. */
  extra?: unknown;
}

export interface LoadedCheckpoint {
  epoch: number | null;
  extra: unknown;
}

export async function saveCheckpoint(parts: CheckpointParts, path: string): Promise<void> {
  const op = 'io.saveCheckpoint';
  if (typeof parts !== 'object' || parts === null || typeof parts.model?.stateDict !== 'function') {
    throw typeError(op, `parts.model must be an nn.Module, but received ${describe(parts?.model)}`);
  }
  const tensors: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(parts.model.stateDict())) tensors[`model.${k}`] = v;
  let optimizerMeta: unknown = null;
  if (parts.optimizer) {
    const sd = parts.optimizer.stateDict();
    const numeric: Record<number, Record<string, number>> = {};
    for (const [idx, state] of Object.entries(sd.state)) {
      for (const [name, v] of Object.entries(state)) {
        if (v instanceof Tensor) tensors[`optimizer.${idx}.${name}`] = v;
        else (numeric[Number(idx)] ??= {})[name] = v;
      }
    }
    optimizerMeta = { paramGroups: sd.paramGroups, numericState: numeric, stepCount: parts.optimizer.stepCount };
  }
  const meta = {
    format: FORMAT,
    epoch: JSON.stringify(parts.epoch ?? null),
    optimizer: JSON.stringify(optimizerMeta),
    scheduler: JSON.stringify(parts.scheduler ? parts.scheduler.stateDict() : null),
    extra: JSON.stringify(parts.extra ?? null),
  };
  await save(tensors, path, meta);
}

/** Restores the given parts from a checkpoint; returns its epoch and extra data. */
export async function loadCheckpoint(path: string, parts: CheckpointParts): Promise<LoadedCheckpoint> {
  const { tensors, metadata } = await loadWithMetadata(path);
  const fail = (message: string) => new AxonalError(`io.loadCheckpoint: ${path}: ${message}`, ErrorCode.File);
  if (metadata.format !== FORMAT) throw fail(`not an axonal checkpoint (metadata format is ${JSON.stringify(metadata.format ?? null)})`);
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key] ?? 'null');
    } catch {
      throw fail(`metadata "${key}" is not valid JSON`);
    }
  };
  const model: Record<string, Tensor> = {};
  const optState: Record<number, ParamState> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith('model.')) model[k.slice(6)] = t;
    else if (k.startsWith('optimizer.')) {
      const rest = k.slice(10);
      const dot = rest.indexOf('.');
      (optState[Number(rest.slice(0, dot))] ??= {})[rest.slice(dot + 1)] = t;
    }
  }
  parts.model.loadStateDict(model);
  const optMeta = parse('optimizer') as { paramGroups: OptimizerStateDict['paramGroups']; numericState: Record<number, Record<string, number>>; stepCount: number } | null;
  if (parts.optimizer) {
    if (!optMeta) throw fail('it holds no optimizer state');
    for (const [idx, nums] of Object.entries(optMeta.numericState)) Object.assign((optState[Number(idx)] ??= {}), nums);
    parts.optimizer.loadStateDict({ state: optState, paramGroups: optMeta.paramGroups });
    parts.optimizer.stepCount = optMeta.stepCount;
  }
  const sched = parse('scheduler') as Record<string, unknown> | null;
  if (parts.scheduler) {
    if (!sched) throw fail('it holds no scheduler state');
    parts.scheduler.loadStateDict(sched);
  }
  return { epoch: parse('epoch') as number | null, extra: parse('extra') };
}
