/** The loss fit and evaluate call: checking it, calling it, and adding its batches up per sample. */
import { rangeError, typeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';

/**
 * A loss: a function or a module with forward(output, target), returning a one-element tensor.
 * Reported losses are per sample whatever the batch size: a mean loss (the default, and any
 * plain function) is averaged over the data with each batch weighted by its samples; a loss
 * reducing by "sum" (an nn loss's options.reduction, or a `reduction` property) is summed
 * over the data and divided by the number of samples. Reduction "none" is refused.
 */
export type LossFunction = ((output: Tensor, target: Tensor) => Tensor) | { forward(output: Tensor, target: Tensor): Tensor };

/** How a loss reduces a batch to one number. */
export type LossReduction = 'mean' | 'sum';

export function callLoss(loss: LossFunction, out: Tensor, target: Tensor): Tensor {
  const value = typeof loss === 'function' ? loss(out, target) : loss.forward(out, target);
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw typeError('fit', `the loss must return a one-element Tensor, but returned ${describe(value)}`);
  }
  return value;
}

export function checkLoss(op: string, loss: unknown): LossFunction {
  if (typeof loss === 'function') return loss as LossFunction;
  if (typeof loss === 'object' && loss !== null && typeof (loss as { forward?: unknown }).forward === 'function') return loss as LossFunction;
  throw typeError(op, `options.loss must be a loss module or function, but received ${describe(loss)}`);
}

/** How the loss reduces a batch to one number, which decides how batches add up. */
export function lossReduction(op: string, loss: LossFunction): LossReduction {
  if (typeof loss === 'function') return 'mean';
  const l = loss as { reduction?: unknown; options?: { reduction?: unknown } };
  const r = l.reduction ?? l.options?.reduction ?? 'mean';
  if (r === 'mean' || r === 'sum') return r;
  // KLDiv's batchmean is a mean per sample.
  if (r === 'batchmean') return 'mean';
  throw rangeError(op, `options.loss has reduction ${typeof r === 'string' ? `"${r}"` : describe(r)}, but fit and evaluate need one number per batch: use reduction "mean" or "sum"`);
}

/** A batch's share of the data's total loss: a mean counts once per sample, a sum as it is. */
export function batchTotal(value: number, samples: number, reduction: LossReduction): number {
  return reduction === 'sum' ? value : value * samples;
}
