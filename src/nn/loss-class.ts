/**
 * What PyTorch's class losses accept beyond rows [N, C]: the K-dimensional case (input
 * [N, C, d1, ...], a class per position, target [N, d1, ...]) is moved to rows of C
 * by putting the class dimension last (one recorded permute), so the fused row kernels
 * and their weight / ignoreIndex semantics apply unchanged; and cross-entropy against
 * class probabilities (a target shaped like the input, PyTorch 1.13's soft targets).
 */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError } from '../errors.js';
import type { LossReduction } from '../ops/loss.js';
import { crossEntropyProbLoss } from '../ops/loss-prob.js';
import { permute } from '../ops/shape-ops.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { expectFinite, expectInteger } from '../validate.js';
import { copyOf } from '../memory.js';

export interface ClassRows {
  /** [M, C]: one row of class scores per prediction, recorded for autograd. */
  rows: Tensor;
  /** Shape of the unreduced losses: [] for an input [C], [N] for [N, C], [N, d1, ...] for [N, C, d1, ...]. */
  lossShape: number[];
}

/** input [C], [N, C] or [N, C, d1, ...] as rows of C class scores. */
export function classRows(op: string, input: Tensor): ClassRows {
  if (input.ndim === 0) throw shapeError(op, 'input must be [C], [N, C] or [N, C, d1, ...], but is 0-d');
  const C = input.shape[input.ndim === 1 ? 0 : 1]!;
  if (input.ndim === 1) return { rows: input.reshape(1, C), lossShape: [] };
  if (input.ndim === 2) return { rows: input, lossShape: [input.shape[0]!] };
  const lossShape = [input.shape[0]!, ...input.shape.slice(2)];
  const classLast = [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2), 1];
  return { rows: permute(input, classLast).reshape(shapeSize(lossShape), C), lossShape };
}

/**
 * Class indices for a K-dimensional input, checked against its positions: a Tensor must
 * have the loss shape [N, d1, ...], a typed array one index per position.
 */
export function positionTargets<T extends Tensor | Int32Array | Float32Array>(op: string, input: Tensor, target: T, lossShape: readonly number[]): T {
  if (input.ndim < 3) return target;
  if (target instanceof Tensor) {
    if (target.ndim !== lossShape.length || target.shape.some((d, i) => d !== lossShape[i])) {
      throw shapeError(op, `target must have shape ${formatShape(lossShape)} (input ${formatShape(input.shape)} without its class dimension 1), but has shape ${formatShape(target.shape)}`);
    }
  } else if (target.length !== shapeSize(lossShape)) {
    throw shapeError(op, `target must hold ${shapeSize(lossShape)} class indices (one per position of ${formatShape(lossShape)}), but has ${target.length}`);
  }
  return target;
}

/** The unreduced losses [M] in the loss shape (a view); reduced losses as they are. */
export function lossesInShape(out: Tensor, reduction: LossReduction, lossShape: readonly number[]): Tensor {
  if (reduction !== 'none' || (out.ndim === lossShape.length && out.shape.every((d, i) => d === lossShape[i]))) return out;
  return out.reshape(lossShape);
}

export interface ProbabilityOptions {
  weight?: unknown;
  ignoreIndex?: unknown;
  labelSmoothing?: unknown;
}

/** True when cross-entropy's target holds class probabilities: a Tensor of the input's shape, as PyTorch decides. */
export function isProbabilityTarget(input: unknown, target: unknown): target is Tensor {
  return input instanceof Tensor && target instanceof Tensor && input.ndim >= 1 && target.ndim === input.ndim && target.shape.every((d, i) => d === input.shape[i]);
}

/** Scales a per-row (reduction 'none') or whole (reduced) gradient by the incoming one. */
function scaled(grad: Tensor, g: Tensor, reduction: LossReduction): Tensor {
  const d = copyOf(grad.data);
  const gd = g.data;
  if (reduction !== 'none') {
    if (gd[0] !== 1) for (let i = 0; i < d.length; i++) d[i]! *= gd[0]!;
  } else {
    const cols = d.length / Math.max(1, gd.length);
    for (let row = 0; row < gd.length; row++) for (let j = 0; j < cols; j++) d[row * cols + j]! *= gd[row]!;
  }
  return new Tensor(d, grad.shape);
}

/**
 * Cross-entropy of logits against class probabilities of the same shape ([C], [N, C] or
 * [N, C, d1, ...]); gradients flow to the input and to the target.
 */
export function crossEntropyProbabilities(op: string, input: Tensor, target: Tensor, o: ProbabilityOptions, reduction: LossReduction): Tensor {
  const C = input.shape[input.ndim === 1 ? 0 : 1]!;
  const weight = o.weight === undefined ? null : expectTensor(op, 'options.weight', o.weight);
  if (weight && (weight.ndim !== 1 || weight.size !== C)) {
    throw shapeError(op, `options.weight must have shape [${C}] (one weight per class), but has shape ${formatShape(weight.shape)}`);
  }
  if (o.ignoreIndex !== undefined) {
    const ig = expectInteger(op, 'options.ignoreIndex', o.ignoreIndex, -(2 ** 31), 2 ** 31 - 1);
    // PyTorch: "ignore_index is not supported for floating point target"
    if (ig >= 0) throw rangeError(op, `options.ignoreIndex is not supported with class-probability targets (a target shaped like the input), so it must be negative, but received ${ig}`);
  }
  const ls = o.labelSmoothing === undefined ? 0 : expectFinite(op, 'options.labelSmoothing', o.labelSmoothing);
  if (ls < 0 || ls > 1) throw rangeError(op, `options.labelSmoothing must be in [0, 1], but received ${ls}`);
  const { rows, lossShape } = classRows(op, input);
  const targetRows = classRows(op, target).rows;
  const r = crossEntropyProbLoss(rows, targetRows, weight ? weight.data : null, ls, reduction);
  const out = reduction === 'none' ? r.losses! : new Tensor(Float32Array.of(r.value), []);
  record('CrossEntropyLossBackward', [rows, targetRows], [out], ([g]) => [scaled(r.grad, g!, reduction), scaled(r.targetGrad, g!, reduction)]);
  return lossesInShape(out, reduction, lossShape);
}
