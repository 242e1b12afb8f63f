/**
 * squeeze, unsqueeze and flatten as in PyTorch 1.13: views that only change the
 * shape (no copy, no arithmetic); the gradient is the output gradient reshaped back.
 */
import { record } from '../autograd/engine.js';
import { shapeError, typeError } from '../errors.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectInteger } from '../validate.js';

/** A view of x with `shape` (same element count) recorded as one node named `name`. */
function viewAs(name: string, x: Tensor, shape: readonly number[]): Tensor {
  const out = new Tensor(x.data, shape);
  const inputShape = x.shape;
  record(name, [x], [out], ([g]) => [new Tensor(g!.data, inputShape)]);
  return out;
}

/** A dim in [-n, n - 1] (n = max(ndim, 1): a 0-d tensor takes 0 and -1, as in PyTorch) made non-negative. */
function normDim(op: string, name: string, dim: unknown, ndim: number): number {
  const n = Math.max(ndim, 1);
  const d = expectInteger(op, name, dim, -n, n - 1);
  return d < 0 ? d + n : d;
}

/**
 * Removes size-1 dimensions: all of them without `dim`; with `dim`, that one if its
 * size is 1 and none otherwise (a no-op, as torch.squeeze in 1.13). One dim, not a list.
 */
export function squeeze(x: Tensor, dim?: number): Tensor {
  const op = 'squeeze';
  expectTensor(op, 'input', x);
  if (dim === undefined) return viewAs('SqueezeBackward', x, x.shape.filter((s) => s !== 1));
  if (typeof dim !== 'number') throw typeError(op, `dim must be an integer, but received ${describe(dim)}`);
  const d = normDim(op, 'dim', dim, x.ndim);
  const shape = x.ndim > 0 && x.shape[d] === 1 ? x.shape.filter((_, i) => i !== d) : [...x.shape];
  return viewAs('SqueezeBackward', x, shape);
}

/** Inserts a size-1 dimension at `dim`, in [-ndim - 1, ndim] (negative counts from the end of the result). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const op = 'unsqueeze';
  expectTensor(op, 'input', x);
  const d = expectInteger(op, 'dim', dim, -x.ndim - 1, x.ndim);
  const k = d < 0 ? d + x.ndim + 1 : d;
  const shape = [...x.shape];
  shape.splice(k, 0, 1);
  return viewAs('UnsqueezeBackward', x, shape);
}

/**
 * Merges dimensions startDim..endDim (inclusive, negative from the end) into one,
 * as torch.flatten: a 0-d tensor becomes [1]; startDim after endDim is an error.
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  const op = 'flatten';
  expectTensor(op, 'input', x);
  const s = normDim(op, 'startDim', startDim, x.ndim);
  const e = normDim(op, 'endDim', endDim, x.ndim);
  if (s > e) {
    throw shapeError(op, `startDim (${startDim}) cannot come after endDim (${endDim}) for an input of shape ${formatShape(x.shape)}`);
  }
  if (x.ndim === 0) return viewAs('FlattenBackward', x, [1]);
  let merged = 1;
  for (let i = s; i <= e; i++) merged *= x.shape[i]!;
  return viewAs('FlattenBackward', x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}
