/**
 * saveModel / loadModel: a model built from axonal's own modules, saved as one
 * safetensors file with its architecture as JSON in the metadata ("axonal.model"),
 * rebuilt from it and loaded with its weights. Custom Module subclasses cannot be
 * rebuilt from JSON: save their stateDict with io.save and rebuild them in code.
 */
import { AxonalError, ErrorCode, typeError } from '../errors.js';
import { Module } from '../nn/module.js';
import { recordedArgs, registeredClass, registeredName } from '../nn/registry.js';
import { describe } from '../validate.js';
import { loadWithMetadata, type Metadata, save } from './safetensors.js';

const KEY = 'axonal.model';
const CONTAINERS = new Set(['Sequential', 'ModuleList', 'ModuleDict']);

export type ModelConfig =
  | { type: string; args: unknown[] }
  | { type: 'Sequential' | 'ModuleList' | 'ModuleDict'; children: [string, ModelConfig][] };

function checkJson(where: string, v: unknown, op: string): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw typeError(op, `${where} is ${v}, which JSON cannot hold`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkJson(`${where}[${i}]`, x, op));
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as object)) if (x !== undefined) checkJson(`${where}.${k}`, x, op);
    return;
  }
  throw typeError(op, `${where} is ${describe(v)}, which cannot be saved as JSON (tensors and functions are not part of an architecture)`);
}

/** The architecture of `model` as JSON-ready data (errors name `op`, the caller). */
export function modelConfig(model: Module, path = 'model', op = 'io.saveModel'): ModelConfig {
  if (!(model instanceof Module)) throw typeError(op, `${path} must be an nn.Module, but received ${describe(model)}`);
  const type = registeredName(model);
  if (type === undefined) {
    throw typeError(
      op,
      op === 'io.saveModel'
        ? `${path} is a ${model.constructor.name}, not a built-in module, so its architecture cannot be saved; save its stateDict with io.save and rebuild it in code`
        : `${path} is a ${model.constructor.name}, not a built-in module, so ${op} cannot rebuild it (it copies models made of axonal's own modules and containers)`,
    );
  }
  if (CONTAINERS.has(type)) {
    return { type: type as 'Sequential', children: Array.from(model.namedChildren(), ([name, m]) => [name, modelConfig(m, `${path}.${name}`, op)]) };
  }
  const args = recordedArgs(model);
  if (args === undefined) throw typeError(op, `${path} (${type}) was not built through nn.${type}, so its arguments are unknown`);
  const trimmed = args.slice();
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
  trimmed.forEach((a, i) => {
    if (a === undefined) throw typeError(op, `${path} (${type}) argument ${i} is undefined`);
    checkJson(`${path} (${type}) argument ${i}`, a, op);
  });
  return { type, args: trimmed };
}

/** Rebuilds a model (with fresh weights) from a ModelConfig. */
export function buildModel(config: ModelConfig, path = 'model'): Module {
  const fail = (m: string) => new AxonalError(`io.loadModel: ${path}: ${m}`, ErrorCode.File);
  if (typeof config !== 'object' || config === null || typeof config.type !== 'string') throw fail('not a model description');
  const cls = registeredClass(config.type);
  if (cls === undefined) throw fail(`unknown module type "${config.type}"`);
  if ('children' in config) {
    if (!Array.isArray(config.children)) throw fail('children must be an array');
    const kids = config.children.map(([name, c]) => [name, buildModel(c, `${path}.${name}`)] as const);
    if (config.type === 'ModuleList') return new cls(kids.map(([, m]) => m));
    if (config.type === 'ModuleDict') return new cls(Object.fromEntries(kids));
    const indexed = kids.every(([name], i) => name === String(i));
    return indexed ? new cls(...kids.map(([, m]) => m)) : new cls(Object.fromEntries(kids));
  }
  if (!Array.isArray(config.args)) throw fail('args must be an array');
  return new cls(...config.args);
}

/** Saves the architecture and the weights of `model` to one safetensors file, atomically. */
export async function saveModel(model: Module, path: string, metadata: Metadata = {}): Promise<void> {
  const config = modelConfig(model);
  await save(model.stateDict(), path, { ...metadata, [KEY]: JSON.stringify(config) });
}

/** Rebuilds a model saved by saveModel and loads its weights. */
export async function loadModel(path: string): Promise<Module> {
  const { tensors, metadata } = await loadWithMetadata(path);
  const text = metadata[KEY];
  if (text === undefined) throw new AxonalError(`io.loadModel: ${path} holds weights but no architecture (it was not written by io.saveModel)`, ErrorCode.File);
  let config: ModelConfig;
  try {
    config = JSON.parse(text) as ModelConfig;
  } catch {
    throw new AxonalError(`io.loadModel: ${path}: the architecture is not valid JSON`, ErrorCode.File);
  }
  const model = buildModel(config);
  model.loadStateDict(tensors);
  return model;
}
