/**
 * What the classification metrics read from a batch: the class count of the output,
 * the class-index targets (checked), and each row's predicted class.
 *
 * NaN follows torch.argmax / torch.topk: a NaN score ranks above every number, and
 * among equal scores (NaNs included) the lower index comes first. A sample whose own
 * target score is NaN is never counted as correct (a NaN is not a prediction).
 */
import { rangeError, shapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Output columns: the last dimension, or 1 for a 1-D output (a binary score per sample). */
export function classesOf(output: Tensor): number {
  if (output.ndim <= 1) return 1;
  return output.shape[output.ndim - 1]!;
}

/** Samples in the batch; the target must hold one class index per sample. */
export function rowsOf(op: string, output: Tensor, target: Tensor): number {
  const c = classesOf(output);
  const n = c === 0 ? 0 : output.size / c;
  if (target.size !== n) {
    throw shapeError(op, `target has shape ${formatShape(target.shape)} but output ${formatShape(output.shape)} has ${n} samples`);
  }
  return n;
}

/**
 * The targets as class indices, each checked to be an integer in [0, C): C is the
 * number of output columns, or 2 (targets 0 and 1) for a single column.
 */
export function classTargets(op: string, output: Tensor, target: Tensor): Int32Array {
  const n = rowsOf(op, output, target);
  const c = classesOf(output);
  const classes = c === 1 ? 2 : c;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = target.data[i]!;
    if (!(Number.isInteger(t) && t >= 0 && t < classes)) {
      const what = c === 1 ? 'a single output column takes binary targets 0 or 1' : `the output has ${classes} classes, so targets must be integers in [0, ${classes})`;
      throw rangeError(op, `target of sample ${i} is ${t}, but ${what}`);
    }
    out[i] = t;
  }
  return out;
}

export interface Predictions {
  /** The predicted class of each row: argmax (first NaN, else first maximum), or the thresholded single column. */
  readonly classes: Int32Array;
  /** 1 where the score behind the prediction is a number, 0 where it is NaN (never a correct prediction). */
  readonly scored: Uint8Array;
}

/** Predicted class per row (argmax as torch.argmax, or the single column thresholded). */
export function predictions(output: Tensor, threshold: number): Predictions {
  const c = classesOf(output);
  const n = c === 0 ? 0 : output.size / c;
  const classes = new Int32Array(n);
  const scored = new Uint8Array(n);
  const d = output.data;
  for (let i = 0; i < n; i++) {
    if (c === 1) {
      classes[i] = d[i]! > threshold ? 1 : 0;
      scored[i] = Number.isNaN(d[i]!) ? 0 : 1;
      continue;
    }
    let best = 0;
    let bestV = d[i * c]!;
    for (let j = 1; j < c && !Number.isNaN(bestV); j++) {
      const v = d[i * c + j]!;
      if (v > bestV || Number.isNaN(v)) {
        best = j;
        bestV = v;
      }
    }
    classes[i] = best;
    scored[i] = Number.isNaN(bestV) ? 0 : 1;
  }
  return { classes, scored };
}

/** Whether class `t` is among the k highest of row `i` (scores [n, c]); false when its own score is NaN. */
export function inTopK(scores: Float32Array, c: number, i: number, t: number, k: number): boolean {
  const v = scores[i * c + t]!;
  if (Number.isNaN(v)) return false;
  let above = 0;
  for (let j = 0; j < c; j++) {
    const o = scores[i * c + j]!;
    if (o > v || Number.isNaN(o) || (o === v && j < t)) above++;
  }
  return above < k;
}
