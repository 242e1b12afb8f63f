/**
 * var and std as in PyTorch 1.13: over every element or a dim / list of dims, with
 * Bessel's correction by default (unbiased = true, correction = 1), dividing the sum
 * of squared deviations by max(0, N - correction): N <= correction gives Inf, or NaN
 * when the deviations are all zero (and always NaN for N = 0), as PyTorch does.
 *
 * Composed from the differentiable arithmetic (native sums and elementwise kernels),
 * two-pass as PyTorch's CPU kernel is numerically (it runs Welford in double): the
 * mean first, then the sum of squared deviations from it, so a large mean does not
 * cancel the variance away as E[x^2] - E[x]^2 would in float32. Cost: one pass for
 * the mean, one for x - mean (a JS broadcast copy unless the reduced dims are the
 * last or the leading ones), one square, one sum: some extra memory traffic and
 * temporaries against a fused kernel, no new native code.
 *
 * Known divergence: for correction > N PyTorch 1.13's forward clamps the divisor to 0
 * (Inf/NaN) but its backward divides by the negative N - correction; here backward
 * differentiates the forward actually computed (Inf/NaN gradients). For N = correction
 * the two agree.
 */
import { record } from '../autograd/engine.js';
import { rangeError, typeError } from '../errors.js';
import { floats } from '../memory.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, readOptions } from '../validate.js';
import { dimsOf, div, mean, mul, sub, sum } from './arith.js';

export interface VarianceOptions {
  /** Subtracted from the element count N in the divisor (default 1: the unbiased estimate). Not with `unbiased`. */
  correction?: number;
  /** true for correction 1 (the default), false for 0. PyTorch's older spelling; not with `correction`. */
  unbiased?: boolean;
  /** Keep reduced dimensions with size 1 (default false). */
  keepdim?: boolean;
}

const OPTIONS = ['correction', 'unbiased', 'keepdim'] as const;

function reduceVar(op: string, x: Tensor, dim: number | readonly number[] | null | undefined, options: VarianceOptions | undefined): Tensor {
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, OPTIONS);
  if (o.correction !== undefined && o.unbiased !== undefined) {
    throw rangeError(op, `options.correction and options.unbiased cannot both be given, but received correction ${describe(o.correction)} and unbiased ${describe(o.unbiased)}`);
  }
  let correction = 1;
  if (o.correction !== undefined) {
    if (typeof o.correction !== 'number') throw typeError(op, `options.correction must be an integer, but received ${describe(o.correction)}`);
    if (!Number.isSafeInteger(o.correction)) throw rangeError(op, `options.correction must be an integer, but received ${o.correction}`);
    correction = o.correction;
  }
  if (o.unbiased !== undefined) correction = expectBoolean(op, 'options.unbiased', o.unbiased) ? 1 : 0;
  const keepdim = o.keepdim === undefined ? false : expectBoolean(op, 'options.keepdim', o.keepdim);
  if (dim !== undefined && dim !== null && typeof dim !== 'number' && !Array.isArray(dim)) {
    throw typeError(op, `dim must be an integer, an array of integers or undefined, but received ${describe(dim)}`);
  }
  const dims = dimsOf(op, x, dim ?? undefined);
  let n = 1;
  for (const d of dims) n *= x.ndim === 0 ? 1 : x.shape[d]!;
  // The mean outside the graph: sum(x - mean) = 0, so no gradient flows through it and
  // backward is PyTorch's 2 (x - mean) / (N - correction) exactly.
  const mu = mean(x.detach(), dims, { keepdim: true });
  const dev = sub(x, mu);
  const ss = sum(mul(dev, dev), dims, { keepdim });
  return div(ss, Math.max(0, n - correction));
}

/** Variance over all elements or along dim(s); `var` in the public API (a reserved word in JS). */
export function variance(x: Tensor, dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor {
  return reduceVar('var', x, dim, options);
}

/**
 * Standard deviation: sqrt(var). Backward is PyTorch's: grad / (2 std), set to 0
 * where std is 0 (a constant input gets a zero gradient, not NaN).
 */
export function std(x: Tensor, dim?: number | readonly number[] | null, options?: VarianceOptions): Tensor {
  const v = reduceVar('std', x, dim, options);
  const out = new Tensor(floats(v.size), v.shape);
  for (let i = 0; i < out.size; i++) out.data[i] = Math.sqrt(v.data[i]!);
  record('StdBackward', [v], [out], ([g]) => {
    const gv = new Tensor(floats(out.size), out.shape);
    for (let i = 0; i < gv.size; i++) {
      const s = out.data[i]!;
      gv.data[i] = s === 0 ? 0 : g!.data[i]! / (2 * s);
    }
    return [gv];
  }, [out]);
  return out;
}
