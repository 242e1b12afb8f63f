/** nn.utils: gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. */
import { AxonalError, ErrorCode, typeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, readOptions } from '../validate.js';

function gradsOf(op: string, parameters: Iterable<Tensor> | Tensor): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : Array.from(parameters as Iterable<unknown>);
  return list
    .map((p, i) => {
      if (!(p instanceof Tensor)) throw typeError(op, `parameters[${i}] must be a Tensor, but received ${describe(p)}`);
      return p.grad;
    })
    .filter((g): g is Tensor => g !== null);
}

export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2; Infinity for the max norm). */
  normType?: number;
  /** Throw if the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

/**
 * Scales all gradients together so that their combined norm is at most maxNorm;
 * returns the norm before clipping.
 */
export function clipGradNorm_(parameters: Iterable<Tensor> | Tensor, maxNorm: number, options?: ClipGradNormOptions): number {
  const op = 'clipGradNorm_';
  expectFinite(op, 'maxNorm', maxNorm);
  const o = readOptions(op, options, ['normType', 'errorIfNonfinite'] as const);
  const normType = o.normType === undefined ? 2 : (o.normType as number);
  if (typeof normType !== 'number' || Number.isNaN(normType) || normType <= 0) throw typeError(op, `options.normType must be a positive number or Infinity, but received ${describe(o.normType)}`);
  const errorIfNonfinite = o.errorIfNonfinite === undefined ? false : expectBoolean(op, 'options.errorIfNonfinite', o.errorIfNonfinite);
  const grads = gradsOf(op, parameters);
  if (grads.length === 0) return 0;
  let total = 0;
  if (normType === Infinity) {
    for (const g of grads) for (const v of g.data) total = Math.max(total, Math.abs(v));
  } else {
    // Per-tensor norms, then the norm of those norms (PyTorch's order).
    let acc = 0;
    for (const g of grads) {
      let s = 0;
      for (const v of g.data) s += Math.abs(v) ** normType;
      acc += Math.fround(s ** (1 / normType)) ** normType;
    }
    total = acc ** (1 / normType);
  }
  total = Math.fround(total);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new AxonalError(`${op}: the total norm of order ${normType} of the gradients is ${total}; set errorIfNonfinite: false to clip anyway`, ErrorCode.State);
  }
  const coef = Math.min(1, Math.fround(maxNorm / (total + 1e-6)));
  if (coef < 1) for (const g of grads) for (let i = 0; i < g.data.length; i++) g.data[i]! *= coef;
  return total;
}

/** Clamps every gradient value to [-clipValue, clipValue]. */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  const op = 'clipGradValue_';
  const c = Math.abs(expectFinite(op, 'clipValue', clipValue));
  for (const g of gradsOf(op, parameters)) {
    for (let i = 0; i < g.data.length; i++) {
      const v = g.data[i]!;
      if (v > c) g.data[i] = c;
      else if (v < -c) g.data[i] = -c;
    }
  }
}
