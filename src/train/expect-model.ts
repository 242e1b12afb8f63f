import { typeError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { describe } from '../validate.js';

/**
 * The model argument of fit, evaluate and predict: anything shaped like an nn.Module
 * (a forward and its modules, which the loops switch between train and eval mode).
 */
export function expectModel(op: string, model: unknown): asserts model is Module {
  const m = model as Partial<Module> | null;
  if (typeof m !== 'object' || m === null || typeof m.forward !== 'function' || typeof m.modules !== 'function') {
    throw typeError(op, `model must be an nn.Module, but received ${describe(model)}`);
  }
}
