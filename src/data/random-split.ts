/** randomSplit: disjoint random subsets of given sizes (or fractions), as torch.utils.data.random_split. */
import { rangeError, typeError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { describe, readOptions } from '../validate.js';
import { type Dataset, Subset } from './dataset.js';

export function randomSplit(dataset: Dataset, lengths: readonly number[], options?: { generator?: Generator }): Subset[] {
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
      if (!Number.isInteger(l) || l < 0) throw rangeError(op, `lengths[${i}] must be a non-negative integer or a fraction, but received ${l}`);
    });
    sizes = lengths.slice();
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw rangeError(op, `lengths sum to ${total} but the dataset has ${n} samples`);
  }
  const perm = ((o.generator as Generator | undefined) ?? defaultGenerator).randperm(n);
  const out: Subset[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(new Subset(dataset, perm.subarray(start, start + s)));
    start += s;
  }
  return out;
}
