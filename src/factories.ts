/** Tensor factories, named and behaving as PyTorch's. */
import { rangeError, shapeError, typeError } from './errors.js';
import { defaultGenerator, type Generator } from './random.js';
import { checkShape, formatShape, MAX_ELEMENTS, shapeFromArgs, shapeSize } from './shape.js';
import { checkExtent, Tensor } from './tensor.js';
import { describe, expectFinite, expectInteger, readOptions } from './validate.js';
import { floats } from './memory.js';

/** Nested arrays of numbers, as accepted by `tensor()`. */
export type NestedNumbers = number | readonly NestedNumbers[];

/** Typed arrays of numbers (BigInt arrays are not: their values are not numbers). */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

export interface RandomOptions {
  /** The generator to draw from; the default generator (seeded by `manualSeed`) otherwise. */
  generator?: Generator;
}

export function isNumericArray(value: unknown): value is NumericArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** Flattens rectangular nested arrays, checking every element. */
function flattenNested(op: string, value: NestedNumbers): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  const values: number[] = [];
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') {
        throw typeError(op, `data${path} must be a number, but received ${describe(v)}`);
      }
      values.push(v);
      return;
    }
    if (!Array.isArray(v)) {
      throw typeError(op, `data${path} must be an array of length ${shape[dim]} (nested arrays must be rectangular), but received ${describe(v)}`);
    }
    if (v.length !== shape[dim]) {
      throw shapeError(op, `nested arrays must be rectangular: data${path} has length ${v.length} but data${'[0]'.repeat(dim)} has length ${shape[dim]}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], dim + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return { values, shape };
}

function checkCount(op: string, count: number, shape: number[] | undefined): number[] {
  if (shape === undefined) return [count];
  const dims = checkExtent(op, 'shape', checkShape(op, 'shape', shape));
  const size = shapeSize(dims);
  if (size !== count) throw shapeError(op, `shape ${formatShape(dims)} needs ${size} elements, but data has ${count}`);
  return dims;
}

/**
 * A new tensor holding a copy of `data`: a number (0-d tensor), nested arrays of
 * numbers, or a typed array (flat; pass `shape` to give it dimensions).
 */
export function tensor(data: NestedNumbers | NumericArray, shape?: readonly number[]): Tensor {
  if (isNumericArray(data)) {
    const dims = checkCount('tensor', data.length, shape as number[] | undefined);
    return new Tensor(Float32Array.from(data as ArrayLike<number>), dims);
  }
  if (typeof data === 'number') {
    const dims = shape === undefined ? [] : checkCount('tensor', 1, shape as number[]);
    return new Tensor(Float32Array.of(data), dims);
  }
  if (!Array.isArray(data)) {
    throw typeError('tensor', `data must be a number, nested arrays of numbers or a typed array, but received ${describe(data)}`);
  }
  const flat = flattenNested('tensor', data);
  const dims = shape === undefined ? flat.shape : checkCount('tensor', flat.values.length, shape as number[]);
  if (shapeSize(dims) > MAX_ELEMENTS) throw rangeError('tensor', 'too many elements');
  return new Tensor(Float32Array.from(flat.values), dims);
}

/**
 * A tensor from any array-like of numbers (plain arrays, typed arrays, Buffers,
 * `{ length, 0: ..., 1: ... }` objects), copied, with an optional shape.
 */
export function fromArrayLike(data: ArrayLike<number>, shape?: readonly number[]): Tensor {
  if (data === null || typeof data !== 'object' || typeof (data as { length?: unknown }).length !== 'number') {
    throw typeError('fromArrayLike', `data must be an array-like of numbers, but received ${describe(data)}`);
  }
  const n = expectInteger('fromArrayLike', 'data.length', data.length, 0, MAX_ELEMENTS);
  const out = new Float32Array(n);
  if (isNumericArray(data)) {
    out.set(data as ArrayLike<number>);
  } else {
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (typeof v !== 'number') throw typeError('fromArrayLike', `data[${i}] must be a number, but received ${describe(v)}`);
      out[i] = v;
    }
  }
  return new Tensor(out, checkCount('fromArrayLike', n, shape as number[] | undefined));
}

export function zeros(shape: readonly number[]): Tensor;
export function zeros(...dims: number[]): Tensor;
export function zeros(...args: unknown[]): Tensor {
  const shape = checkExtent('zeros', 'shape', shapeFromArgs('zeros', args));
  return new Tensor(floats(shapeSize(shape)), shape);
}

export function ones(shape: readonly number[]): Tensor;
export function ones(...dims: number[]): Tensor;
export function ones(...args: unknown[]): Tensor {
  const shape = checkExtent('ones', 'shape', shapeFromArgs('ones', args));
  return new Tensor(floats(shapeSize(shape)).fill(1), shape);
}

/** A tensor of `shape` filled with `value` (NaN and Infinity allowed, as in PyTorch). */
export function full(shape: readonly number[], value: number): Tensor {
  const dims = checkExtent('full', 'shape', checkShape('full', 'shape', shape));
  if (typeof value !== 'number') throw typeError('full', `value must be a number, but received ${describe(value)}`);
  return new Tensor(floats(shapeSize(dims)).fill(value), dims);
}

function splitRandomArgs(op: string, args: unknown[]): { shape: number[]; generator: Generator } {
  let opts: RandomOptions = {};
  const last = args[args.length - 1];
  if (args.length > 0 && typeof last === 'object' && last !== null && !Array.isArray(last)) {
    opts = readOptions(op, args.pop(), ['generator']) as RandomOptions;
  }
  return { shape: checkExtent(op, 'shape', shapeFromArgs(op, args)), generator: opts.generator ?? defaultGenerator };
}

/** Uniform random values in [0, 1). */
export function rand(shape: readonly number[], options?: RandomOptions): Tensor;
export function rand(...dims: number[]): Tensor;
export function rand(...args: unknown[]): Tensor {
  const { shape, generator } = splitRandomArgs('rand', args);
  return new Tensor(generator.fillUniform(floats(shapeSize(shape))), shape);
}

/** Standard normal random values (mean 0, standard deviation 1). */
export function randn(shape: readonly number[], options?: RandomOptions): Tensor;
export function randn(...dims: number[]): Tensor;
export function randn(...args: unknown[]): Tensor {
  const { shape, generator } = splitRandomArgs('randn', args);
  return new Tensor(generator.fillNormal(floats(shapeSize(shape))), shape);
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) in steps of `step`:
 * `arange(5)` is [0, 1, 2, 3, 4]; `arange(1, 2, 0.25)` is [1, 1.25, 1.5, 1.75].
 */
export function arange(end: number): Tensor;
export function arange(start: number, end: number, step?: number): Tensor;
export function arange(a: number, b?: number, step = 1): Tensor {
  const start = b === undefined ? 0 : expectFinite('arange', 'start', a);
  const end = b === undefined ? expectFinite('arange', 'end', a) : expectFinite('arange', 'end', b);
  expectFinite('arange', 'step', step);
  if (step === 0) throw rangeError('arange', 'step must be non-zero, but received 0');
  if ((end - start) * step < 0) {
    throw rangeError('arange', `step ${step} moves away from end: start ${start}, end ${end}`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  if (n > MAX_ELEMENTS) throw rangeError('arange', `the range has ${n} elements, more than a tensor can hold`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return new Tensor(out, [n]);
}

/** An n x m matrix with ones on the diagonal (m defaults to n). */
export function eye(n: number, m: number = n): Tensor {
  expectInteger('eye', 'n', n, 0);
  expectInteger('eye', 'm', m, 0);
  const shape = checkExtent('eye', 'shape', checkShape('eye', 'shape', [n, m]));
  const out = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return new Tensor(out, shape);
}

/** A tensor of zeros shaped like `t`. */
export function zerosLike(t: Tensor): Tensor {
  return new Tensor(floats(t.size), t.shape);
}

/** A tensor of ones shaped like `t`. */
export function onesLike(t: Tensor): Tensor {
  return new Tensor(floats(t.size).fill(1), t.shape);
}
