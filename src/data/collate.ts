/**
 * The default collate: samples (tuples of fields) to one batch tensor per tuple
 * position, as torch.utils.data.default_collate does for tensors, numbers and
 * NumPy arrays.
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { isNumericArray, type NumericArray } from '../factories.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';

/** One position of a sample: a Tensor, a typed array of numbers, or a number. */
export type SampleField = Tensor | NumericArray | number;

/** A sample: one field per position, e.g. [features, label]. */
export type Sample = readonly SampleField[];

type Kind = 'Tensor' | 'typed array' | 'number';

function kindOf(v: unknown): Kind | null {
  if (v instanceof Tensor) return 'Tensor';
  if (isNumericArray(v)) return 'typed array';
  if (typeof v === 'number') return 'number';
  return null;
}

/**
 * Stacks samples into one tensor per position: Tensors of one shape S give
 * [batch, ...S]; typed arrays of one length L give [batch, L]; numbers (a class
 * index, a regression target) give [batch]. Values become float32, as every tensor
 * is (integers beyond 2^24 round). `indices` (the dataset index of each sample) only
 * names samples in errors.
 */
export function collateSamples(samples: readonly Sample[], indices?: ArrayLike<number>): Tensor[] {
  const op = 'collate';
  if (samples.length === 0) throw rangeError(op, 'cannot collate an empty batch');
  const name = (i: number) => (indices ? `sample ${i} (dataset index ${indices[i]})` : `sample ${i}`);
  samples.forEach((s, i) => {
    if (!Array.isArray(s)) {
      throw typeError(op, `${name(i)} must be an array of fields (Tensors, typed arrays or numbers), but received ${describe(s)}`);
    }
  });
  const fields = samples[0]!.length;
  const out: Tensor[] = [];
  for (let f = 0; f < fields; f++) {
    const first = samples[0]![f];
    const kind = kindOf(first);
    if (kind === null) {
      throw typeError(op, `${name(0)} position ${f} must be a Tensor, a typed array of numbers or a number, but received ${describe(first)}`);
    }
    const width = kind === 'Tensor' ? (first as Tensor).size : kind === 'typed array' ? (first as NumericArray).length : 1;
    const data = new Float32Array(samples.length * width);
    samples.forEach((s, i) => {
      if (s.length !== fields) throw shapeError(op, `${name(i)} has ${s.length} fields but ${name(0)} has ${fields}`);
      const v = s[f];
      if (kindOf(v) !== kind) {
        throw typeError(op, `${name(i)} position ${f} is ${describe(v)} but ${name(0)} has ${describe(first)} there; each position needs the same kind of value in every sample`);
      }
      if (kind === 'number') {
        data[i] = v as number;
      } else if (kind === 'Tensor') {
        const t = v as Tensor;
        if (!shapesEqual(t.shape, (first as Tensor).shape)) {
          throw shapeError(op, `${name(i)} position ${f} has shape ${formatShape(t.shape)} but ${name(0)} has shape ${formatShape((first as Tensor).shape)}`);
        }
        data.set(t.data, i * width);
      } else {
        const a = v as NumericArray;
        if (a.length !== width) throw shapeError(op, `${name(i)} position ${f} has length ${a.length} but ${name(0)} has length ${width}`);
        data.set(a, i * width);
      }
    });
    const shape = kind === 'Tensor' ? [samples.length, ...(first as Tensor).shape] : kind === 'typed array' ? [samples.length, width] : [samples.length];
    out.push(new Tensor(data, shape));
  }
  return out;
}
