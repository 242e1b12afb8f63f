import type { Module } from '../nn/module.js';

/**
 * Puts every module in eval mode and returns a function restoring each module's
 * own mode (a submodule deliberately kept in eval, like a frozen BatchNorm, stays so).
 */
export function enterEval(model: Module): () => void {
  const changed: Module[] = [];
  for (const m of model.modules()) {
    if (m.training) {
      m.training = false;
      changed.push(m);
    }
  }
  return () => {
    for (const m of changed) m.training = true;
  };
}
