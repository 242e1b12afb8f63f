/**
 * nn.RNN, nn.LSTM and nn.GRU with PyTorch 1.13's semantics, parameter names
 * (weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}), layouts
 * (gates stacked along dim 0: LSTM i,f,g,o; GRU r,z,n) and initialisation
 * U(-1/sqrt(hidden), 1/sqrt(hidden)). Each layer call is one autograd node running
 * the whole sequence (src/ops/rnn.ts); dropout between layers in training. LSTM's
 * projSize (PyTorch's proj_size) adds weight_hr_l{k}[_reverse] [projSize, hiddenSize]
 * after each direction's biases; h, the output and h0 then have projSize features.
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { zeros } from '../factories.js';
import { type RnnDirectionParams, type RnnMode, gateCount, rnnLayer } from '../ops/rnn.js';
import { cat, narrow, transpose } from '../ops/shape-ops.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import { dropout } from './dropout.js';
import { uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface RNNBaseOptions {
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Learn biases bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [B, T, F] instead of [T, B, F] (default false; states stay [L*D, B, H]). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
  /** Run a second direction backwards in time and concatenate the outputs (default false). */
  bidirectional?: boolean;
}

export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

export interface LSTMOptions extends RNNBaseOptions {
  /** Project h to this many features with weight_hr (PyTorch's proj_size); 0 (default) for none, else < hiddenSize. */
  projSize?: number;
}
export type GRUOptions = RNNBaseOptions;

const BASE_KEYS = ['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional'] as const;
type BaseOptionValues = Partial<Record<(typeof BASE_KEYS)[number] | 'projSize', unknown>>;

/** Shared machinery of RNN, LSTM and GRU. */
export abstract class RNNBase extends Module {
  readonly mode: RnnMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Features of h after the projection (LSTM only; 0: no projection). */
  readonly projSize: number;
  /** Per layer, per direction: the parameters in PyTorch's order. */
  readonly #params: RnnDirectionParams[][] = [];

  protected constructor(op: string, mode: RnnMode, inputSize: number, hiddenSize: number, o: BaseOptionValues) {
    super();
    this.mode = mode;
    this.inputSize = expectInteger(op, 'inputSize', inputSize, 1);
    this.hiddenSize = expectInteger(op, 'hiddenSize', hiddenSize, 1);
    this.numLayers = o.numLayers === undefined ? 1 : expectInteger(op, 'options.numLayers', o.numLayers, 1);
    this.bias = o.bias === undefined ? true : expectBoolean(op, 'options.bias', o.bias);
    this.batchFirst = o.batchFirst === undefined ? false : expectBoolean(op, 'options.batchFirst', o.batchFirst);
    const p = o.dropout === undefined ? 0 : expectFinite(op, 'options.dropout', o.dropout);
    if (p < 0 || p > 1) throw rangeError(op, `options.dropout must be in [0, 1], but received ${p}`);
    this.dropout = p;
    this.bidirectional = o.bidirectional === undefined ? false : expectBoolean(op, 'options.bidirectional', o.bidirectional);
    this.projSize = o.projSize === undefined ? 0 : expectInteger(op, 'options.projSize', o.projSize, 0);
    if (this.projSize >= this.hiddenSize) {
      throw rangeError(op, `options.projSize must be smaller than hiddenSize (${this.hiddenSize}), but received ${this.projSize}`);
    }
    const GH = gateCount(mode) * this.hiddenSize;
    const D = this.bidirectional ? 2 : 1;
    const R = this.stateSize;
    for (let l = 0; l < this.numLayers; l++) {
      const layer: RnnDirectionParams[] = [];
      const inSize = l === 0 ? this.inputSize : R * D;
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const wih = this.registerParameter(`weight_ih${sfx}`, new Parameter(zeros(GH, inSize)));
        const whh = this.registerParameter(`weight_hh${sfx}`, new Parameter(zeros(GH, R)));
        const bih = this.bias ? this.registerParameter(`bias_ih${sfx}`, new Parameter(zeros(GH))) : null;
        const bhh = this.bias ? this.registerParameter(`bias_hh${sfx}`, new Parameter(zeros(GH))) : null;
        const whr = this.projSize > 0 ? this.registerParameter(`weight_hr${sfx}`, new Parameter(zeros(this.projSize, this.hiddenSize))) : null;
        layer.push({ wih, whh, bih, bhh, whr });
      }
      this.#params.push(layer);
    }
    this.resetParameters();
  }

  /** Features of h (and of each direction's output): projSize with a projection, else hiddenSize. */
  get stateSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  /** PyTorch's default: every parameter U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const layer of this.#params) {
      for (const p of layer) for (const t of [p.wih, p.whh, p.bih, p.bhh, p.whr]) if (t) uniform_(t, { a: -k, b: k });
    }
  }

  /** Runs the stack; hx is [L*D, B, R] (R = stateSize), cx [L*D, B, H], or null (zeros). */
  protected run(op: string, input: unknown, hx: Tensor | null, cx: Tensor | null): [Tensor, Tensor, Tensor | null] {
    expectTensor(op, 'input', input);
    let x = input as Tensor;
    const D = this.bidirectional ? 2 : 1;
    const L = this.numLayers;
    const H = this.hiddenSize;
    const R = this.stateSize;
    const lstm = this.mode === 'lstm';
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw shapeError(op, `input must be 2-D (unbatched) or 3-D (batched), but has shape ${formatShape(x.shape)}`);
    }
    const batched = x.ndim === 3;
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw shapeError(op, `input.size(-1) must be equal to inputSize. Expected ${this.inputSize}, got ${x.shape[x.ndim - 1]}`);
    }
    if (!batched) x = x.reshape(x.shape[0]!, 1, this.inputSize);
    else if (this.batchFirst) x = transpose(x, 0, 1);
    const T = x.shape[0]!;
    const B = x.shape[1]!;
    if (T === 0) throw shapeError(op, `input must have at least one time step, but has shape ${formatShape((input as Tensor).shape)}`);
    const readState = (name: string, t: Tensor | null, width: number): Tensor => {
      if (t === null) return zeros(L * D, B, width);
      expectTensor(op, name, t);
      const expected = batched ? [L * D, B, width] : [L * D, width];
      if (t.ndim !== expected.length || t.shape.some((v, i) => v !== expected[i])) {
        throw shapeError(op, `Expected ${name} size ${formatShape(expected)}, got ${formatShape(t.shape)}`);
      }
      return batched ? t : t.reshape(L * D, 1, width);
    };
    const h0 = readState('hidden', hx, R);
    const c0 = lstm ? readState('cell state', cx, H) : null;
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    let layerInput = x;
    for (let l = 0; l < L; l++) {
      const h0l = L === 1 ? h0 : narrow(h0, 0, l * D, D);
      const c0l = c0 === null ? null : L === 1 ? c0 : narrow(c0, 0, l * D, D);
      const r = rnnLayer(this.mode, layerInput, h0l, c0l, this.#params[l]!);
      hs.push(r.hN);
      if (r.cN) cs.push(r.cN);
      layerInput = r.output;
      if (this.training && this.dropout > 0 && l < L - 1) layerInput = dropout(layerInput, { p: this.dropout, training: true });
    }
    let output = layerInput;
    let hN = L === 1 ? hs[0]! : cat(hs, 0);
    let cN = lstm ? (L === 1 ? cs[0]! : cat(cs, 0)) : null;
    if (!batched) {
      output = output.reshape(T, D * R);
      hN = hN.reshape(L * D, R);
      if (cN) cN = cN.reshape(L * D, H);
    } else if (this.batchFirst) {
      output = transpose(output, 0, 1);
    }
    return [output, hN, cN];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, projSize=${this.projSize}`;
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (this instanceof RNN && this.nonlinearity !== 'tanh') s += `, nonlinearity=${this.nonlinearity}`;
    if (!this.bias) s += ', bias=false';
    if (this.batchFirst) s += ', batchFirst=true';
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ', bidirectional=true';
    return s;
  }
}

export class RNN extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions) {
    const op = 'RNN';
    const o = readOptions(op, options, [...BASE_KEYS, 'nonlinearity'] as const);
    const nl = o.nonlinearity === undefined ? 'tanh' : o.nonlinearity;
    if (nl !== 'tanh' && nl !== 'relu') {
      throw rangeError(op, `options.nonlinearity must be 'tanh' or 'relu', but received ${describe(nl)}`);
    }
    super(op, nl === 'relu' ? 'rnn_relu' : 'rnn_tanh', inputSize, hiddenSize, o);
    this.nonlinearity = nl;
  }

  /** input [T, B, I] ([B, T, I] with batchFirst) or [T, I]; h0 [L*D, B, H]. Returns [output, hN]. */
  forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const [out, h] = this.run('RNN', input, h0 ?? null, null);
    return [out, h];
  }
}

export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: LSTMOptions) {
    const op = 'LSTM';
    super(op, 'lstm', inputSize, hiddenSize, readOptions(op, options, [...BASE_KEYS, 'projSize'] as const));
  }

  /**
   * input [T, B, I] ([B, T, I] with batchFirst) or [T, I]; state [h0 [L*D, B, R], c0 [L*D, B, H]]
   * (R = projSize when set, else H). Returns [output [T, B, D*R], [hN, cN]].
   */
  forward(input: Tensor, state: readonly [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const op = 'LSTM';
    let h0: Tensor | null = null;
    let c0: Tensor | null = null;
    if (state !== null && state !== undefined) {
      if (!Array.isArray(state) || state.length !== 2 || !(state[0] instanceof Tensor) || !(state[1] instanceof Tensor)) {
        throw typeError(op, `the initial state must be an array [h0, c0] of two Tensors, but received ${describe(state)}`);
      }
      [h0, c0] = state as [Tensor, Tensor];
    }
    const [out, h, c] = this.run(op, input, h0, c0);
    return [out, [h, c!]];
  }
}

export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options?: GRUOptions) {
    const op = 'GRU';
    super(op, 'gru', inputSize, hiddenSize, readOptions(op, options, BASE_KEYS));
  }

  /** input [T, B, I] ([B, T, I] with batchFirst) or [T, I]; h0 [L*D, B, H]. Returns [output, hN]. */
  forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const [out, h] = this.run('GRU', input, h0 ?? null, null);
    return [out, h];
  }
}

export interface RNNCellBaseOptions {
  /** Learn biases bias_ih and bias_hh (default true). */
  bias?: boolean;
}

export interface RNNCellOptions extends RNNCellBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * One time step of an Elman / LSTM / GRU cell (PyTorch's RNNCell, LSTMCell, GRUCell):
 * parameters weight_ih [G*H, I], weight_hh [G*H, H], bias_ih, bias_hh; the same fused
 * kernels and node as the sequence layers, run for one step.
 */
export abstract class RNNCellBase extends Module {
  readonly mode: RnnMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  readonly weight_ih: Parameter;
  readonly weight_hh: Parameter;
  readonly bias_ih: Parameter | null;
  readonly bias_hh: Parameter | null;

  protected constructor(op: string, mode: RnnMode, inputSize: number, hiddenSize: number, bias: unknown) {
    super();
    this.mode = mode;
    this.inputSize = expectInteger(op, 'inputSize', inputSize, 1);
    this.hiddenSize = expectInteger(op, 'hiddenSize', hiddenSize, 1);
    this.bias = bias === undefined ? true : expectBoolean(op, 'options.bias', bias);
    const GH = gateCount(mode) * this.hiddenSize;
    this.weight_ih = this.registerParameter('weight_ih', new Parameter(zeros(GH, this.inputSize)));
    this.weight_hh = this.registerParameter('weight_hh', new Parameter(zeros(GH, this.hiddenSize)));
    this.bias_ih = this.registerParameter('bias_ih', this.bias ? new Parameter(zeros(GH)) : null);
    this.bias_hh = this.registerParameter('bias_hh', this.bias ? new Parameter(zeros(GH)) : null);
    this.resetParameters();
  }

  /** PyTorch's default: every parameter U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const t of [this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh]) if (t) uniform_(t, { a: -k, b: k });
  }

  /** input [B, I] or [I]; states [B, H] or [H] (zeros when null). Returns h' (and c' for LSTM). */
  protected step(op: string, input: unknown, hx: Tensor | null, cx: Tensor | null): [Tensor, Tensor | null] {
    expectTensor(op, 'input', input);
    const x = input as Tensor;
    if (x.ndim !== 1 && x.ndim !== 2) throw shapeError(op, `Expected input to be 1-D or 2-D but received ${x.ndim}-D tensor`);
    if (x.shape[x.ndim - 1] !== this.inputSize) {
      throw shapeError(op, `input has inconsistent input_size: got ${x.shape[x.ndim - 1]} expected ${this.inputSize}`);
    }
    const batched = x.ndim === 2;
    const B = batched ? x.shape[0]! : 1;
    const H = this.hiddenSize;
    const expected = batched ? [B, H] : [H];
    const readState = (name: string, t: Tensor | null): Tensor => {
      if (t === null) return zeros(1, B, H);
      expectTensor(op, name, t);
      if (t.ndim !== expected.length || t.shape.some((v, i) => v !== expected[i])) {
        throw shapeError(op, `Expected ${name} size ${formatShape(expected)}, got ${formatShape(t.shape)}`);
      }
      return t.reshape(1, B, H);
    };
    const h0 = readState('hidden', hx);
    const c0 = this.mode === 'lstm' ? readState('cell state', cx) : null;
    const r = rnnLayer(this.mode, x.reshape(1, B, this.inputSize), h0, c0, [
      { wih: this.weight_ih, whh: this.weight_hh, bih: this.bias_ih, bhh: this.bias_hh },
    ]);
    // the step's output equals hN; returning hN keeps one path for its gradient
    const h = r.hN.reshape(expected);
    const c = r.cN ? r.cN.reshape(expected) : null;
    return [h, c];
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += ', bias=false';
    if (this instanceof RNNCell && this.nonlinearity !== 'tanh') s += `, nonlinearity=${this.nonlinearity}`;
    return s;
  }
}

export class RNNCell extends RNNCellBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options?: RNNCellOptions) {
    const op = 'RNNCell';
    const o = readOptions(op, options, ['bias', 'nonlinearity'] as const);
    const nl = o.nonlinearity === undefined ? 'tanh' : o.nonlinearity;
    if (nl !== 'tanh' && nl !== 'relu') {
      throw rangeError(op, `options.nonlinearity must be 'tanh' or 'relu', but received ${describe(nl)}`);
    }
    super(op, nl === 'relu' ? 'rnn_relu' : 'rnn_tanh', inputSize, hiddenSize, o.bias);
    this.nonlinearity = nl;
  }

  /** input [B, I] or [I], hx [B, H] or [H]; returns h'. */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.step('RNNCell', input, hx ?? null, null)[0];
  }
}

export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellBaseOptions) {
    const op = 'LSTMCell';
    super(op, 'lstm', inputSize, hiddenSize, readOptions(op, options, ['bias'] as const).bias);
  }

  /** input [B, I] or [I], state [h, c] each [B, H] or [H]; returns [h', c']. */
  forward(input: Tensor, state: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const op = 'LSTMCell';
    let h0: Tensor | null = null;
    let c0: Tensor | null = null;
    if (state !== null && state !== undefined) {
      if (!Array.isArray(state) || state.length !== 2 || !(state[0] instanceof Tensor) || !(state[1] instanceof Tensor)) {
        throw typeError(op, `the state must be an array [h, c] of two Tensors, but received ${describe(state)}`);
      }
      [h0, c0] = state as [Tensor, Tensor];
    }
    const [h, c] = this.step(op, input, h0, c0);
    return [h, c!];
  }
}

export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellBaseOptions) {
    const op = 'GRUCell';
    super(op, 'gru', inputSize, hiddenSize, readOptions(op, options, ['bias'] as const).bias);
  }

  /** input [B, I] or [I], hx [B, H] or [H]; returns h'. */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.step('GRUCell', input, hx ?? null, null)[0];
  }
}
