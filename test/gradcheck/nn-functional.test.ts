import { describe, expect, it } from 'vitest';

import { Generator, Tensor, backend, manualSeed, nn, randn, tensor } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

const F = nn.functional;

function check(f: (...t: Tensor[]) => Tensor, shapes: number[][], opts?: { eps?: number; atol?: number; rtol?: number; shift?: (t: Tensor) => void }) {
  manualSeed(31);
  const inputs = shapes.map((s) => randn(s));
  if (opts?.shift) inputs.forEach(opts.shift);
  inputs.forEach((t) => t.requiresGrad_());
  const probe = f(...inputs);
  const w = randn([...probe.shape]).data;
  return gradcheck((...t) => weightedSum(f(...t), w), inputs, opts);
}

// Keep inputs away from kinks (|x| < 0.05) where central differences straddle them.
const awayFromZero = (t: Tensor) => {
  for (let i = 0; i < t.size; i++) if (Math.abs(t.data[i]!) < 0.05) t.data[i] = 0.3;
};

describe('activation gradients match finite differences (every module)', () => {
  const cases: [string, nn.Module][] = [
    ['ReLU', new nn.ReLU()],
    ['LeakyReLU(0.2)', new nn.LeakyReLU({ negativeSlope: 0.2 })],
    ['ELU(0.7)', new nn.ELU({ alpha: 0.7 })],
    ['SELU', new nn.SELU()],
    ['GELU', new nn.GELU()],
    ['GELU tanh', new nn.GELU({ approximate: 'tanh' })],
    ['SiLU', new nn.SiLU()],
    ['Mish', new nn.Mish()],
    ['Sigmoid', new nn.Sigmoid()],
    ['Tanh', new nn.Tanh()],
    ['Softplus(beta 2, threshold 3)', new nn.Softplus({ beta: 2, threshold: 3 })],
    ['Hardtanh(-0.5, 0.8)', new nn.Hardtanh({ minVal: -0.5, maxVal: 0.8 })],
    ['Hardsigmoid', new nn.Hardsigmoid()],
    ['Hardswish', new nn.Hardswish()],
    ['Softmax(dim 0)', new nn.Softmax({ dim: 0 })],
    ['Softmax(dim -1)', new nn.Softmax({ dim: -1 })],
    ['Softmax(implicit dim 0 of a 3-D input)', new nn.Softmax()],
    ['LogSoftmax(implicit dim 0 of a 3-D input)', new nn.LogSoftmax()],
    ['LogSoftmax(dim 1)', new nn.LogSoftmax({ dim: 1 })],
  ];
  for (const [label, m] of cases) {
    it(label, () => {
      const shift = (t: Tensor) => {
        awayFromZero(t);
        // Hard* kinks sit at +-3 and at the Hardtanh bounds.
        for (let i = 0; i < t.size; i++) {
          const v = t.data[i]!;
          if ([-3, 3, -0.5, 0.8].some((k) => Math.abs(v - k) < 0.05)) t.data[i] = v + 0.1;
        }
      };
      expect(check((x) => m.forward(x!) as Tensor, [[3, 4, 5]], { shift, eps: 1e-2 })).toBeLessThanOrEqual(1);
    });
  }
  it('train mode vs eval mode makes no difference for activations', () => {
    const m = new nn.GELU();
    const x = randn(5);
    const a = m.forward(x);
    m.eval();
    expect(Array.from(m.forward(x).data)).toEqual(Array.from(a.data));
  });
});

describe('loss gradients match finite differences (every loss)', () => {
  const targets = (n: number, c: number) => Int32Array.from({ length: n }, (_, i) => (i * 7) % c);
  const probs = (t: Tensor) => {
    for (let i = 0; i < t.size; i++) t.data[i] = 0.1 + 0.8 * (0.5 + 0.5 * Math.tanh(t.data[i]!));
  };
  const cases: [string, (...t: Tensor[]) => Tensor, number[][], ((t: Tensor) => void)?][] = [
    ['MSELoss', (x) => new nn.MSELoss().forward(x!, tensor([[1, 2, 3], [0, -1, 0.5]])), [[2, 3]]],
    ['MSELoss sum', (x) => new nn.MSELoss({ reduction: 'sum' }).forward(x!, tensor([1, 2])), [[2]]],
    ['L1Loss none', (x) => new nn.L1Loss({ reduction: 'none' }).forward(x!, tensor([5, -5, 0.5])), [[3]], awayFromZero],
    ['HuberLoss(delta 0.5)', (x) => new nn.HuberLoss({ delta: 0.5 }).forward(x!, tensor([0.1, 2, -3, 0])), [[4]]],
    ['SmoothL1Loss(beta 0.3)', (x) => new nn.SmoothL1Loss({ beta: 0.3 }).forward(x!, tensor([0.1, 2, -3, 0])), [[4]]],
    ['BCELoss', (x) => new nn.BCELoss().forward(x!, tensor([0, 1, 1, 0.3])), [[4]], probs],
    ['BCEWithLogitsLoss posWeight', (x) => new nn.BCEWithLogitsLoss({ posWeight: tensor([2, 0.5]) }).forward(x!, tensor([[0, 1], [1, 0.25]])), [[2, 2]]],
    ['KLDivLoss', (x) => new nn.KLDivLoss({ reduction: 'sum' }).forward(x!, tensor([0.2, 0.3, 0.5])), [[3]]],
    ['KLDivLoss logTarget', (x) => new nn.KLDivLoss({ logTarget: true }).forward(x!, tensor([-1, -2, -0.5])), [[3]]],
    ['CrossEntropyLoss', (x) => new nn.CrossEntropyLoss().forward(x!, targets(4, 5)), [[4, 5]]],
    ['CrossEntropyLoss weights, ignoreIndex, smoothing', (x) => new nn.CrossEntropyLoss({ weight: tensor([1, 2, 0.5, 1, 3]), ignoreIndex: 2, labelSmoothing: 0.1 }).forward(x!, targets(6, 5)), [[6, 5]]],
    ['CrossEntropyLoss none', (x) => new nn.CrossEntropyLoss({ reduction: 'none' }).forward(x!, targets(3, 4)), [[3, 4]]],
    ['CrossEntropyLoss one sample', (x) => new nn.CrossEntropyLoss().forward(x!, [2]), [[4]]],
    ['NLLLoss', (x) => new nn.NLLLoss({ weight: tensor([1, 2, 3]) }).forward(F.logSoftmax(x!), [0, 2, 1, 2]), [[4, 3]]],
    ['MarginRankingLoss', (a, b) => new nn.MarginRankingLoss({ margin: 0.1 }).forward(a!, b!, tensor([1, -1, 1, -1, 1])), [[5], [5]]],
    ['CosineEmbeddingLoss', (a, b) => new nn.CosineEmbeddingLoss({ margin: -0.5 }).forward(a!, b!, tensor([1, -1, 1])), [[3, 4], [3, 4]]],
  ];
  for (const [label, f, shapes, shift] of cases) {
    it(label, () => {
      expect(check(f, shapes, { ...(shift ? { shift } : {}), eps: 1e-3, atol: 5e-3 })).toBeLessThanOrEqual(1);
    });
  }
});

describe('dropout', () => {
  it('is the identity in eval mode and scales kept elements by 1/(1-p) in training', () => {
    const d = new nn.Dropout({ p: 0.25 });
    const x = randn(1000);
    const y = d.forward(x);
    let kept = 0;
    for (let i = 0; i < x.size; i++) {
      if (y.data[i] !== 0) {
        kept++;
        expect(y.data[i]).toBeCloseTo(x.data[i]! / 0.75, 5);
      }
    }
    expect(kept / x.size).toBeGreaterThan(0.7);
    expect(kept / x.size).toBeLessThan(0.8);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(() => new nn.Dropout({ p: 1.5 })).toThrow(/p must be in \[0, 1\]/);
  });
  it('masks are reproducible from the seed and independent of the thread count; gradients use the same mask', () => {
    const before = backend.getNumThreads();
    const masks: number[][] = [];
    for (const threads of [1, 2, 7]) {
      backend.setNumThreads(threads);
      const x = tensor(Array.from({ length: 50_000 }, () => 1)).requiresGrad_();
      const y = F.dropout(x, { p: 0.5, generator: new Generator(99) });
      weightedSum(y).backward();
      masks.push(Array.from(x.grad!.data.subarray(0, 2000)));
      expect(Array.from(x.grad!.data)).toEqual(Array.from(y.data));
    }
    backend.setNumThreads(before);
    expect(masks[1]).toEqual(masks[0]);
    expect(masks[2]).toEqual(masks[0]);
  });
  it('Dropout2d drops whole channels', () => {
    const y = new nn.Dropout2d({ p: 0.5 }).forward(tensor(Array.from({ length: 2 * 8 * 9 }, () => 1), [2, 8, 9]));
    for (let ch = 0; ch < 16; ch++) {
      const vals = new Set(Array.from(y.data.subarray(ch * 9, ch * 9 + 9)));
      expect(vals.size).toBe(1);
    }
  });
});

describe('pad and oneHot', () => {
  it('pad pads or crops the last dimensions with gradients', () => {
    expect(F.pad(tensor([[1, 2], [3, 4]]), [1, 0, 0, 1], { value: 9 }).toArray()).toEqual([[9, 1, 2], [9, 3, 4], [9, 9, 9]]);
    expect(F.pad(tensor([1, 2, 3, 4]), [-1, -2]).toArray()).toEqual([2]);
    expect(check((x) => F.pad(x!, [2, 1, 1, -1]), [[2, 3, 4]])).toBeLessThanOrEqual(1);
    expect(() => F.pad(tensor([1]), [1])).toThrow(TypeError);
  });
  it('pad modes reflect, replicate and circular, as torch.nn.functional.pad, with gradients', () => {
    const x = tensor([[[1, 2, 3], [4, 5, 6]]]);
    expect(F.pad(x, [2, 1], { mode: 'reflect' }).toArray()).toEqual([[[3, 2, 1, 2, 3, 2], [6, 5, 4, 5, 6, 5]]]);
    expect(F.pad(x, [1, 2, 1, 0], { mode: 'replicate' }).toArray()).toEqual([[[1, 1, 2, 3, 3, 3], [1, 1, 2, 3, 3, 3], [4, 4, 5, 6, 6, 6]]]);
    expect(F.pad(x.reshape(1, 1, 2, 3), [3, 1, 0, 2], { mode: 'circular' }).toArray()).toEqual([[[[1, 2, 3, 1, 2, 3, 1], [4, 5, 6, 4, 5, 6, 4], [1, 2, 3, 1, 2, 3, 1], [4, 5, 6, 4, 5, 6, 4]]]]);
    for (const mode of ['reflect', 'replicate', 'circular'] as const) {
      expect(check((t) => F.pad(t!, [2, 1, 1, 2], { mode }), [[2, 3, 4]]), mode).toBeLessThanOrEqual(1);
    }
    expect(() => F.pad(x, [1, 1], { mode: 'wrap' as never })).toThrow('pad: options.mode must be "constant", "reflect", "replicate" or "circular", but received a string ("wrap")');
    expect(() => F.pad(x, [1, 1, 1, 1, 1, 1], { mode: 'replicate' })).toThrow('pad: mode "replicate" pads at most the last 2 dimensions of a 3-D input');
    expect(() => F.pad(x, [-1, 1], { mode: 'replicate' })).toThrow('pad: mode "replicate" needs non-negative padding, but received -1 and 1 for dimension 2');
    expect(() => F.pad(x, [4, 0], { mode: 'circular' })).toThrow('pad: mode "circular" needs padding at most the dimension');
    expect(() => F.pad(x, [1, 1], { mode: 'reflect', value: 2 })).toThrow('pad: options.value only applies to mode "constant"');
  });
  it('oneHot', () => {
    expect(F.oneHot([0, 2]).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(F.oneHot(tensor([[1]]), 3).shape).toEqual([1, 1, 3]);
    expect(() => F.oneHot([3], 2)).toThrow(RangeError);
  });
});

describe('TransformerEncoderLayer', () => {
  it('gradients match finite differences (post-norm and pre-norm)', () => {
    for (const normFirst of [false, true]) {
      manualSeed(51);
      const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 12, dropout: 0, normFirst, batchFirst: true });
      const x = randn(2, 3, 8).requiresGrad_();
      const w = randn(2, 3, 8).data;
      expect(gradcheck((t) => weightedSum(layer.forward(t!), w), [x, layer.linear1.weight, layer.selfAttn.getParameter('in_proj_weight')!], { eps: 1e-2, atol: 5e-3 })).toBeLessThanOrEqual(1);
    }
  });
  it('rejects bad options and prints its structure', () => {
    expect(() => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as never })).toThrow(/activation must be "relu" or "gelu"/);
    expect(String(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 4 }))).toContain('(linear1): Linear(inFeatures=8, outFeatures=4, bias=true)');
  });
});
