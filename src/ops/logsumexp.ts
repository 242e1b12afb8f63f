/**
 * logsumexp as torch.logsumexp in PyTorch 1.13: log(sum(exp(x))) over a dim or a list of
 * dims, shifted by the max m of each slice for stability: log(sum(exp(x - m))) + m.
 * PyTorch replaces an infinite m by 0 (so an all -Inf slice gives -Inf and a slice with
 * +Inf gives +Inf, not NaN); a NaN anywhere in a slice gives NaN. Here an infinite m is
 * clamped to +-FLT_MAX instead, which gives the same results in every case (x - FLT_MAX
 * keeps +Inf, sends finite values to exp = 0; -Inf - -FLT_MAX stays -Inf) and keeps the
 * whole computation in native passes: max, clamp, sub, exp, sum, log, add.
 *
 * Backward is PyTorch's logsumexp_backward, grad * exp(x - out) (the softmax of the
 * slice when finite). At the special values it follows from the formula as in PyTorch:
 * NaN at +Inf entries (Inf - Inf) and over all -Inf slices, 0 at the finite entries of
 * a slice holding +Inf, NaN over slices with a NaN; and exp(0) = 1 where x equals out
 * (two entries of 1e30: out = 1e30 in float32, each gradient 1, as PyTorch gives).
 */
import { record } from '../autograd/engine.js';
import { rangeError, typeError } from '../errors.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, readOptions } from '../validate.js';
import { add, dimsOf, mul, sub, sum } from './arith.js';
import { clamp, exp, log } from './math.js';
import * as R from './reduce.js';

export interface LogsumexpOptions {
  /** Keep the reduced dimensions with size 1 (default false). */
  keepdim?: boolean;
}

const FLT_MAX = 3.4028234663852886e38;

/**
 * log(sum(exp(x))) along `dim` (an integer, negative from the end, or a non-empty list
 * of them), computed stably. Over a dimension of size 0 it is -Infinity (log 0).
 */
export function logsumexp(x: Tensor, dim: number | readonly number[], options?: LogsumexpOptions): Tensor {
  const op = 'logsumexp';
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, ['keepdim'] as const);
  const keepdim = o.keepdim === undefined ? false : expectBoolean(op, 'options.keepdim', o.keepdim);
  if (typeof dim !== 'number' && !Array.isArray(dim)) {
    throw typeError(op, `dim must be an integer or a non-empty array of integers, but received ${describe(dim)}`);
  }
  if (Array.isArray(dim) && dim.length === 0) {
    // PyTorch 1.13 fails on dim=[] too (its amax and sum disagree on the shape).
    throw rangeError(op, 'dim must be an integer or a non-empty array of integers, but received an empty array (list every dimension to reduce them all)');
  }
  const dims = dimsOf(op, x, dim);
  const kept = x.ndim === 0 ? [] : x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = keepdim ? kept : x.shape.filter((_, i) => !dims.includes(i));
  // The forward runs outside the graph; one node below carries PyTorch's backward.
  const xd = x.detach();
  let s: Tensor;
  let shift: Tensor | null = null;
  if (x.size === 0) {
    s = sum(exp(xd), dims, { keepdim: true });
  } else {
    let m = xd;
    for (const d of dims) m = R.maxAlong(m, d, { keepdim: true }).values;
    shift = clamp(m, { min: -FLT_MAX, max: FLT_MAX });
    s = sum(exp(sub(xd, shift)), dims, { keepdim: true });
  }
  const lse = shift === null ? log(s) : add(log(s), shift);
  const out = new Tensor(lse.data, outShape);
  record('LogsumexpBackward', [x], [out], ([g]) => {
    const gk = new Tensor(g!.data, kept);
    const outK = new Tensor(out.data, kept);
    return [mul(exp(sub(x.detach(), outK)), gk)];
  }, [x, out]);
  return out;
}
