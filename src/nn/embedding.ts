/** nn.Embedding: a lookup table of vectors indexed by integer ids, weight [numEmbeddings, embeddingDim]. */
import { record } from '../autograd/engine.js';
import { rangeError, typeError } from '../errors.js';
import { zeros } from '../factories.js';
import { Tensor } from '../tensor.js';
import { describe, expectInteger, readOptions } from '../validate.js';
import { normal_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';

export interface EmbeddingOptions {
  /** This id's vector stays zero and receives no gradient (negative counts from the end). */
  paddingIdx?: number;
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

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  readonly weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions) {
    super();
    const op = 'Embedding';
    this.numEmbeddings = expectInteger(op, 'numEmbeddings', numEmbeddings, 1);
    this.embeddingDim = expectInteger(op, 'embeddingDim', embeddingDim, 0);
    const o = readOptions(op, options, ['paddingIdx'] as const);
    if (o.paddingIdx === undefined) this.paddingIdx = null;
    else {
      const p = expectInteger(op, 'options.paddingIdx', o.paddingIdx, -numEmbeddings, numEmbeddings - 1);
      this.paddingIdx = p < 0 ? p + numEmbeddings : p;
    }
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
    const out = floatsForOverwrite(ids.length * d);
    native.gatherRows(w.data, 1, rows, d, ids, out);
    const result = new Tensor(out, [...shape, d]);
    const skip = this.paddingIdx ?? -1;
    record('EmbeddingBackward', [w], [result], ([g]) => {
      // Zeroed: rows of ids accumulate (a repeated id sums its gradients), the rest stay 0.
      const dw = floats(w.size);
      native.scatterAddRows(g!.data, 1, rows, d, ids, skip, dw);
      return [new Tensor(dw, w.shape)];
    });
    return result;
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}
