/**
 * min and argmin along a dimension, as PyTorch 1.13: the first index on ties, a NaN
 * wins. Computed as the max of -x by the native max kernel (negation keeps NaN and
 * maps ties to ties, so the first-index and NaN rules carry over exactly); the
 * gradient goes to the selected element only, like max's.
 */
import { record } from '../autograd/engine.js';
import { Tensor } from '../tensor.js';
import { expectBoolean, readOptions } from '../validate.js';
import { checkMaxArgs, type ReductionDimOptions } from './arith.js';
import * as R from './reduce.js';

/** Minimum along dim with the indices of the minima (the first one, NaN wins, as PyTorch). */
export function min(x: Tensor, dim: number, options?: ReductionDimOptions): { values: Tensor; indices: Int32Array } {
  checkMaxArgs('min', x, dim);
  const o = readOptions('min', options, ['keepdim'] as const);
  if (o.keepdim !== undefined) expectBoolean('min', 'options.keepdim', o.keepdim);
  const negMax = R.maxAlong(R.scale(x, -1), dim, options);
  const values = R.scale(negMax.values, -1);
  const indices = negMax.indices;
  record('MinBackward', [x], [values], ([g]) => [R.maxAlongBackward(x, dim, g!, indices)]);
  return { values, indices };
}

/** Indices of the minima along dim (the first one, NaN wins). */
export function argmin(x: Tensor, dim: number): Int32Array {
  checkMaxArgs('argmin', x, dim);
  return R.argmax(R.scale(x, -1), dim);
}
