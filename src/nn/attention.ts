/**
 * nn.MultiheadAttention with PyTorch 1.13's semantics, parameter names
 * (in_proj_weight, or q_proj_weight/k_proj_weight/v_proj_weight when kdim/vdim
 * differ from embedDim; in_proj_bias; out_proj.weight, out_proj.bias) and
 * initialisation (xavier_uniform_ projections, zero biases, out_proj.weight as
 * Linear's default). Projections run on linear (autograd), the attention core is
 * one node (src/ops/attention.ts). addBiasKv (bias_k, bias_v [1, 1, E], xavier_normal_)
 * and addZeroAttn append a learned and a zero key/value row after the projections;
 * the masks, given over the original keys, are padded with allowed columns for them.
 *
 * Masks: a Tensor mask is additive (float, as PyTorch's float masks); a boolean
 * mask is given as a Uint8Array or boolean[] in row-major order, true/nonzero
 * meaning "not allowed" (PyTorch's bool masks). keyPaddingMask is [N, S] ([S]
 * unbatched); attnMask is [L, S] or [N*numHeads, L, S].
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { zeros } from '../factories.js';
import { attentionCore } from '../ops/attention.js';
import { appendKeyValueRows } from '../ops/attention-kv.js';
import { linear } from '../ops/linear.js';
import { narrow } from '../ops/shape-ops.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { constant_, xavierNormal_, xavierUniform_ } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { floats } from '../memory.js';

export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training (default 0). */
  dropout?: number;
  /** Learn input and output projection biases (default true). */
  bias?: boolean;
  /** Inputs and output are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Features of key (default embedDim). */
  kdim?: number;
  /** Features of value (default embedDim). */
  vdim?: number;
  /** Learn bias_k and bias_v [1, 1, embedDim], appended to the projected keys and values (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value (after bias_k / bias_v), so every query has a score-0 position (default false). */
  addZeroAttn?: boolean;
}

/** A boolean mask (true = masked) in row-major order, or an additive float mask. */
export type AttentionMask = Tensor | Uint8Array | readonly boolean[];

export interface MultiheadAttentionForwardOptions {
  /** [N, S] ([S] unbatched): keys to ignore per batch element. */
  keyPaddingMask?: AttentionMask | null;
  /** [L, S] or [N*numHeads, L, S]: positions each query may not attend to. */
  attnMask?: AttentionMask | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** Average the returned weights over heads (default true). */
  averageAttnWeights?: boolean;
}

/** Reads a mask as additive floats of one of the allowed shapes; returns the values and the matched shape index. */
function readMask(op: string, name: string, m: AttentionMask, shapes: number[][]): { values: Float32Array; shape: number[] } {
  if (m instanceof Tensor) {
    const i = shapes.findIndex((s) => s.length === m.ndim && s.every((v, j) => v === m.shape[j]));
    if (i < 0) throw shapeError(op, `${name} has shape ${formatShape(m.shape)}, expected ${shapes.map(formatShape).join(' or ')}`);
    return { values: m.data, shape: shapes[i]! };
  }
  if (!(m instanceof Uint8Array) && !Array.isArray(m)) {
    throw typeError(op, `${name} must be a Tensor (additive), a Uint8Array or an array of booleans, but received ${describe(m)}`);
  }
  const i = shapes.findIndex((s) => s.reduce((a, b) => a * b, 1) === m.length);
  if (i < 0) {
    throw shapeError(op, `${name} has ${m.length} elements, expected ${shapes.map((s) => `${s.reduce((a, b) => a * b, 1)} (${formatShape(s)})`).join(' or ')}`);
  }
  const values = floats(m.length);
  for (let j = 0; j < m.length; j++) {
    const v = m[j];
    if (typeof v !== 'boolean' && typeof v !== 'number') throw typeError(op, `${name}[${j}] must be a boolean, but received ${describe(v)}`);
    if (v) values[j] = -Infinity;
  }
  return { values, shape: shapes[i]! };
}

export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly kdim: number;
  readonly vdim: number;
  readonly inProjWeight: Parameter | null;
  readonly qProjWeight: Parameter | null;
  readonly kProjWeight: Parameter | null;
  readonly vProjWeight: Parameter | null;
  readonly inProjBias: Parameter | null;
  readonly biasK: Parameter | null;
  readonly biasV: Parameter | null;
  readonly addZeroAttn: boolean;
  readonly outProj: Linear;

  constructor(embedDim: number, numHeads: number, options?: MultiheadAttentionOptions) {
    super();
    const op = 'MultiheadAttention';
    this.embedDim = expectInteger(op, 'embedDim', embedDim, 1);
    this.numHeads = expectInteger(op, 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0) throw rangeError(op, `embedDim must be divisible by numHeads, but received ${embedDim} and ${numHeads}`);
    this.headDim = embedDim / numHeads;
    const o = readOptions(op, options, ['dropout', 'bias', 'batchFirst', 'kdim', 'vdim', 'addBiasKv', 'addZeroAttn'] as const);
    const p = o.dropout === undefined ? 0 : expectFinite(op, 'options.dropout', o.dropout);
    if (p < 0 || p > 1) throw rangeError(op, `options.dropout must be in [0, 1], but received ${p}`);
    this.dropout = p;
    const bias = o.bias === undefined ? true : expectBoolean(op, 'options.bias', o.bias);
    this.batchFirst = o.batchFirst === undefined ? false : expectBoolean(op, 'options.batchFirst', o.batchFirst);
    this.kdim = o.kdim === undefined || o.kdim === null ? embedDim : expectInteger(op, 'options.kdim', o.kdim, 1);
    this.vdim = o.vdim === undefined || o.vdim === null ? embedDim : expectInteger(op, 'options.vdim', o.vdim, 1);
    const addBiasKv = o.addBiasKv === undefined ? false : expectBoolean(op, 'options.addBiasKv', o.addBiasKv);
    this.addZeroAttn = o.addZeroAttn === undefined ? false : expectBoolean(op, 'options.addZeroAttn', o.addZeroAttn);
    const E = embedDim;
    if (this.kdim === E && this.vdim === E) {
      this.inProjWeight = this.registerParameter('in_proj_weight', new Parameter(zeros(3 * E, E)));
      this.qProjWeight = this.kProjWeight = this.vProjWeight = null;
    } else {
      this.inProjWeight = null;
      this.qProjWeight = this.registerParameter('q_proj_weight', new Parameter(zeros(E, E)));
      this.kProjWeight = this.registerParameter('k_proj_weight', new Parameter(zeros(E, this.kdim)));
      this.vProjWeight = this.registerParameter('v_proj_weight', new Parameter(zeros(E, this.vdim)));
    }
    this.inProjBias = bias ? this.registerParameter('in_proj_bias', new Parameter(zeros(3 * E))) : null;
    this.biasK = addBiasKv ? this.registerParameter('bias_k', new Parameter(zeros(1, 1, E))) : null;
    this.biasV = addBiasKv ? this.registerParameter('bias_v', new Parameter(zeros(1, 1, E))) : null;
    this.outProj = this.registerModule('out_proj', new Linear(E, E, { bias }));
    this.resetParameters();
  }

  /**
   * PyTorch's _reset_parameters: xavier_uniform_ projections, zero biases, xavier_normal_
   * bias_k and bias_v; out_proj.weight keeps Linear's init.
   */
  resetParameters(): void {
    if (this.inProjWeight) xavierUniform_(this.inProjWeight);
    else for (const w of [this.qProjWeight!, this.kProjWeight!, this.vProjWeight!]) xavierUniform_(w);
    if (this.inProjBias) {
      constant_(this.inProjBias, 0);
      constant_(this.outProj.bias!, 0);
    }
    if (this.biasK) xavierNormal_(this.biasK);
    if (this.biasV) xavierNormal_(this.biasV);
  }

  /**
   * query [L, N, E], key [S, N, kdim], value [S, N, vdim] ([N, L, E] ... with
   * batchFirst; [L, E] ... unbatched). Returns [output like query, weights or null]:
   * weights [N, L, S] averaged over heads, else [N, numHeads, L, S] ([L, S] / [numHeads, L, S] unbatched),
   * S counting the appended bias_k / zero keys.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options?: MultiheadAttentionForwardOptions): [Tensor, Tensor | null] {
    const op = 'MultiheadAttention';
    expectTensor(op, 'query', query);
    expectTensor(op, 'key', key);
    expectTensor(op, 'value', value);
    const o = readOptions(op, options, ['keyPaddingMask', 'attnMask', 'needWeights', 'averageAttnWeights'] as const);
    const needWeights = o.needWeights === undefined ? true : expectBoolean(op, 'options.needWeights', o.needWeights);
    const average = o.averageAttnWeights === undefined ? true : expectBoolean(op, 'options.averageAttnWeights', o.averageAttnWeights);
    const E = this.embedDim;
    const heads = this.numHeads;
    const batched = query.ndim === 3;
    if (query.ndim !== 2 && query.ndim !== 3) throw shapeError(op, `query must be 2-D (unbatched) or 3-D (batched), but has shape ${formatShape(query.shape)}`);
    if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
      throw shapeError(op, `query, key and value must all be ${query.ndim}-D, but have shapes ${formatShape(query.shape)}, ${formatShape(key.shape)}, ${formatShape(value.shape)}`);
    }
    let q = query;
    let k = key;
    let v = value;
    const bf = batched && this.batchFirst;
    if (!batched) {
      q = q.reshape(q.shape[0]!, 1, q.shape[1]!);
      k = k.reshape(k.shape[0]!, 1, k.shape[1]!);
      v = v.reshape(v.shape[0]!, 1, v.shape[1]!);
    }
    const dims = (t: Tensor) => (bf ? [t.shape[1]!, t.shape[0]!, t.shape[2]!] : [t.shape[0]!, t.shape[1]!, t.shape[2]!]);
    const [L, N, Eq] = dims(q);
    const [S, Nk, Ek] = dims(k);
    const [Sv, Nv, Ev] = dims(v);
    if (Eq !== E) throw shapeError(op, `query has ${Eq} features, expected embedDim ${E}`);
    if (Ek !== this.kdim) throw shapeError(op, `key has ${Ek} features, expected kdim ${this.kdim}`);
    if (Ev !== this.vdim) throw shapeError(op, `value has ${Ev} features, expected vdim ${this.vdim}`);
    if (Nk !== N || Nv !== N) throw shapeError(op, `query, key and value must have the same batch size, but have shapes ${formatShape(query.shape)}, ${formatShape(key.shape)}, ${formatShape(value.shape)}`);
    if (Sv !== S) throw shapeError(op, `key and value must have the same sequence length, but have shapes ${formatShape(key.shape)} and ${formatShape(value.shape)}`);
    if (L === 0 || S === 0 || N === 0) throw shapeError(op, 'query, key and value must not be empty');

    // Additive mask [N*heads, L, S2], merged as PyTorch merges key padding into attn_mask.
    // The masks cover the S given keys; the S2 - S appended ones (bias_k, zero) stay
    // allowed, as PyTorch pads both masks with zeros / false for them.
    const S2 = S + (this.biasK ? 1 : 0) + (this.addZeroAttn ? 1 : 0);
    let mask: Float32Array | null = null;
    const LS = L * S2;
    if (o.attnMask !== undefined && o.attnMask !== null) {
      const shapes = batched ? [[L, S], [N * heads, L, S]] : [[L, S], [heads, L, S]];
      const { values, shape } = readMask(op, 'options.attnMask', o.attnMask as AttentionMask, shapes);
      mask = floats(N * heads * LS);
      for (let bh = 0; bh < N * heads; bh++) {
        const src = shape.length === 2 ? 0 : bh * L * S;
        for (let l = 0; l < L; l++) mask.set(values.subarray(src + l * S, src + (l + 1) * S), bh * LS + l * S2);
      }
    }
    if (o.keyPaddingMask !== undefined && o.keyPaddingMask !== null) {
      const { values } = readMask(op, 'options.keyPaddingMask', o.keyPaddingMask as AttentionMask, batched ? [[N, S]] : [[S]]);
      mask ??= floats(N * heads * LS);
      for (let n = 0; n < N; n++) {
        for (let h = 0; h < heads; h++) {
          const base = (n * heads + h) * LS;
          for (let l = 0; l < L; l++) for (let s = 0; s < S; s++) mask[base + l * S2 + s]! += values[n * S + s]!;
        }
      }
    }

    const b = this.inProjBias;
    const bq = b ? narrow(b, 0, 0, E) : null;
    const bk = b ? narrow(b, 0, E, E) : null;
    const bv = b ? narrow(b, 0, 2 * E, E) : null;
    const w = this.inProjWeight;
    const pq = linear(q, w ? narrow(w, 0, 0, E) : this.qProjWeight!, bq);
    const pk = appendKeyValueRows(linear(k, w ? narrow(w, 0, E, E) : this.kProjWeight!, bk), this.biasK, this.addZeroAttn, bf);
    const pv = appendKeyValueRows(linear(v, w ? narrow(w, 0, 2 * E, E) : this.vProjWeight!, bv), this.biasV, this.addZeroAttn, bf);
    const { output, weights } = attentionCore(pq, pk, pv, {
      heads,
      batchFirst: bf,
      mask,
      dropoutP: this.training ? this.dropout : 0,
      needWeights,
      averageWeights: average,
    });
    let out = linear(output, this.outProj.weight, this.outProj.bias);
    let wts = weights;
    if (!batched) {
      out = out.reshape(L, E);
      if (wts) wts = average ? wts.reshape(L, S2) : wts.reshape(heads, L, S2);
    }
    return [out, wts];
  }

  override extraRepr(): string {
    let s = `embedDim=${this.embedDim}, numHeads=${this.numHeads}${this.dropout ? `, dropout=${this.dropout}` : ''}${this.batchFirst ? ', batchFirst=true' : ''}`;
    if (this.biasK) s += ', addBiasKv=true';
    if (this.addZeroAttn) s += ', addZeroAttn=true';
    return s;
  }
}
