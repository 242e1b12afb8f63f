/** randomSplit: disjoint random subsets of given sizes (or fractions), as torch.utils.data.random_split. */
import { rangeError, typeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { describe, readOptions } from '../validate.js';
import type { Sample } from './collate.js';
import { type Dataset, Subset } from './dataset.js';

/**
 * Splits `dataset` into disjoint random subsets: `lengths` are sample counts that sum
 * to the dataset's length, or fractions in [0, 1] that sum to 1 (each floored, the
 * remainder handed out one at a time from the first, as PyTorch does).
 */
export function randomSplit<S extends Sample>(dataset: Dataset<S>, lengths: readonly number[], options?: { generator?: Generator }): Subset<S>[] {
  const op = 'randomSplit';
  const o = readOptions(op, options, ['generator'] as const);
  if (!Array.isArray(lengths) || lengths.length === 0) throw typeError(op, `lengths must be a non-empty array, but received ${describe(lengths)}`);
  const n = dataset.length;
  let sizes: number[];
  const fractional = lengths.every((l) => typeof l === 'number' && l >= 0 && l <= 1) && Math.abs(lengths.reduce((a, b) => a + b, 0) - 1) < 1e-9 && lengths.some((l) => !Number.isInteger(l));
  if (fractional) {
    // PyTorch: floor each, then hand the remainder out one by one, round-robin.
    sizes = lengths.map((f) => Math.floor(n * f));
    let rest = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % sizes.length, rest--) sizes[i]! += 1;
  } else {
    lengths.forEach((l, i) => {
      if (typeof l !== 'number') throw typeError(op, `lengths[${i}] must be a number, but received ${describe(l)}`);
    });
    const looksFractional = lengths.every((l) => l >= 0 && l <= 1) && lengths.some((l) => !Number.isInteger(l));
    if (looksFractional) {
      const sum = lengths.reduce((a, b) => a + b, 0);
      throw rangeError(op, `lengths [${lengths.join(', ')}] are fractions, which must sum to 1, but they sum to ${sum}`);
    }
    lengths.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0) throw rangeError(op, `lengths[${i}] must be a non-negative integer (a sample count) or a fraction in [0, 1], but received ${l}`);
    });
    sizes = lengths.slice();
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw rangeError(op, `lengths sum to ${total} but the dataset has ${n} samples`);
  }
  const perm = ((o.generator as Generator | undefined) ?? defaultGenerator).randperm(n);
  const out: Subset<S>[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(new Subset(dataset, perm.subarray(start, start + s)));
    start += s;
  }
  return out;
}
