/** nn.utils: gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (native reductions). */
import { typeError } from '../errors.js';
import { type ClipGradNormOptions, clipGradNorm, clipGradValue } from '../ops/optim-step.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';

export type { ClipGradNormOptions };

function gradsOf(op: string, parameters: Iterable<Tensor> | Tensor): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : Array.from(parameters as Iterable<unknown>);
  return list
    .map((p, i) => {
      if (!(p instanceof Tensor)) throw typeError(op, `parameters[${i}] must be a Tensor, but received ${describe(p)}`);
      return p.grad;
    })
    .filter((g): g is Tensor => g !== null);
}

/**
 * Scales all gradients together so that their combined norm is at most maxNorm
 * (one deterministic native reduction over every tensor); returns the norm
 * before clipping.
 */
export function clipGradNorm_(parameters: Iterable<Tensor> | Tensor, maxNorm: number, options?: ClipGradNormOptions): number {
  return clipGradNorm(gradsOf('clipGradNorm_', parameters), maxNorm, options);
}

/** Clamps every gradient value to [-clipValue, clipValue]. */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  clipGradValue(gradsOf('clipGradValue_', parameters), clipValue);
}
