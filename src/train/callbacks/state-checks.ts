/** Checks on the state a callback's loadStateDict receives (read back from a checkpoint file). */
import { typeError } from '../../errors.js';
import { describe } from '../../validate.js';

export function expectState(op: string, state: unknown): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw typeError(op, `state must be an object, but received ${describe(state)}`);
  return state as Record<string, unknown>;
}

export function expectNumber(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(op, `${name} must be a number, but received ${describe(value)}`);
  return value;
}
