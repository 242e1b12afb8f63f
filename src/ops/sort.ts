/**
 * sort, argsort and topk along a dimension with gradients, as PyTorch 1.13, over the
 * native kernel of native/core/sort.cpp. Indices are an Int32Array laid out like the
 * values (as max/argmax return them here).
 *
 * Order: NaN sorts as the largest value (last ascending, first descending), -0 and +0
 * tie, as in PyTorch. The sort is always stable, so ties keep their original order
 * whether or not `stable` is set: PyTorch's default (unstable) sort may order ties
 * differently (it does on longer rows), ours is deterministic. topk takes the first k
 * of that order, so its ties also come in index order (PyTorch's topk picks and orders
 * tied elements arbitrarily); with sorted: false the result is still sorted (PyTorch
 * leaves the order unspecified).
 *
 * Gradients of values scatter back to the selected positions of x (zero elsewhere).
 */
import { record } from '../autograd/engine.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';
import { expectTensor, Tensor } from '../tensor.js';
import { expectBoolean, expectInteger, readOptions } from '../validate.js';
import { axisView } from './axis-view.js';

export interface SortOptions {
  /** The dimension to sort along (negative counts from the end). Default -1. */
  dim?: number;
  /** Largest first (NaN first). Default false. */
  descending?: boolean;
  /** Keep the original order of ties. Default false; the sort is stable either way (see the module doc). */
  stable?: boolean;
}

export interface TopkOptions {
  /** The dimension to select along (negative counts from the end). Default -1. */
  dim?: number;
  /** The k largest (true, default) or the k smallest (false). */
  largest?: boolean;
  /** Return them in sorted order. Default true; they come sorted either way (see the module doc). */
  sorted?: boolean;
}

/** The first k of x sorted along the view's dim, as a recorded node. */
function sortedPrefix(
  op: string,
  node: string,
  x: Tensor,
  dim: unknown,
  k: number | null,
  descending: boolean,
): { values: Tensor; indices: Int32Array } {
  const v = axisView(op, x, dim);
  if (k !== null) expectInteger(op, 'k', k, 0, v.size);
  // A 0-d input gives 0-d results: its one element (PyTorch's topk of a 0-d tensor returns it even for k = 0).
  const kk = x.ndim === 0 ? 1 : k ?? v.size;
  const count = v.outer * kk * v.inner;
  const values = floatsForOverwrite(count);
  const indices = new Int32Array(count);
  native.sortFwd(x.data, v.outer, v.size, v.inner, kk, descending, values, indices);
  const shape = [...x.shape];
  if (x.ndim > 0) shape[v.dim] = kk;
  const result = new Tensor(values, shape);
  record(node, [x], [result], ([g]) => {
    const gx = floats(x.size);
    native.scatterAddDim(g!.data, v.outer, v.size, v.inner, kk, indices, gx);
    return [new Tensor(gx, x.shape)];
  });
  return { values: result, indices };
}

function sortFlags(op: string, options: SortOptions | undefined): { dim: unknown; descending: boolean } {
  const o = readOptions(op, options, ['dim', 'descending', 'stable'] as const);
  const descending = o.descending === undefined ? false : expectBoolean(op, 'options.descending', o.descending);
  if (o.stable !== undefined) expectBoolean(op, 'options.stable', o.stable);
  return { dim: o.dim === undefined ? -1 : o.dim, descending };
}

/**
 * x sorted along options.dim (default -1), ascending unless options.descending, with
 * the original positions of the sorted elements (torch.sort). Stable: ties keep their
 * order. The gradient of values flows back to the positions they came from.
 */
export function sort(x: Tensor, options?: SortOptions): { values: Tensor; indices: Int32Array } {
  expectTensor('sort', 'input', x);
  const f = sortFlags('sort', options);
  return sortedPrefix('sort', 'SortBackward', x, f.dim, null, f.descending);
}

/** The positions that sort x along options.dim (torch.argsort): sort(x, options).indices, never requiring grad. */
export function argsort(x: Tensor, options?: SortOptions): Int32Array {
  expectTensor('argsort', 'input', x);
  const f = sortFlags('argsort', options);
  const v = axisView('argsort', x, f.dim);
  const indices = new Int32Array(x.size);
  native.sortFwd(x.data, v.outer, v.size, v.inner, v.size, f.descending, floatsForOverwrite(x.size), indices);
  return indices;
}

/**
 * The k largest (options.largest, default) or smallest elements of x along options.dim
 * (default -1), in sorted order, with their positions (torch.topk). k is in [0, size of
 * dim]. The gradient of values flows back to the selected positions.
 */
export function topk(x: Tensor, k: number, options?: TopkOptions): { values: Tensor; indices: Int32Array } {
  const op = 'topk';
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, ['dim', 'largest', 'sorted'] as const);
  const largest = o.largest === undefined ? true : expectBoolean(op, 'options.largest', o.largest);
  if (o.sorted !== undefined) expectBoolean(op, 'options.sorted', o.sorted);
  return sortedPrefix(op, 'TopkBackward', x, o.dim === undefined ? -1 : o.dim, k, largest);
}
