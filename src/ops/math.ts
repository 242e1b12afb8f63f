/**
 * Elementwise math with autograd, as torch.exp, log, sqrt, abs, log1p, expm1, reciprocal,
 * square, pow(tensor, scalar) and clamp in PyTorch 1.13: values, gradients and special
 * values (NaN, +-Infinity, the sign of zero) follow its vectorised CPU kernels. Each call
 * is one native pass recorded with its native backward; this file only validates.
 *
 * Gradient conventions (PyTorch's): log'(+-0) = +-Infinity, sqrt'(+-0) = +-Infinity,
 * abs'(0) = abs'(NaN) = 0, reciprocal'(+-0) = -Infinity, pow(x, 0)' = 0 everywhere (NaN
 * too), pow(x, e)' = e * x ** (e - 1) otherwise (so 0.5 * 0 ** -0.5 = Infinity at 0),
 * clamp passes the gradient where min <= x <= max (bounds included, unlike hardtanh).
 */
import { rangeError, typeError } from '../errors.js';
import { applyActivation } from '../nn/activation.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { describe, expectFinite, readOptions } from '../validate.js';

/** e ** x. */
export const exp = (input: Tensor): Tensor => applyActivation('exp', input);
/** Natural logarithm: NaN below 0, -Infinity at +-0. */
export const log = (input: Tensor): Tensor => applyActivation('log', input);
/** Square root: NaN below 0, sqrt(-0) = -0. */
export const sqrt = (input: Tensor): Tensor => applyActivation('sqrt', input);
/** |x|. */
export const abs = (input: Tensor): Tensor => applyActivation('abs', input);
/** log(1 + x), accurate near 0. */
export const log1p = (input: Tensor): Tensor => applyActivation('log1p', input);
/** e ** x - 1, accurate near 0. */
export const expm1 = (input: Tensor): Tensor => applyActivation('expm1', input);
/** 1 / x. */
export const reciprocal = (input: Tensor): Tensor => applyActivation('reciprocal', input);
/** x * x. */
export const square = (input: Tensor): Tensor => applyActivation('square', input);

/**
 * x ** exponent elementwise, for a finite number exponent. As PyTorch, exponents 0, 1,
 * 0.5, 2, 3, -0.5, -1 and -2 take exact paths (x ** 0 = 1, NaN included; x ** 0.5 is
 * sqrt, so (-Infinity) ** 0.5 is NaN), others C's powf (NaN for x < 0 and a non-integer
 * exponent).
 */
export function pow(input: Tensor, exponent: number): Tensor {
  expectTensor('pow', 'input', input);
  const e = expectFinite('pow', 'exponent', exponent);
  return applyActivation('pow', input, { exponent: e });
}

export interface ClampOptions {
  /** Lower bound (may be -Infinity); omitted: none. */
  min?: number;
  /** Upper bound (may be Infinity); omitted: none. At least one of min and max is required. */
  max?: number;
}

/**
 * min(max(x, min), max) elementwise; NaN stays NaN. As PyTorch 1.13, min > max gives max
 * everywhere (with a zero gradient), and the gradient passes where min <= x <= max.
 */
export function clamp(input: Tensor, options: ClampOptions): Tensor {
  expectTensor('clamp', 'input', input);
  const opts = readOptions('clamp', options, ['min', 'max'] as const);
  if (opts.min === undefined && opts.max === undefined) {
    throw typeError('clamp', `at least one of options.min and options.max must be given, but received ${describe(options)}`);
  }
  const bound = (name: 'min' | 'max', fallback: number): number => {
    const v = opts[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number') throw typeError('clamp', `options.${name} must be a number, but received ${describe(v)}`);
    if (Number.isNaN(v)) throw rangeError('clamp', `options.${name} must be a number other than NaN, but received NaN`);
    return v;
  };
  return applyActivation('clamp', input, { min: bound('min', -Infinity), max: bound('max', Infinity) });
}
