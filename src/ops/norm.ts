/**
 * norm as torch.linalg.vector_norm in PyTorch 1.13 (its `ord` is `p` here): over every
 * element (dim undefined or []), a dim or a list of dims, with keepdim.
 *
 *   p = 2 (default)   sqrt(sum(x^2))        p = Infinity    max |x|
 *   p = 1             sum |x|               p = -Infinity   min |x|
 *   p = 0             count of x != 0 (NaN counts)
 *   other p           sum(|x|^p)^(1/p), negative p included (a zero entry makes it 0)
 *
 * As PyTorch 1.13 on the CPU, float32 throughout without rescaling: |x| >= ~1.8e19 with
 * p = 2 overflows to Infinity and a tiny |x| (1e-30) underflows to 0. Infinity, -Infinity and
 * negative p refuse to reduce a dimension of size 0 (no identity), as PyTorch does.
 *
 * Backward is PyTorch 1.13's norm_backward, formula by formula (g and norm kept-shaped):
 *   p = 0: no gradient;  p = 1: sgn(x) g;  p = 2: x (g / norm), 0 where norm = 0;
 *   p = +-Infinity: sgn(x) (g / count) mask, mask = (|x| == norm or |x| is NaN) and count
 *     its sum over the slice: tied extrema share the gradient evenly;
 *   p < 1: sgn(x) |x|^(p-1) (0 where x = 0) g norm^(1-p);
 *   1 < p < 2: sgn(x) |x|^(p-1) g / norm^(p-1);  p > 2: x |x|^(p-2) g / norm^(p-1),
 *     the last factor 0 where norm = 0.
 * sgn(NaN) = 0 as PyTorch's. Every step is a native pass, the masks and masked_fill
 * included (the compare and where kernels of native/core/select.cpp).
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectInteger, readOptions } from '../validate.js';
import { activationBackward } from './activation.js';
import { add, dimsOf, div, expandData, mul, sum } from './arith.js';
import { abs, pow, sqrt, square } from './math.js';
import * as R from './reduce.js';

export interface NormOptions {
  /** The order (PyTorch's `ord`): any number, Infinity or -Infinity; 0 counts the nonzero entries. Default 2. */
  p?: number;
  /** A dim or list of dims to reduce (negative from the end); undefined or [] reduces every element. */
  dim?: number | readonly number[];
  /** Keep the reduced dimensions with size 1 (default false). */
  keepdim?: boolean;
}

const OPTIONS = ['p', 'dim', 'keepdim'] as const;

/** The reduction dims, checked under the name options.dim. */
function normDims(op: string, x: Tensor, dim: unknown): number[] {
  if (dim === undefined) return dimsOf(op, x, undefined);
  const nd = Math.max(1, x.ndim);
  if (typeof dim === 'number') {
    expectInteger(op, 'options.dim', dim, -nd, nd - 1);
  } else if (Array.isArray(dim)) {
    dim.forEach((d: unknown, i) => expectInteger(op, `options.dim[${i}]`, d, -nd, nd - 1));
    const norm = dim.map((d: number) => (d < 0 ? d + nd : d));
    if (new Set(norm).size !== norm.length) throw shapeError(op, `options.dim ${formatShape(dim)} repeats a dimension`);
  } else {
    throw typeError(op, `options.dim must be an integer, an array of integers or undefined, but received ${describe(dim)}`);
  }
  return dimsOf(op, x, dim as number | number[]);
}

const ZERO = Float32Array.of(0);

/** PyTorch's boolean a == b (eq) or a != b (ne) as a float 0/1 tensor of a's shape; b has a's size or one element. */
function compare(kind: 'compareEq' | 'compareNe', a: Tensor, b: Float32Array): Tensor {
  const out = floatsForOverwrite(a.size);
  native[kind](a.data, b, out);
  return new Tensor(out, a.shape);
}

/** PyTorch's t.masked_fill(mask, 0) (mask: 0/1, t's shape): one native select. */
function zeroWhere(t: Tensor, mask: Tensor): Tensor {
  const out = floatsForOverwrite(t.size);
  native.whereSelect(mask.data, ZERO, t.data, out);
  return new Tensor(out, t.shape);
}

/** sgn(x) * v elementwise (sgn(+-0) = sgn(NaN) = 0): the native abs backward. */
const sgnTimes = (x: Tensor, v: Tensor): Tensor => activationBackward('abs', x, v);

/** Max over `dims` (kept as size 1), NaN winning, by the native max reduction. */
function amax(t: Tensor, dims: readonly number[]): Tensor {
  let m = t;
  for (const d of dims) m = R.maxAlong(m, d, { keepdim: true }).values;
  return m;
}

/** The norm over `dims` with the reduced dims kept (size 1), outside the graph. */
function normForward(a: Tensor, x: Tensor, p: number, dims: readonly number[]): Tensor {
  const keep = { keepdim: true };
  if (p === Infinity) return amax(a, dims);
  if (p === -Infinity) return R.scale(amax(R.scale(a, -1), dims), -1);
  if (p === 0) return sum(compare('compareNe', x, ZERO), dims, keep);
  if (p === 1) return sum(a, dims, keep);
  if (p === 2) return sqrt(sum(square(x), dims, keep));
  return pow(sum(pow(a, p), dims, keep), 1 / p);
}

/**
 * The p-norm of x over every element or along dim(s), as torch.linalg.vector_norm
 * (options.p is its `ord`, default 2).
 */
export function norm(x: Tensor, options?: NormOptions): Tensor {
  const op = 'norm';
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, OPTIONS);
  let p = 2;
  if (o.p !== undefined) {
    if (typeof o.p !== 'number') throw typeError(op, `options.p must be a number (Infinity and -Infinity included), but received ${describe(o.p)}`);
    if (Number.isNaN(o.p)) throw rangeError(op, 'options.p must be a number (Infinity and -Infinity included), but received NaN');
    if (o.p !== 0 && Number.isFinite(o.p) && !Number.isFinite(1 / o.p)) {
      throw rangeError(op, `options.p must be 0 or have a finite reciprocal 1 / p, but received ${o.p}`);
    }
    p = o.p;
  }
  const keepdim = o.keepdim === undefined ? false : expectBoolean(op, 'options.keepdim', o.keepdim);
  const dims = normDims(op, x, o.dim);
  if (p < 0 || p === Infinity) {
    // No identity for max, min or a negative power sum: PyTorch refuses empty reductions.
    const empty = x.ndim === 0 ? undefined : dims.find((d) => x.shape[d] === 0);
    if (empty !== undefined) {
      throw shapeError(op, `expected reduction dim ${empty} to have non-zero size for options.p ${p} (the reduction has no identity), but input has shape ${formatShape(x.shape)}`);
    }
  }
  const kept = x.ndim === 0 ? [] : x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const outShape = keepdim ? kept : x.shape.filter((_, i) => !dims.includes(i));
  const xd = x.detach();
  const a = abs(xd);
  const nk = normForward(a, xd, p, dims);
  const out = new Tensor(nk.data, outShape);
  record('LinalgVectorNormBackward', [x], [out], ([g]) => {
    if (p === 0) return [null];
    const gk = new Tensor(g!.data, kept);
    const normK = new Tensor(out.data, kept);
    if (p === 1) return [sgnTimes(xd, new Tensor(expandData(gk, x.shape), x.shape))];
    if (p === 2) return [mul(xd, zeroWhere(div(gk, normK), compare('compareEq', normK, ZERO)))];
    if (p === Infinity || p === -Infinity) {
      // |x| == norm, or |x| is NaN (a != a): exclusive, so the sum is their logical or.
      const mask = add(compare('compareEq', a, expandData(normK, x.shape)), compare('compareNe', a, a.data));
      const share = div(gk, sum(mask, dims, { keepdim: true }));
      return [sgnTimes(xd, mul(mask, share))];
    }
    if (p < 1) {
      const scaled = zeroWhere(sgnTimes(xd, pow(a, p - 1)), compare('compareEq', xd, ZERO));
      return [mul(scaled, mul(gk, pow(normK, 1 - p)))];
    }
    const scaled = p < 2 ? sgnTimes(xd, pow(a, p - 1)) : mul(xd, pow(a, p - 2));
    const scale = zeroWhere(div(gk, pow(normK, p - 1)), compare('compareEq', normK, ZERO));
    return [mul(scaled, scale)];
  }, [x, out]);
  return out;
}
