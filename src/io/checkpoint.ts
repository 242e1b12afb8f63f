/**
 * Training checkpoints in one safetensors file: the model's state dict under
 * "model.<key>", optimizer state tensors under "optimizer.<param>.<name>", callback
 * state tensors under "callbacks.<callback>.<name>", and everything else (epoch,
 * optimizer hyperparameters and step counts, scheduler state, callback state, user
 * data) as JSON in the metadata. Written atomically.
 *
 * Loading reads and checks the whole file first and applies the parts after: a
 * load that fails leaves the model, optimizer, scheduler and callbacks as they were.
 */
import { AxonalError, ErrorCode, typeError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { LRScheduler, ReduceLROnPlateau, SchedulerState } from '../optim/lr-scheduler.js';
import type { GroupHyper, Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { loadWithMetadata, save } from './safetensors.js';

const FORMAT = 'axonal-checkpoint-v1';

/** Anything with a state to keep (a training callback): Tensor values are stored as tensors, the rest as JSON. */
export interface StatefulPart {
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
}

export interface CheckpointParts {
  model: Module;
  optimizer?: Optimizer<GroupHyper>;
  scheduler?: LRScheduler | ReduceLROnPlateau;
  /**
   * Callbacks whose state to save or restore (those with stateDict / loadStateDict), matched
   * by class and order among the callbacks of that class; on load, a callback the file has
   * no state for keeps its own, and state for a callback not given is ignored.
   */
  callbacks?: readonly StatefulPart[];
  /** The last completed epoch (0-based). */
  epoch?: number;
  /** Any JSON-serializable data to keep with the checkpoint. */
  extra?: unknown;
}

export interface LoadedCheckpoint {
  epoch: number | null;
  extra: unknown;
}

interface OptimizerMeta {
  paramGroups: OptimizerStateDict['paramGroups'];
  numericState: Record<number, Record<string, number>>;
  stepCount: number;
}

/** A checkpoint file read and checked, not yet applied to anything. */
export interface Checkpoint {
  path: string;
  epoch: number | null;
  extra: unknown;
  model: Record<string, Tensor>;
  optimizer: { stateDict: OptimizerStateDict; stepCount: number } | null;
  scheduler: { type: string | null; state: SchedulerState } | null;
  callbacks: Record<string, Record<string, unknown>>;
}

// JSON has no Infinity or NaN (JSON.stringify writes null): a scheduler's or callback's
// "no best yet" of +/-Infinity must come back as itself.
const NON_FINITE = '$nonFinite';

function toJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v));
}

function fromJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tag = (v as Record<string, unknown>)[NON_FINITE];
      if (keys.length === 1 && (tag === 'Infinity' || tag === '-Infinity' || tag === 'NaN')) return Number(tag);
    }
    return v;
  });
}

/** Keys naming each stateful callback: its class, then its place among callbacks of that class ("EarlyStopping#0"). */
function callbackKeys(callbacks: readonly StatefulPart[]): [string, StatefulPart][] {
  const seen = new Map<string, number>();
  const out: [string, StatefulPart][] = [];
  for (const cb of callbacks) {
    if (typeof cb?.stateDict !== 'function') continue;
    const name = cb.constructor?.name || 'Object';
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    out.push([`${name}#${n}`, cb]);
  }
  return out;
}

export async function saveCheckpoint(parts: CheckpointParts, path: string): Promise<void> {
  const op = 'io.saveCheckpoint';
  if (typeof parts !== 'object' || parts === null || typeof parts.model?.stateDict !== 'function') {
    throw typeError(op, `parts.model must be an nn.Module, but received ${describe(parts?.model)}`);
  }
  if (parts.callbacks !== undefined && !Array.isArray(parts.callbacks)) {
    throw typeError(op, `parts.callbacks must be an array, but received ${describe(parts.callbacks)}`);
  }
  const tensors: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(parts.model.stateDict())) tensors[`model.${k}`] = v;
  let optimizerMeta: OptimizerMeta | null = null;
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
  const callbackMeta: Record<string, Record<string, unknown>> = {};
  for (const [key, cb] of callbackKeys(parts.callbacks ?? [])) {
    const json: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(cb.stateDict!())) {
      if (v instanceof Tensor) tensors[`callbacks.${key}.${name}`] = v;
      else json[name] = v;
    }
    callbackMeta[key] = json;
  }
  const meta = {
    format: FORMAT,
    epoch: toJson(parts.epoch ?? null),
    optimizer: toJson(optimizerMeta),
    scheduler: toJson(parts.scheduler ? parts.scheduler.stateDict() : null),
    schedulerType: toJson(parts.scheduler ? parts.scheduler.constructor.name : null),
    callbacks: toJson(callbackMeta),
    extra: toJson(parts.extra ?? null),
  };
  await save(tensors, path, meta);
}

/** Reads and checks a checkpoint file without applying it to anything. */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  const { tensors, metadata } = await loadWithMetadata(path);
  const fail = (message: string) => new AxonalError(`io.loadCheckpoint: ${path}: ${message}`, ErrorCode.File);
  if (metadata.format !== FORMAT) throw fail(`not an axonal checkpoint (metadata format is ${JSON.stringify(metadata.format ?? null)})`);
  const parse = (key: string): unknown => {
    try {
      return fromJson(metadata[key] ?? 'null');
    } catch {
      throw fail(`metadata "${key}" is not valid JSON`);
    }
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const model: Record<string, Tensor> = {};
  const optState: Record<number, ParamState> = {};
  const callbackTensors: Record<string, Record<string, Tensor>> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith('model.')) model[k.slice(6)] = t;
    else if (k.startsWith('optimizer.') || k.startsWith('callbacks.')) {
      const rest = k.slice(k.indexOf('.') + 1);
      const dot = rest.indexOf('.');
      if (dot <= 0) throw fail(`tensor "${k}" does not name its owner and state ("<owner>.<name>")`);
      if (k.startsWith('optimizer.')) (optState[Number(rest.slice(0, dot))] ??= {})[rest.slice(dot + 1)] = t;
      else (callbackTensors[rest.slice(0, dot)] ??= {})[rest.slice(dot + 1)] = t;
    }
  }

  const epoch = parse('epoch');
  if (epoch !== null && !Number.isInteger(epoch)) throw fail(`metadata "epoch" must be an integer or null, but is ${describe(epoch)}`);

  let optimizer: Checkpoint['optimizer'] = null;
  const optMeta = parse('optimizer');
  if (optMeta !== null) {
    if (!isObject(optMeta) || !Array.isArray(optMeta.paramGroups) || !isObject(optMeta.numericState)) {
      throw fail('metadata "optimizer" must be { paramGroups, numericState, stepCount }');
    }
    const { paramGroups, numericState, stepCount } = optMeta as unknown as OptimizerMeta;
    for (const [idx, nums] of Object.entries(numericState)) Object.assign((optState[Number(idx)] ??= {}), nums);
    optimizer = { stateDict: { state: optState, paramGroups }, stepCount: Number.isInteger(stepCount) ? stepCount : 0 };
  }

  const schedState = parse('scheduler');
  if (schedState !== null && !isObject(schedState)) throw fail(`metadata "scheduler" must be an object or null, but is ${describe(schedState)}`);
  const schedType = parse('schedulerType');
  const scheduler = schedState === null ? null : { type: typeof schedType === 'string' ? schedType : null, state: schedState };

  const callbackMeta = parse('callbacks') ?? {};
  if (!isObject(callbackMeta)) throw fail(`metadata "callbacks" must be an object, but is ${describe(callbackMeta)}`);
  const callbacks: Checkpoint['callbacks'] = {};
  for (const key of new Set([...Object.keys(callbackMeta), ...Object.keys(callbackTensors)])) {
    const json = callbackMeta[key] ?? {};
    if (!isObject(json)) throw fail(`the state of callback ${key} must be an object, but is ${describe(json)}`);
    callbacks[key] = { ...json, ...callbackTensors[key] };
  }

  return { path, epoch: epoch as number | null, extra: parse('extra'), model, optimizer, scheduler, callbacks };
}

/**
 * Applies a read checkpoint to the given parts. Every part asked for must be in the
 * file (checked before anything changes); the parts are then applied one by one, and if
 * one refuses its state (a shape or group mismatch), those already applied are put back.
 */
export function applyCheckpoint(checkpoint: Checkpoint, parts: CheckpointParts): LoadedCheckpoint {
  const fail = (message: string) => new AxonalError(`io.loadCheckpoint: ${checkpoint.path}: ${message}`, ErrorCode.File);
  if (typeof parts !== 'object' || parts === null || typeof parts.model?.loadStateDict !== 'function') {
    throw typeError('io.loadCheckpoint', `parts.model must be an nn.Module, but received ${describe(parts?.model)}`);
  }
  const { optimizer, scheduler } = parts;
  if (optimizer && !checkpoint.optimizer) {
    throw fail(
      'it holds no optimizer state (saved with includeOptimizer: false?), so training cannot resume exactly from it; ' +
        'to start from its weights with a fresh optimizer, load them with io.loadCheckpoint(path, { model }) and train without resumeFrom',
    );
  }
  if (scheduler && !checkpoint.scheduler) throw fail('it holds no scheduler state, but a scheduler was given to restore');
  const savedType = checkpoint.scheduler?.type;
  if (scheduler && savedType && savedType !== scheduler.constructor.name) {
    throw fail(`it holds the state of a ${savedType}, but the scheduler to restore is a ${scheduler.constructor.name}`);
  }
  const callbacks = callbackKeys(parts.callbacks ?? []).filter(([key, cb]) => key in checkpoint.callbacks && typeof cb.loadStateDict === 'function');

  const undo: (() => void)[] = [];
  try {
    if (optimizer) {
      const before = { stateDict: optimizer.stateDict(), stepCount: optimizer.stepCount };
      optimizer.loadStateDict(checkpoint.optimizer!.stateDict);
      optimizer.stepCount = checkpoint.optimizer!.stepCount;
      undo.push(() => {
        optimizer.loadStateDict(before.stateDict);
        optimizer.stepCount = before.stepCount;
      });
    }
    if (scheduler) {
      const before = scheduler.stateDict();
      scheduler.loadStateDict(checkpoint.scheduler!.state);
      undo.push(() => scheduler.loadStateDict(before));
    }
    for (const [key, cb] of callbacks) {
      const before = cb.stateDict!();
      cb.loadStateDict!(checkpoint.callbacks[key]!);
      undo.push(() => cb.loadStateDict!(before));
    }
    // Last: loadStateDict checks every key and shape before copying, so it changes all or nothing.
    parts.model.loadStateDict(checkpoint.model);
  } catch (err) {
    for (const u of undo.reverse()) u();
    throw err;
  }
  return { epoch: checkpoint.epoch, extra: checkpoint.extra };
}

/** Restores the given parts from a checkpoint; returns its epoch and extra data. */
export async function loadCheckpoint(path: string, parts: CheckpointParts): Promise<LoadedCheckpoint> {
  return applyCheckpoint(await readCheckpoint(path), parts);
}
