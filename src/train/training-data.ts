/** The data fit trains and validates on: a Dataset or { x, y } tensors, and options.validationSplit's hold-out. */
import { type Dataset, Subset, TensorDataset } from '../data/dataset.js';
import { rangeError, typeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe, expectFinite } from '../validate.js';

/** Training data: a Dataset of (input, target) samples, or tensors { x, y }. */
export type TrainingData = Dataset | { x: Tensor; y: Tensor };

export function toDataset(op: string, name: string, data: unknown): Dataset {
  if (data instanceof TensorDataset || data instanceof Subset) return data;
  if (typeof data === 'object' && data !== null) {
    const d = data as { x?: unknown; y?: unknown; length?: unknown; get?: unknown };
    if (d.x instanceof Tensor && d.y instanceof Tensor) return new TensorDataset(d.x, d.y);
    if (typeof d.length === 'number' && typeof d.get === 'function') return data as Dataset;
  }
  throw typeError(op, `${name} must be a Dataset or { x, y } Tensors, but received ${describe(data)}`);
}

/**
 * fit's training and validation sets: `data`, and options.validationData, or else the last
 * floor(n * options.validationSplit) samples of `data` held out. Neither may be empty.
 */
export function trainingAndValidation(op: string, data: unknown, validationData: unknown, validationSplit: unknown): { train: Dataset; validation: Dataset | null } {
  let train = toDataset(op, 'data', data);
  if (train.length === 0) throw rangeError(op, 'data has no samples');
  let validation = validationData === undefined ? null : toDataset(op, 'options.validationData', validationData);
  if (validation?.length === 0) throw rangeError(op, 'options.validationData has no samples (its loss and metrics would be NaN)');
  if (validationSplit !== undefined) {
    const split = expectFinite(op, 'options.validationSplit', validationSplit);
    if (!(split > 0 && split < 1)) throw rangeError(op, `options.validationSplit must be in (0, 1), but received ${split}`);
    if (validation) throw rangeError(op, 'give options.validationData or options.validationSplit, not both');
    const n = train.length;
    const nVal = Math.floor(n * split);
    if (nVal === 0) {
      throw rangeError(op, `options.validationSplit ${split} of ${n} samples holds out none (floor(${n} * ${split}) = 0): give a split of at least ${1 / n} or options.validationData`);
    }
    const all = Array.from({ length: n }, (_, i) => i);
    validation = new Subset(train, all.slice(n - nVal));
    train = new Subset(train, all.slice(0, n - nVal));
  }
  return { train, validation };
}
