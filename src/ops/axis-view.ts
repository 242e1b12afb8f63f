/**
 * A tensor seen as [outer, size, inner] around one dimension: the layout the native
 * scan, sort and gather-along-dim kernels take. A 0-d tensor is one element along a
 * dimension of size 1 (dim 0 or -1), as PyTorch treats it.
 */
import { shapeSize } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expectInteger } from '../validate.js';

export interface AxisView {
  outer: number;
  size: number;
  inner: number;
  /** The dimension, made non-negative (0 for a 0-d tensor). */
  dim: number;
}

/** dim in [-n, n - 1], n = max(ndim, 1), made non-negative. */
export function normalizeDim(op: string, name: string, dim: unknown, ndim: number): number {
  const n = Math.max(1, ndim);
  const d = expectInteger(op, name, dim, -n, n - 1);
  return d < 0 ? d + n : d;
}

/** The [outer, size, inner] view of a tensor of `shape` around `dim` (already normalised). */
export function axisViewOf(shape: readonly number[], dim: number): AxisView {
  const s = shape.length === 0 ? [1] : shape;
  return { outer: shapeSize(s.slice(0, dim)), size: s[dim]!, inner: shapeSize(s.slice(dim + 1)), dim };
}

/** The [outer, size, inner] view of x around `dim` (validated: an integer in [-n, n - 1]). */
export function axisView(op: string, x: Tensor, dim: unknown, name = 'dim'): AxisView {
  return axisViewOf(x.shape, normalizeDim(op, name, dim, x.ndim));
}
