// Gradients of the activations, resizing and pixel-shuffle modules added with
// src/nn/activation-extra.ts, upsample.ts and pixel-shuffle.ts against central
// differences, away from the kinks (0, 6, the threshold) where differences straddle them.
import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

const F = nn.functional;

/** Moves every element within 0.05 of a kink 0.1 above it. */
const awayFrom = (...kinks: number[]) => (t: Tensor) => {
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i]!;
    if (kinks.some((k) => Math.abs(v - k) < 0.05)) t.data[i] = v + 0.1;
  }
};

function check(f: (...t: Tensor[]) => Tensor, shapes: number[][], opts?: { scale?: number; shift?: (t: Tensor) => void }) {
  manualSeed(37);
  const inputs = shapes.map((s) => randn(s));
  for (const t of inputs) {
    if (opts?.scale !== undefined) for (let i = 0; i < t.size; i++) t.data[i]! *= opts.scale;
    opts?.shift?.(t);
    t.requiresGrad_();
  }
  const w = randn([...f(...inputs).shape]).data;
  return gradcheck((...t) => weightedSum(f(...t), w), inputs);
}

describe('activation modules match finite differences', () => {
  const cases: [string, nn.Module, number[], number?, ((t: Tensor) => void)?][] = [
    ['ReLU6', new nn.ReLU6(), [3, 4, 5], 4, awayFrom(0, 6)],
    ['LogSigmoid', new nn.LogSigmoid(), [3, 4, 5], 4],
    ['Softsign', new nn.Softsign(), [3, 4, 5], 3, awayFrom(0)],
    ['Softmin(dim 1)', new nn.Softmin({ dim: 1 }), [3, 4, 5]],
    ['Softmin(implicit dim)', new nn.Softmin(), [2, 7]],
    ['GLU', new nn.GLU(), [3, 6]],
    ['GLU(dim 1)', new nn.GLU({ dim: 1 }), [2, 4, 3]],
    ['Threshold(0.3, -2)', new nn.Threshold(0.3, -2), [3, 4, 5], 1, awayFrom(0.3)],
    ['CELU', new nn.CELU(), [3, 4, 5], 2, awayFrom(0)],
    ['CELU(alpha 0.6)', new nn.CELU({ alpha: 0.6 }), [3, 4, 5], 2, awayFrom(0)],
    ['CELU(alpha -1.5)', new nn.CELU({ alpha: -1.5 }), [3, 4, 5], 2, awayFrom(0)],
    ['PReLU', new nn.PReLU(), [2, 3, 4], 1, awayFrom(0)],
    ['PReLU(3 channels)', new nn.PReLU({ numParameters: 3, init: 0.4 }), [2, 3, 2, 2], 1, awayFrom(0)],
  ];
  for (const [label, m, shape, scale, shift] of cases) {
    it(label, () => {
      expect(check((x) => m.forward(x!) as Tensor, [shape], { scale, shift })).toBeLessThanOrEqual(1);
    });
  }
});

describe('prelu gradients of input and weight', () => {
  it('one slope per channel', () => {
    expect(check((x, w) => F.prelu(x!, w!), [[2, 3, 4], [3]], { shift: awayFrom(0) })).toBeLessThanOrEqual(1);
  });
  it('one shared slope, 0-d weight', () => {
    expect(check((x, w) => F.prelu(x!, w!), [[5, 2], []], { shift: awayFrom(0) })).toBeLessThanOrEqual(1);
  });
  it("the module's weight gradient is the functional one's", () => {
    manualSeed(4);
    const m = new nn.PReLU({ numParameters: 2 });
    const x = randn(3, 2, 5);
    weightedSum(m.forward(x)).backward();
    const w = m.weight.detach().requiresGrad_();
    weightedSum(F.prelu(x, w)).backward();
    expect(Array.from(m.weight.grad!.data)).toEqual(Array.from(w.grad!.data));
  });
});

describe('resizing and pixel shuffles match finite differences', () => {
  const cases: [string, (x: Tensor) => Tensor, number[]][] = [
    ['Upsample 1-D by scale factor 1.7', (x) => new nn.Upsample({ scaleFactor: 1.7 }).forward(x), [2, 2, 5]],
    ['Upsample 1-D down to 3', (x) => new nn.Upsample({ size: 3 }).forward(x), [1, 2, 7]],
    ['Upsample 2-D by [2.5, 0.6]', (x) => new nn.Upsample({ scaleFactor: [2.5, 0.6] }).forward(x), [2, 2, 3, 7]],
    ['Upsample 2-D one channel by 1.1 (exact cases)', (x) => new nn.Upsample({ scaleFactor: 1.1 }).forward(x), [2, 1, 4, 3]],
    ['interpolate 2-D to [5, 2]', (x) => F.interpolate(x, { size: [5, 2] }), [1, 3, 3, 4]],
    ['PixelShuffle(2)', (x) => new nn.PixelShuffle(2).forward(x), [2, 8, 2, 3]],
    ['pixelShuffle(3), no batch', (x) => F.pixelShuffle(x, 3), [9, 2, 1]],
    ['PixelUnshuffle(2)', (x) => new nn.PixelUnshuffle(2).forward(x), [2, 2, 4, 6]],
    ['pixelUnshuffle(2), two batch dims', (x) => F.pixelUnshuffle(x, 2), [2, 1, 1, 2, 4]],
  ];
  for (const [label, f, shape] of cases) {
    it(label, () => {
      expect(check((x) => f(x!), [shape])).toBeLessThanOrEqual(1);
    });
  }
  it('pixelUnshuffle undoes pixelShuffle', () => {
    manualSeed(5);
    const x = randn(2, 3, 8, 2, 3);
    expect(Array.from(F.pixelUnshuffle(F.pixelShuffle(x, 2), 2).data)).toEqual(Array.from(x.data));
  });
});
