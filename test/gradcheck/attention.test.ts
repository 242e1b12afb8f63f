import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { add, weightedSum } from '../helpers/test-ops.js';

describe('MultiheadAttention: gradients match finite differences (query, key, value, every parameter, weights output)', () => {
  const cases = [
    { label: 'self-attention, causal mask, averaged weights', E: 4, heads: 2, options: {}, self: true, average: true },
    { label: 'kdim/vdim, batchFirst, key padding, per-head weights', E: 4, heads: 2, options: { batchFirst: true, kdim: 3, vdim: 2 }, self: false, average: false },
    { label: 'no bias, float per-head mask', E: 6, heads: 3, options: { bias: false }, self: false, average: true },
  ];
  for (const c of cases) {
    it(c.label, () => {
      manualSeed(21);
      const m = new nn.MultiheadAttention(c.E, c.heads, c.options as nn.MultiheadAttentionOptions);
      for (const p of m.parameters()) p.data.set(randn(p.shape).data.map((v) => v * 0.5));
      const L = 3;
      const S = c.self ? 3 : 4;
      const N = 2;
      const bf = (c.options as { batchFirst?: boolean }).batchFirst === true;
      const kd = (c.options as { kdim?: number }).kdim ?? c.E;
      const vd = (c.options as { vdim?: number }).vdim ?? c.E;
      const shape = (len: number, f: number) => (bf ? [N, len, f] : [len, N, f]);
      const q = randn(shape(L, c.E)).requiresGrad_();
      const k = c.self ? q : randn(shape(S, kd)).requiresGrad_();
      const v = c.self ? q : randn(shape(S, vd)).requiresGrad_();
      const attnMask = c.self
        ? [false, true, true, false, false, true, false, false, false]
        : c.label.startsWith('no bias')
          ? new Tensor(randn(N * c.heads, L, S).data, [N * c.heads, L, S])
          : undefined;
      const keyPaddingMask = c.label.startsWith('kdim') ? [false, true, false, false, false, false, false, true] : undefined;
      const wOut = randn(shape(L, c.E)).data;
      const wW = randn(c.average ? [N, L, S] : [N, c.heads, L, S]).data;
      const f = (): Tensor => {
        const [out, w] = m.forward(q, k, v, { attnMask, keyPaddingMask, averageAttnWeights: c.average });
        return add(weightedSum(out, wOut), weightedSum(w!, wW));
      };
      const inputs = c.self ? [q, ...m.parameters()] : [q, k, v, ...m.parameters()];
      expect(gradcheck(f, inputs)).toBeLessThanOrEqual(1);
      for (const t of inputs) expect(t.grad).not.toBeNull();
    });
  }
});

describe('MultiheadAttention in training mode with attention dropout', () => {
  it('gradients match finite differences with the dropout mask held fixed', () => {
    manualSeed(22);
    const m = new nn.MultiheadAttention(4, 2, { dropout: 0.4 });
    for (const p of m.parameters()) p.data.set(randn(p.shape).data.map((v) => v * 0.5));
    m.train();
    const q = randn(3, 2, 4).requiresGrad_();
    const kv = randn(4, 2, 4).requiresGrad_();
    const wOut = randn(3, 2, 4).data;
    const wW = randn(2, 3, 4).data;
    const f = (): Tensor => {
      manualSeed(5);
      const [out, w] = m.forward(q, kv, kv);
      return add(weightedSum(out, wOut), weightedSum(w!, wW));
    };
    expect(gradcheck(f, [q, kv, ...m.parameters()])).toBeLessThanOrEqual(1);
  });
});

describe('MultiheadAttention with addBiasKv / addZeroAttn: gradients match finite differences (bias_k and bias_v among the parameters)', () => {
  const cases = [
    { label: 'addBiasKv and addZeroAttn, key padding and a 2-D mask', options: { addBiasKv: true, addZeroAttn: true }, average: true },
    { label: 'addBiasKv, batchFirst, kdim/vdim, per-head weights', options: { addBiasKv: true, batchFirst: true, kdim: 3, vdim: 2 }, average: false },
    { label: 'addZeroAttn only, no bias', options: { addZeroAttn: true, bias: false }, average: true },
  ];
  for (const c of cases) {
    it(c.label, () => {
      manualSeed(23);
      const m = new nn.MultiheadAttention(4, 2, c.options);
      for (const p of m.parameters()) p.data.set(randn(p.shape).data.map((v) => v * 0.5));
      const [L, S, N, E] = [3, 4, 2, 4];
      const S2 = S + (c.options.addBiasKv ? 1 : 0) + (c.options.addZeroAttn ? 1 : 0);
      const bf = (c.options as { batchFirst?: boolean }).batchFirst === true;
      const kd = (c.options as { kdim?: number }).kdim ?? E;
      const vd = (c.options as { vdim?: number }).vdim ?? E;
      const shape = (len: number, f: number) => (bf ? [N, len, f] : [len, N, f]);
      const q = randn(shape(L, E)).requiresGrad_();
      const k = randn(shape(S, kd)).requiresGrad_();
      const v = randn(shape(S, vd)).requiresGrad_();
      const keyPaddingMask = [false, true, false, false, true, true, true, true];
      const attnMask = [false, true, false, false, false, false, true, false, true, true, true, true];
      const wOut = randn(shape(L, E)).data;
      const wW = randn(c.average ? [N, L, S2] : [N, 2, L, S2]).data;
      const f = (): Tensor => {
        const [out, w] = m.forward(q, k, v, { attnMask, keyPaddingMask, averageAttnWeights: c.average });
        return add(weightedSum(out, wOut), weightedSum(w!, wW));
      };
      const inputs = [q, k, v, ...m.parameters()];
      expect(gradcheck(f, inputs)).toBeLessThanOrEqual(1);
      for (const t of inputs) expect(t.grad).not.toBeNull();
    });
  }
});
