import { describe, expect, it } from 'vitest';

import { Tensor, io, manualSeed, nn, noGrad, randn } from '../../src/index.js';

describe('nn.Bilinear', () => {
  it("initialises weight and bias uniformly within 1/sqrt(in1Features), as PyTorch's reset_parameters", () => {
    manualSeed(1);
    const m = new nn.Bilinear(16, 3, 40);
    expect(m.weight.shape).toEqual([40, 16, 3]);
    expect(m.bias!.shape).toEqual([40]);
    const bound = 1 / Math.sqrt(16);
    for (const t of [m.weight, m.bias!]) {
      const v = Array.from(t.data);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
      // spread over the interval, not a constant
      expect(Math.max(...v) - Math.min(...v)).toBeGreaterThan(bound);
    }
    expect(new nn.Bilinear(2, 3, 4, { bias: false }).bias).toBeNull();
  });

  it('prints, saves and rebuilds like the other built-in modules', () => {
    const m = new nn.Bilinear(3, 2, 4, { bias: false });
    expect(String(m)).toBe('Bilinear(in1Features=3, in2Features=2, outFeatures=4, bias=false)');
    expect(m.constructor.name).toBe('Bilinear');
    expect(io.modelConfig(m)).toEqual({ type: 'Bilinear', args: [3, 2, 4, { bias: false }] });
    const back = io.buildModel(io.modelConfig(m)) as nn.Bilinear;
    expect(back.weight.shape).toEqual([4, 3, 2]);
    expect(back.bias).toBeNull();
  });

  it('computes x1^T W_o x2 + b_o per row', () => {
    const m = new nn.Bilinear(2, 2, 1);
    m.weight.data.set([1, 2, 3, 4]);
    m.bias!.data.set([0.5]);
    const y = m.forward(new Tensor(Float32Array.of(1, -1), [1, 2]), new Tensor(Float32Array.of(2, 1), [1, 2]));
    // [1, -1] [[1, 2], [3, 4]] [2, 1]^T = [-2, -2] . [2, 1] = -6
    expect(Array.from(y.data)).toEqual([-5.5]);
    expect(y.shape).toEqual([1, 1]);
  });

  it('records no graph under noGrad and handles an empty batch', () => {
    const m = new nn.Bilinear(3, 2, 4);
    const y = noGrad(() => m.forward(randn(5, 3), randn(5, 2)));
    expect(y.gradFn).toBeNull();
    const e = m.forward(randn(0, 3), randn(0, 2));
    expect(e.shape).toEqual([0, 4]);
  });
});
