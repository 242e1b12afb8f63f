/**
 * TransformerEncoderLayer: self-attention and a feed-forward block, each with a
 * residual connection and LayerNorm (after, or with normFirst before), as
 * PyTorch 1.13's, with the same submodule names and so the same stateDict keys.
 */
import { rangeError } from '../errors.js';
import { add } from '../ops/arith.js';
import type { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { gelu, relu } from './activation.js';
import { type AttentionMask, MultiheadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { LayerNorm } from './normalization.js';

export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** 'relu' (default) or 'gelu'. */
  activation?: 'relu' | 'gelu';
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** LayerNorm before each block instead of after the residual (default false). */
  normFirst?: boolean;
}

export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask, [L, L] or [N*nhead, L, L]. */
  srcMask?: AttentionMask | null;
  /** Padding mask, [N, L]. */
  srcKeyPaddingMask?: AttentionMask | null;
}

export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly normFirst: boolean;
  readonly activation: 'relu' | 'gelu';
  readonly selfAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropoutFf: Dropout;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;

  constructor(dModel: number, nhead: number, options?: TransformerEncoderLayerOptions) {
    super();
    const op = 'TransformerEncoderLayer';
    this.dModel = expectInteger(op, 'dModel', dModel, 1);
    this.nhead = expectInteger(op, 'nhead', nhead, 1);
    const o = readOptions(op, options, ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst'] as const);
    const ff = o.dimFeedforward === undefined ? 2048 : expectInteger(op, 'options.dimFeedforward', o.dimFeedforward, 1);
    if (dModel % nhead !== 0) throw rangeError(op, `dModel must be divisible by nhead, but received ${dModel} and ${nhead}`);
    const p = o.dropout === undefined ? 0.1 : expectFinite(op, 'options.dropout', o.dropout);
    if (p < 0 || p > 1) throw rangeError(op, `options.dropout must be in [0, 1], but received ${p}`);
    const act = o.activation ?? 'relu';
    if (act !== 'relu' && act !== 'gelu') throw rangeError(op, `options.activation must be "relu" or "gelu", but received ${describe(act)}`);
    this.activation = act;
    const eps = o.layerNormEps === undefined ? 1e-5 : expectFinite(op, 'options.layerNormEps', o.layerNormEps);
    if (eps < 0) throw rangeError(op, `options.layerNormEps must be >= 0, but received ${eps}`);
    const batchFirst = o.batchFirst === undefined ? false : expectBoolean(op, 'options.batchFirst', o.batchFirst);
    this.normFirst = o.normFirst === undefined ? false : expectBoolean(op, 'options.normFirst', o.normFirst);
    // PyTorch's attribute names, so stateDict keys match ("self_attn.in_proj_weight", "linear1.weight", ...).
    this.selfAttn = this.registerModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, ff));
    this.dropoutFf = this.registerModule('dropout', new Dropout({ p }));
    this.linear2 = this.registerModule('linear2', new Linear(ff, dModel));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps }));
    this.dropout1 = this.registerModule('dropout1', new Dropout({ p }));
    this.dropout2 = this.registerModule('dropout2', new Dropout({ p }));
  }

  #selfAttention(x: Tensor, options: TransformerEncoderLayerForwardOptions): Tensor {
    const [out] = this.selfAttn.forward(x, x, x, {
      attnMask: options.srcMask ?? null,
      keyPaddingMask: options.srcKeyPaddingMask ?? null,
      needWeights: false,
    });
    return this.dropout1.forward(out);
  }

  #feedForward(x: Tensor): Tensor {
    const h = this.linear1.forward(x);
    const a = this.activation === 'gelu' ? gelu(h) : relu(h);
    return this.dropout2.forward(this.linear2.forward(this.dropoutFf.forward(a)));
  }

  forward(src: Tensor, options?: TransformerEncoderLayerForwardOptions): Tensor {
    const o = readOptions('TransformerEncoderLayer.forward', options, ['srcMask', 'srcKeyPaddingMask'] as const) as TransformerEncoderLayerForwardOptions;
    let x = src;
    if (this.normFirst) {
      x = add(x, this.#selfAttention(this.norm1.forward(x), o));
      x = add(x, this.#feedForward(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(add(x, this.#selfAttention(x, o)));
      x = this.norm2.forward(add(x, this.#feedForward(x)));
    }
    return x;
  }
}
