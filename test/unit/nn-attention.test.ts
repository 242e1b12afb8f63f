import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, noGrad, randn, zeros } from '../../src/index.js';

describe('MultiheadAttention module', () => {
  it('registers PyTorch names and initialises as PyTorch', () => {
    manualSeed(1);
    const m = new nn.MultiheadAttention(8, 2);
    expect([...m.namedParameters()].map(([k, p]) => [k, p.shape])).toEqual([
      ['in_proj_weight', [24, 8]],
      ['in_proj_bias', [24]],
      ['out_proj.weight', [8, 8]],
      ['out_proj.bias', [8]],
    ]);
    const bound = Math.sqrt(6 / (8 + 24));
    const w = m.inProjWeight!.data;
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...w) - Math.min(...w)).toBeGreaterThan(bound);
    expect(m.inProjBias!.data.every((v) => v === 0)).toBe(true);
    expect(m.outProj.bias!.data.every((v) => v === 0)).toBe(true);
    const sep = new nn.MultiheadAttention(8, 4, { kdim: 3, vdim: 5, bias: false });
    expect([...sep.namedParameters()].map(([k, p]) => [k, p.shape])).toEqual([
      ['q_proj_weight', [8, 8]],
      ['k_proj_weight', [8, 3]],
      ['v_proj_weight', [8, 5]],
      ['out_proj.weight', [8, 8]],
    ]);
  });

  it('weights are a distribution over keys; needWeights false returns null; masked keys get zero weight', () => {
    const m = new nn.MultiheadAttention(4, 2);
    const x = randn(3, 2, 4);
    const [out, w] = m.forward(x, x, x, { keyPaddingMask: [false, false, true, true, false, false] });
    expect(out.shape).toEqual([3, 2, 4]);
    expect(w!.shape).toEqual([2, 3, 3]);
    for (let n = 0; n < 2; n++) {
      for (let l = 0; l < 3; l++) {
        let s = 0;
        for (let j = 0; j < 3; j++) s += w!.data[(n * 3 + l) * 3 + j]!;
        expect(s).toBeCloseTo(1, 6);
      }
    }
    for (let l = 0; l < 3; l++) {
      expect(w!.data[l * 3 + 2]).toBe(0); // n = 0, key 2 padded
      expect(w!.data[(3 + l) * 3 + 0]).toBe(0); // n = 1, key 0 padded
    }
    const [out2, none] = m.forward(x, x, x, { needWeights: false, keyPaddingMask: [false, false, true, true, false, false] });
    expect(none).toBeNull();
    expect(Array.from(out2.data)).toEqual(Array.from(out.data));
  });

  it('addBiasKv and addZeroAttn: bias_k / bias_v [1, 1, E] after in_proj_bias, xavier_normal_, two more keys', () => {
    manualSeed(3);
    const m = new nn.MultiheadAttention(64, 4, { addBiasKv: true, addZeroAttn: true });
    expect([...m.namedParameters()].map(([k, p]) => [k, p.shape])).toEqual([
      ['in_proj_weight', [192, 64]],
      ['in_proj_bias', [192]],
      ['bias_k', [1, 1, 64]],
      ['bias_v', [1, 1, 64]],
      ['out_proj.weight', [64, 64]],
      ['out_proj.bias', [64]],
    ]);
    // xavier_normal_ on [1, 1, E]: fanIn = fanOut = E, std = 1/sqrt(E)
    const values = [...m.biasK!.data, ...m.biasV!.data];
    const std = Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.7 / 8);
    expect(std).toBeLessThan(1.3 / 8);
    expect(m.extraRepr()).toBe('embedDim=64, numHeads=4, addBiasKv=true, addZeroAttn=true');
    const x = randn(3, 2, 64);
    const [out, w] = m.forward(x, x, x, { keyPaddingMask: [true, true, true, false, false, false] });
    expect(out.shape).toEqual([3, 2, 64]);
    expect(w!.shape).toEqual([2, 3, 5]);
    // every given key of batch 0 is padded: the weight goes to bias_k and the zero key only, which stay allowed
    for (let l = 0; l < 3; l++) {
      expect(Array.from(w!.data.subarray(l * 5, l * 5 + 3))).toEqual([0, 0, 0]);
      expect(w!.data[l * 5 + 3]! + w!.data[l * 5 + 4]!).toBeCloseTo(1, 6);
    }
    expect(out.data.every(Number.isFinite)).toBe(true);
    // only a zero key (score 0, value 0): with every real key padded the output is out_proj's bias
    const z = new nn.MultiheadAttention(4, 2, { addZeroAttn: true });
    z.outProj.bias!.data.set([1, 2, 3, 4]);
    const [oz, wz] = z.forward(randn(2, 4), randn(3, 4), randn(3, 4), { keyPaddingMask: [true, true, true] });
    expect(Array.from(oz.data)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(Array.from(wz!.data)).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('applies dropout to the weights in training only', () => {
    manualSeed(2);
    const m = new nn.MultiheadAttention(4, 1, { dropout: 0.5 });
    const x = randn(6, 1, 4);
    m.eval();
    const [, we] = m.forward(x, x, x);
    m.train();
    const [, wt] = m.forward(x, x, x);
    const zerosInTraining = wt!.data.filter((v) => v === 0).length;
    expect(we!.data.filter((v) => v === 0).length).toBe(0);
    expect(zerosInTraining).toBeGreaterThan(5);
    for (let i = 0; i < wt!.size; i++) if (wt!.data[i] !== 0) expect(wt!.data[i]).toBeCloseTo(2 * we!.data[i]!, 5);
  });

  it('records no graph under noGrad', () => {
    const m = new nn.MultiheadAttention(4, 2);
    const x = randn(2, 1, 4);
    const [o, w] = noGrad(() => m.forward(x, x, x));
    expect(o.gradFn).toBeNull();
    expect(w!.gradFn).toBeNull();
  });

  it('validates arguments with clear messages', () => {
    expect(() => new nn.MultiheadAttention(6, 4)).toThrow('MultiheadAttention: embedDim must be divisible by numHeads, but received 6 and 4');
    expect(() => new nn.MultiheadAttention(4, 2, { addBiasKV: true } as never)).toThrow(/unknown option "addBiasKV"/);
    expect(() => new nn.MultiheadAttention(4, 2, { dropout: -0.1 })).toThrow(RangeError);
    const m = new nn.MultiheadAttention(4, 2);
    const x = randn(3, 2, 4);
    expect(() => m.forward(x, randn(3, 2, 5), x)).toThrow('MultiheadAttention: key has 5 features, expected kdim 4');
    expect(() => m.forward(x, x, randn(4, 2, 4))).toThrow(/key and value must have the same sequence length/);
    expect(() => m.forward(x, x, x, { attnMask: zeros(2, 3) })).toThrow('MultiheadAttention: options.attnMask has shape [2, 3], expected [3, 3] or [4, 3, 3]');
    expect(() => m.forward(x, x, x, { keyPaddingMask: [true] })).toThrow(/options.keyPaddingMask has 1 elements, expected 6/);
    expect(() => m.forward(x, x, x, { keyPaddingMask: 'no' as never })).toThrow(TypeError);
    expect(() => m.forward(x, x, x, { needWeight: false } as never)).toThrow(/unknown option "needWeight"/);
  });

  it('a fully masked query row gives NaN, as PyTorch', () => {
    const m = new nn.MultiheadAttention(4, 1);
    const x = randn(2, 1, 4);
    const [out] = m.forward(x, x, x, { attnMask: new Tensor(Float32Array.of(-Infinity, -Infinity, 0, 0), [2, 2]) });
    expect(Number.isNaN(out.data[0])).toBe(true);
    expect(Number.isFinite(out.data[4])).toBe(true);
  });
});
