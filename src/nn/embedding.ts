/** nn.Embedding: a lookup table of vectors indexed by integer ids, weight [numEmbeddings, embeddingDim]. */
import { record } from '../autograd/engine.js';
import { rangeError, typeError } from '../errors.js';
import { zeros } from '../factories.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { normal_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';

export interface EmbeddingOptions {
  /** This id's vector stays zero and receives no gradient (negative counts from the end). */
  paddingIdx?: number;
  /**
   * Before each lookup, rows of the ids looked up whose normType-norm exceeds maxNorm are
   * rescaled in place to norm maxNorm (PyTorch's max_norm; default none).
   */
  maxNorm?: number | null;
  /** The p of the norm compared with maxNorm (default 2; Infinity for the largest magnitude). */
  normType?: number;
  /** Divide each id's weight gradient by how often it occurs in the batch (default false). */
  scaleGradByFreq?: boolean;
}

/** Integer ids from a Tensor of integer values, an Int32Array or a number[]; with their shape. */
export function readIndices(op: string, input: unknown, limit: number): { ids: Int32Array; shape: number[] } {
  let values: ArrayLike<number>;
  let shape: number[];
  if (input instanceof Tensor) {
    values = input.data;
    shape = input.shape.slice();
  } else if (input instanceof Int32Array) {
    values = input;
    shape = [input.length];
  } else if (Array.isArray(input)) {
    values = input as number[];
    shape = [input.length];
  } else {
    throw typeError(op, `input must be a Tensor of integer ids, an Int32Array or an array of numbers, but received ${describe(input)}`);
  }
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw rangeError(op, `input[${i}] = ${v} is not an index in [0, ${limit})`);
    }
    ids[i] = v;
  }
  return { ids, shape };
}

/**
 * PyTorch's embedding_renorm_: each distinct id's row whose p-norm exceeds maxNorm is
 * scaled in place by maxNorm / (norm + 1e-7). Not recorded: it changes the weight itself.
 */
function renormRows(w: Float32Array, d: number, ids: Int32Array, maxNorm: number, p: number): void {
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const row = w.subarray(id * d, (id + 1) * d);
    let norm = 0;
    if (p === Infinity) for (const v of row) norm = Math.max(norm, Math.abs(v));
    else {
      for (const v of row) norm += Math.abs(v) ** p;
      norm **= 1 / p;
    }
    if (norm > maxNorm) {
      const scale = maxNorm / (norm + 1e-7);
      for (let j = 0; j < d; j++) row[j] = row[j]! * scale;
    }
  }
}

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions) {
    super();
    const op = 'Embedding';
    this.numEmbeddings = expectInteger(op, 'numEmbeddings', numEmbeddings, 1);
    this.embeddingDim = expectInteger(op, 'embeddingDim', embeddingDim, 0);
    const o = readOptions(op, options, ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq'] as const);
    if (o.paddingIdx === undefined || o.paddingIdx === null) this.paddingIdx = null;
    else {
      const p = expectInteger(op, 'options.paddingIdx', o.paddingIdx, -numEmbeddings, numEmbeddings - 1);
      this.paddingIdx = p < 0 ? p + numEmbeddings : p;
    }
    if (o.maxNorm === undefined || o.maxNorm === null) this.maxNorm = null;
    else {
      const m = expectFinite(op, 'options.maxNorm', o.maxNorm);
      if (m < 0) throw rangeError(op, `options.maxNorm must be >= 0, but received ${m}`);
      this.maxNorm = m;
    }
    if (o.normType === undefined) this.normType = 2;
    else {
      if (typeof o.normType !== 'number') throw typeError(op, `options.normType must be a number, but received ${describe(o.normType)}`);
      if (!(o.normType > 0)) throw rangeError(op, `options.normType must be a positive number (or Infinity), but received ${o.normType}`);
      this.normType = o.normType;
    }
    this.scaleGradByFreq = o.scaleGradByFreq === undefined ? false : expectBoolean(op, 'options.scaleGradByFreq', o.scaleGradByFreq);
    this.weight = this.registerParameter('weight', new Parameter(zeros(numEmbeddings, embeddingDim)));
    this.resetParameters();
  }

  /** N(0, 1), with the padding row zeroed, as PyTorch. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) this.weight.data.fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim);
  }

  forward(input: Tensor | Int32Array | number[]): Tensor {
    const { ids, shape } = readIndices('Embedding', input, this.numEmbeddings);
    const rows = this.numEmbeddings;
    const d = this.embeddingDim;
    const w = this.weight;
    if (this.maxNorm !== null) renormRows(w.data, d, ids, this.maxNorm, this.normType);
    const out = floatsForOverwrite(ids.length * d);
    native.gatherRows(w.data, 1, rows, d, ids, out);
    const result = new Tensor(out, [...shape, d]);
    const skip = this.paddingIdx ?? -1;
    const scaleByFreq = this.scaleGradByFreq;
    record('EmbeddingBackward', [w], [result], ([g]) => {
      // Zeroed: rows of ids accumulate (a repeated id sums its gradients), the rest stay 0.
      const dw = floats(w.size);
      native.scatterAddRows(g!.data, 1, rows, d, ids, skip, dw);
      if (scaleByFreq) {
        // PyTorch scales each occurrence by 1 / (occurrences of its id): the summed row by the same
        const counts = new Int32Array(rows);
        for (const id of ids) counts[id]!++;
        for (let r = 0; r < rows; r++) {
          const c = counts[r]!;
          if (c > 1) for (let j = r * d; j < (r + 1) * d; j++) dw[j] = dw[j]! / c;
        }
      }
      return [new Tensor(dw, w.shape)];
    });
    return result;
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, paddingIdx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, maxNorm=${this.maxNorm}`;
    if (this.normType !== 2) s += `, normType=${this.normType}`;
    if (this.scaleGradByFreq) s += ', scaleGradByFreq=true';
    return s;
  }
}
