/** Runs a test body once per ISA level this machine supports, then restores the default. */
import { backend } from '../../src/index.js';

export const isaLevels = backend.info().isaAvailable;

export function withIsa<T>(isa: backend.IsaName, fn: () => T): T {
  const before = backend.info().isa;
  backend.setIsa(isa);
  try {
    return fn();
  } finally {
    backend.setIsa(before);
  }
}
