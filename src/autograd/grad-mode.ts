/**
 * Grad mode: while disabled, ops record nothing (no graph, no saved tensors), as
 * inside torch.no_grad(). The switch is global to this JS context (one per
 * worker_thread), so it only scopes synchronous code.
 */
import { typeError } from '../errors.js';

let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

export function setGradEnabled(mode: boolean): void {
  if (typeof mode !== 'boolean') throw typeError('setGradEnabled', `mode must be a boolean, but received ${typeof mode}`);
  enabled = mode;
}

function runWithMode<T>(op: string, mode: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw typeError(op, `fn must be a function, but received ${typeof fn}`);
  const before = enabled;
  enabled = mode;
  try {
    const result = fn();
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      throw typeError(
        op,
        'fn returned a Promise: grad mode is restored when fn returns, so code after an await would run in the wrong mode; wrap only the synchronous part',
      );
    }
    return result;
  } finally {
    enabled = before;
  }
}

/** Runs fn with gradient recording off: no graph is built and nothing is saved for backward. */
export function noGrad<T>(fn: () => T): T {
  return runWithMode('noGrad', false, fn);
}

/** Runs fn with gradient recording on (inside a noGrad block, for example). */
export function enableGrad<T>(fn: () => T): T {
  return runWithMode('enableGrad', true, fn);
}
