import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { add, weightedSum } from '../helpers/test-ops.js';

type Kind = 'RNN' | 'LSTM' | 'GRU';

interface Case {
  label: string;
  kind: Kind;
  options: Record<string, unknown>;
  batched?: boolean;
  withState?: boolean;
  /** relu: a seed whose pre-activations stay farther than the finite-difference step from the kink at 0
   * (with seed 11 one lies within it and the central difference straddles the kink; it shrinks with eps). */
  seed?: number;
}

const T = 4;
const B = 2;
const I = 3;
const H = 3;

const cases: Case[] = [
  { label: 'RNN tanh, 2 layers, bidirectional, batchFirst', kind: 'RNN', options: { numLayers: 2, bidirectional: true, batchFirst: true } },
  { label: 'RNN relu without bias', kind: 'RNN', options: { nonlinearity: 'relu', bias: false }, seed: 12 },
  { label: 'LSTM, 2 layers, bidirectional', kind: 'LSTM', options: { numLayers: 2, bidirectional: true } },
  { label: 'LSTM batchFirst, no initial state', kind: 'LSTM', options: { batchFirst: true }, withState: false },
  { label: 'LSTM unbatched, 2 layers', kind: 'LSTM', options: { numLayers: 2 }, batched: false },
  { label: 'LSTM with projection, 2 layers, bidirectional', kind: 'LSTM', options: { numLayers: 2, bidirectional: true, projSize: 2 } },
  { label: 'LSTM with projection, batchFirst, no bias, no initial state', kind: 'LSTM', options: { projSize: 1, batchFirst: true, bias: false }, withState: false },
  { label: 'LSTM with projection, unbatched', kind: 'LSTM', options: { projSize: 2 }, batched: false },
  { label: 'GRU, 2 layers, bidirectional, batchFirst', kind: 'GRU', options: { numLayers: 2, bidirectional: true, batchFirst: true } },
  { label: 'GRU without bias, unbatched, bidirectional', kind: 'GRU', options: { bias: false, bidirectional: true }, batched: false },
];

function build(kind: Kind, options: Record<string, unknown>): nn.RNNBase {
  if (kind === 'RNN') return new nn.RNN(I, H, options);
  if (kind === 'LSTM') return new nn.LSTM(I, H, options);
  return new nn.GRU(I, H, options);
}

describe('recurrent layers: gradients match finite differences (inputs, initial states, every parameter)', () => {
  for (const c of cases) {
    it(c.label, () => {
      manualSeed(c.seed ?? 11);
      const m = build(c.kind, c.options);
      const L = (c.options.numLayers as number | undefined) ?? 1;
      const D = c.options.bidirectional ? 2 : 1;
      const batched = c.batched !== false;
      const withState = c.withState !== false;
      // h (and the output) have projSize features with a projection; c keeps H
      const R = (c.options.projSize as number | undefined) || H;
      const xShape = !batched ? [T, I] : c.options.batchFirst ? [B, T, I] : [T, B, I];
      const sShape = batched ? [L * D, B, R] : [L * D, R];
      const cShape = batched ? [L * D, B, H] : [L * D, H];
      const x = randn(xShape).requiresGrad_();
      const h0 = randn(sShape).requiresGrad_();
      const c0 = randn(cShape).requiresGrad_();
      const outShape = !batched ? [T, D * R] : c.options.batchFirst ? [B, T, D * R] : [T, B, D * R];
      const wOut = randn(outShape).data;
      const wH = randn(sShape).data;
      const wC = randn(cShape).data;
      const params = m.parameters();
      const states = withState ? (c.kind === 'LSTM' ? [h0, c0] : [h0]) : [];
      const f = (): Tensor => {
        if (c.kind === 'LSTM') {
          const [out, [h, cc]] = (m as nn.LSTM).forward(x, withState ? [h0, c0] : null);
          expect(out.shape).toEqual(outShape);
          expect(h.shape).toEqual(sShape);
          expect(cc.shape).toEqual(cShape);
          return add(add(weightedSum(out, wOut), weightedSum(h, wH)), weightedSum(cc, wC));
        }
        const [out, h] = (m as nn.RNN).forward(x, withState ? h0 : null);
        expect(out.shape).toEqual(outShape);
        expect(h.shape).toEqual(sShape);
        return add(weightedSum(out, wOut), weightedSum(h, wH));
      };
      const inputs = [x, ...states, ...params];
      expect(gradcheck(f, inputs)).toBeLessThanOrEqual(1);
      // every input and parameter received a gradient
      for (const t of inputs) expect(t.grad, 'missing gradient').not.toBeNull();
    });
  }
});

describe('recurrent layers in training mode with inter-layer dropout', () => {
  it('LSTM, 3 layers, dropout 0.3: gradients match finite differences with the dropout masks held fixed', () => {
    manualSeed(31);
    const m = new nn.LSTM(I, H, { numLayers: 3, dropout: 0.3 });
    m.train();
    const x = randn(T, B, I).requiresGrad_();
    const w = randn(T, B, H).data;
    // re-seeding before every forward draws the same masks each time
    const f = (): Tensor => {
      manualSeed(77);
      return weightedSum(m.forward(x)[0], w);
    };
    expect(gradcheck(f, [x, ...m.parameters()])).toBeLessThanOrEqual(1);
    // and the dropout was active: eval mode gives another output
    manualSeed(77);
    const train = m.forward(x)[0].data.slice();
    m.eval();
    expect(Array.from(m.forward(x)[0].data)).not.toEqual(Array.from(train));
  });
});

describe('recurrent cells: gradients match finite differences', () => {
  for (const kind of ['RNNCell', 'LSTMCell', 'GRUCell'] as const) {
    it(kind, () => {
      manualSeed(41);
      const m = kind === 'RNNCell' ? new nn.RNNCell(I, H) : kind === 'LSTMCell' ? new nn.LSTMCell(I, H) : new nn.GRUCell(I, H);
      const x = randn(B, I).requiresGrad_();
      const h0 = randn(B, H).requiresGrad_();
      const c0 = randn(B, H).requiresGrad_();
      const wh = randn(B, H).data;
      const wc = randn(B, H).data;
      const f = (): Tensor => {
        if (m instanceof nn.LSTMCell) {
          const [h, c] = m.forward(x, [h0, c0]);
          return add(weightedSum(h, wh), weightedSum(c, wc));
        }
        return weightedSum((m as nn.GRUCell).forward(x, h0), wh);
      };
      const inputs = m instanceof nn.LSTMCell ? [x, h0, c0, ...m.parameters()] : [x, h0, ...m.parameters()];
      expect(gradcheck(f, inputs)).toBeLessThanOrEqual(1);
    });
  }
});
