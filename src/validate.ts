/**
 * Argument checks for the public API, in one style:
 * "<op>: <name> must be <expected>, but received <what came>".
 */
import { rangeError, typeError } from './errors.js';

/** A short description of any value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return `a number (${value})`;
    case 'string':
      return value.length > 40 ? `a string ("${value.slice(0, 37)}...")` : `a string ("${value}")`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'bigint':
      return `a bigint (${value})`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      break;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as { length: number; buffer: ArrayBufferLike };
    const name = value.constructor.name;
    if (isDetached(arr.buffer)) return `a detached ${name}`;
    return `a ${name} of length ${arr.length}`;
  }
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  const ctor = (value as object).constructor;
  if (ctor && ctor.name === 'Tensor' && 'shape' in (value as object)) {
    return `a Tensor of shape [${(value as { shape: readonly number[] }).shape.join(', ')}]`;
  }
  if (ctor && ctor !== Object && ctor.name) return `an instance of ${ctor.name}`;
  return 'an object';
}

export function isDetached(buffer: ArrayBufferLike): boolean {
  // `detached` exists on Node >= 20; fall back to the byteLength of a zero-size probe.
  const b = buffer as ArrayBufferLike & { detached?: boolean };
  if (typeof b.detached === 'boolean') return b.detached;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

export function expectInteger(
  op: string,
  name: string,
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number') throw typeError(op, `${name} must be an integer, but received ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? (min === 0 ? 'a non-negative integer' : `an integer >= ${min}`) : `an integer in [${min}, ${max}]`;
    throw rangeError(op, `${name} must be ${range}, but received ${value}`);
  }
  return value;
}

export function expectFinite(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(op, `${name} must be a number, but received ${describe(value)}`);
  if (!Number.isFinite(value)) throw rangeError(op, `${name} must be a finite number, but received ${value}`);
  return value;
}

export function expectBoolean(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw typeError(op, `${name} must be a boolean, but received ${describe(value)}`);
  return value;
}

export function expectNonEmptyString(op: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw typeError(op, `${name} must be a non-empty string, but received ${describe(value)}`);
  return value;
}

export function expectObject(op: string, name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw typeError(op, `${name} must be an options object, but received ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads an options object, rejecting keys the operation does not know (a typo
 * such as `tranA` must not be silently ignored).
 */
export function readOptions<K extends string>(
  op: string,
  value: unknown,
  known: readonly K[],
): Partial<Record<K, unknown>> {
  if (value === undefined) return {};
  const obj = expectObject(op, 'options', value);
  for (const key of Object.keys(obj)) {
    if (!(known as readonly string[]).includes(key)) {
      throw rangeError(op, `unknown option "${key}" (known options: ${known.join(', ')})`);
    }
  }
  return obj as Partial<Record<K, unknown>>;
}
