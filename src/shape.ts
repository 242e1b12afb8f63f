/** Shapes: validation, element counts and -1 inference. */
import { rangeError, shapeError, typeError } from './errors.js';
import { describe } from './validate.js';

export type Shape = readonly number[];

/** Largest element count a Float32Array may hold in this Node (2^32 - 1 on 64-bit V8 >= 11). */
export const MAX_ELEMENTS = 2 ** 32 - 1;

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Checks that `shape` is an array of non-negative integers with a representable element count. */
export function checkShape(op: string, name: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw typeError(op, `${name} must be an array of integers, but received ${describe(shape)}`);
  let size = 1;
  shape.forEach((d, i) => {
    if (typeof d !== 'number') throw typeError(op, `${name}[${i}] must be an integer, but received ${describe(d)}`);
    if (!Number.isInteger(d) || d < 0) throw rangeError(op, `${name}[${i}] must be a non-negative integer, but received ${d}`);
    size *= d;
  });
  if (size > MAX_ELEMENTS) {
    throw rangeError(op, `${name} ${formatShape(shape)} has ${size} elements, more than the ${MAX_ELEMENTS} a tensor can hold`);
  }
  return shape.slice();
}

/**
 * Reads a shape given either as one array or as separate integers
 * (`zeros([2, 3])` or `zeros(2, 3)`), PyTorch's two spellings.
 */
export function shapeFromArgs(op: string, args: readonly unknown[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return checkShape(op, 'shape', args[0]);
  return checkShape(op, 'shape', args as unknown[]);
}

/** Resolves one -1 in `shape` against `size` elements; the shape must hold exactly `size`. */
export function inferShape(op: string, shape: readonly number[], size: number): number[] {
  let inferAt = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d)) {
      throw typeError(op, `shape[${i}] must be an integer, but received ${describe(d)}`);
    }
    if (d === -1) {
      if (inferAt >= 0) throw rangeError(op, `only one dimension can be -1, but shape ${formatShape(shape)} has several`);
      inferAt = i;
    } else if (d < 0) {
      throw rangeError(op, `shape[${i}] must be a non-negative integer or -1, but received ${d}`);
    } else {
      known *= d;
    }
  });
  const out = shape.slice();
  if (inferAt >= 0) {
    if (known === 0 || size % known !== 0) {
      throw shapeError(op, `cannot reshape a tensor of ${size} elements into shape ${formatShape(shape)}`);
    }
    out[inferAt] = size / known;
  } else if (known !== size) {
    throw shapeError(op, `cannot reshape a tensor of ${size} elements into shape ${formatShape(shape)}`);
  }
  return out;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
