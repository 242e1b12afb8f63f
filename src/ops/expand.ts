/**
 * expand and broadcastTo as torch.Tensor.expand and torch.broadcast_to in PyTorch 1.13:
 * the shape is aligned with x's from the right; -1 keeps a dimension's size, new leading
 * dimensions may be added (any size >= 0, not -1) and only size-1 dimensions can grow
 * (to any size, 0 included).
 *
 * One difference: axonal has no views, so the result is a new contiguous tensor holding
 * the repeated values (PyTorch returns a stride-0 view of x). It costs its full size in
 * memory, and writing into it does not write into x. The gradient is the output
 * gradient summed back to x's shape (over the new leading dimensions and the grown
 * size-1 ones), as PyTorch's ExpandBackward.
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { formatShape, MAX_ELEMENTS, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { expandData, reduceToShape } from './arith.js';

/** The target shape with -1 resolved, or an error naming `op` and the entry at fault. */
function targetShape(op: string, x: Tensor, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw typeError(op, `shape must be an array of integers, but received ${describe(shape)}`);
  const given = formatShape(shape as unknown[] as number[]);
  const input = formatShape(x.shape);
  shape.forEach((d: unknown, i) => {
    if (typeof d !== 'number') throw typeError(op, `shape[${i}] must be an integer, but received ${describe(d)}`);
    if (!Number.isInteger(d) || d < -1) throw rangeError(op, `shape[${i}] must be a non-negative integer or -1, but received ${d}`);
  });
  if (shape.length < x.ndim) {
    throw shapeError(op, `shape must have at least ${x.ndim} entries (one per dimension of the input of shape ${input}), but received ${given}`);
  }
  const lead = shape.length - x.ndim;
  const out = (shape as number[]).map((d, i) => {
    if (i < lead) {
      if (d === -1) {
        throw shapeError(op, `shape[${i}] must be a size >= 0 in a new leading dimension (-1 only keeps one of the input's dimensions), but received -1 (shape ${given}, input shape ${input})`);
      }
      return d;
    }
    const s = x.shape[i - lead]!;
    if (d === -1 || d === s) return s;
    if (s !== 1) {
      throw shapeError(op, `shape[${i}] must be ${s} (the input's size at dimension ${i - lead}; only size-1 dimensions can grow) or -1, but received ${d} (shape ${given}, input shape ${input})`);
    }
    return d;
  });
  const size = shapeSize(out);
  if (size > MAX_ELEMENTS) {
    throw rangeError(op, `shape ${formatShape(out)} has ${size} elements, more than the ${MAX_ELEMENTS} a tensor can hold`);
  }
  return out;
}

function expandAs(op: string, x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(op, 'input', x);
  const target = targetShape(op, x, shape);
  const out = new Tensor(expandData(x, target), target);
  const inputShape = x.shape;
  record('ExpandBackward', [x], [out], ([g]) => [reduceToShape(g!, inputShape)]);
  return out;
}

/**
 * x repeated along its size-1 dimensions (and new leading ones) to `shape`, as
 * torch.Tensor.expand: -1 keeps a dimension. A new contiguous tensor, not a view
 * (axonal has no views): it owns a copy of every repeated element.
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  return expandAs('expand', x, shape);
}

/**
 * x broadcast to `shape` under the broadcasting rules, as torch.broadcast_to (which is
 * expand in PyTorch 1.13, -1 included). A new contiguous tensor, not a view.
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return expandAs('broadcastTo', x, shape);
}
