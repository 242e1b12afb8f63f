// Finite-difference gradient checks for the conv and pooling functions and modules,
// for input, weight and bias, over every option combination that changes the code path.
import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, randn } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

const F = nn.functional;

/** A scalar probe: sum of the output weighted by fixed random weights. */
function probe(y: Tensor, seed: number): Tensor {
  manualSeed(seed);
  return weightedSum(y, randn([...y.shape]).data);
}

/** Distinct values 0.05 apart in shuffled order, so max pooling has no near-ties under eps = 1e-2. */
function spread(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return new Tensor(Float32Array.from(v), shape).requiresGrad_();
}

describe('conv2d gradients match finite differences', () => {
  const cases: [string, number[], number[], Record<string, unknown>][] = [
    ['3x3, padding 1', [2, 3, 5, 6], [4, 3, 3, 3], { padding: 1 }],
    ['stride 2, rectangular kernel, no padding', [1, 2, 7, 6], [3, 2, 3, 2], { stride: 2 }],
    ['stride (2, 1), padding (1, 2), dilation (2, 1)', [2, 2, 7, 5], [2, 2, 2, 3], { stride: [2, 1], padding: [1, 2], dilation: [2, 1] }],
    ['groups 2', [1, 4, 5, 5], [6, 2, 3, 3], { groups: 2, padding: 1 }],
    ['depthwise', [2, 3, 6, 4], [3, 1, 3, 2], { groups: 3 }],
    ["padding 'same', odd kernel", [1, 2, 5, 4], [3, 2, 3, 3], { padding: 'same' }],
    ["padding 'same', even kernel (asymmetric)", [1, 2, 5, 4], [2, 2, 2, 4], { padding: 'same', dilation: [1, 1] }],
    ["padding 'same' with dilation 2 (asymmetric width)", [1, 1, 6, 5], [2, 1, 2, 2], { padding: 'same', dilation: 2 }],
    ["padding 'valid'", [1, 2, 5, 5], [2, 2, 3, 3], { padding: 'valid' }],
    ['1x1 pointwise', [2, 4, 3, 3], [5, 4, 1, 1], {}],
    ['unbatched input', [2, 5, 5], [3, 2, 3, 3], { padding: 1, stride: 2 }],
  ];
  for (const [label, xs, ws, opts] of cases) {
    for (const bias of [true, false]) {
      it(`${label}${bias ? '' : ', no bias'}`, () => {
        manualSeed(11);
        const x = randn(xs).requiresGrad_();
        const w = randn(ws).requiresGrad_();
        const b = bias ? randn(ws[0]!).requiresGrad_() : null;
        const f = (...t: Tensor[]) => probe(F.conv2d(t[0]!, t[1]!, t[2] ?? null, opts), 3);
        expect(gradcheck(f, b ? [x, w, b] : [x, w])).toBeLessThanOrEqual(1);
      });
    }
  }
});

describe('conv1d gradients match finite differences', () => {
  for (const [label, xs, ws, opts] of [
    ['kernel 3, padding 1', [2, 3, 9], [4, 3, 3], { padding: 1 }],
    ['stride 2, dilation 2, groups 3', [1, 6, 11], [3, 2, 2], { stride: 2, dilation: 2, groups: 3 }],
    ["padding 'same', even kernel", [2, 2, 7], [2, 2, 4], { padding: 'same' }],
  ] as [string, number[], number[], Record<string, unknown>][]) {
    it(label, () => {
      manualSeed(12);
      const x = randn(xs).requiresGrad_();
      const w = randn(ws).requiresGrad_();
      const b = randn(ws[0]!).requiresGrad_();
      const f = (...t: Tensor[]) => probe(F.conv1d(t[0]!, t[1]!, t[2]!, opts), 4);
      expect(gradcheck(f, [x, w, b])).toBeLessThanOrEqual(1);
    });
  }
});

describe('convTranspose2d gradients match finite differences', () => {
  for (const [label, xs, ws, opts] of [
    ['3x3 stride 1', [2, 3, 4, 3], [3, 2, 3, 3], {}],
    ['stride 2, padding 1, output padding 1', [1, 2, 3, 4], [2, 3, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }],
    ['stride (2, 3), dilation (2, 1), groups 2', [2, 4, 3, 2], [4, 1, 2, 3], { stride: [2, 3], dilation: [2, 1], groups: 2 }],
    ['output padding below dilation', [1, 2, 3, 3], [2, 2, 2, 2], { dilation: 3, outputPadding: [2, 1] }],
  ] as [string, number[], number[], Record<string, unknown>][]) {
    for (const bias of [true, false]) {
      it(`${label}${bias ? '' : ', no bias'}`, () => {
        manualSeed(13);
        const x = randn(xs).requiresGrad_();
        const w = randn(ws).requiresGrad_();
        const groups = (opts.groups as number | undefined) ?? 1;
        const b = bias ? randn(ws[1]! * groups).requiresGrad_() : null;
        const f = (...t: Tensor[]) => probe(F.convTranspose2d(t[0]!, t[1]!, t[2] ?? null, opts), 5);
        expect(gradcheck(f, b ? [x, w, b] : [x, w])).toBeLessThanOrEqual(1);
      });
    }
  }
});

describe('pooling gradients match finite differences', () => {
  const maxCases: [string, number[], number | number[], Record<string, unknown>][] = [
    ['2x2 stride 2', [2, 3, 6, 6], 2, {}],
    ['3x3 stride 2 padding 1 ceilMode', [1, 2, 7, 8], 3, { stride: 2, padding: 1, ceilMode: true }],
    ['(3, 2) dilation (2, 1) stride 1', [1, 2, 7, 5], [3, 2], { stride: 1, dilation: [2, 1] }],
    ['unbatched, stride (1, 2)', [2, 5, 6], [2, 3], { stride: [1, 2], padding: [1, 1] }],
  ];
  for (const [label, xs, k, opts] of maxCases) {
    it(`maxPool2d ${label}`, () => {
      const x = spread(xs, 21);
      expect(gradcheck((t) => probe(F.maxPool2d(t, k, opts), 6), [x])).toBeLessThanOrEqual(1);
    });
  }
  it('maxPool1d kernel 3 stride 2 padding 1 dilation 2 ceilMode', () => {
    const x = spread([2, 3, 11], 22);
    expect(gradcheck((t) => probe(F.maxPool1d(t, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), 7), [x])).toBeLessThanOrEqual(1);
  });
  const avgCases: [string, number[], number | number[], Record<string, unknown>][] = [
    ['2x2', [2, 3, 6, 5], 2, {}],
    ['3x3 stride 2 padding 1, countIncludePad', [1, 2, 7, 6], 3, { stride: 2, padding: 1 }],
    ['3x3 stride 2 padding 1 ceilMode, no countIncludePad', [1, 2, 7, 6], 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }],
    ['(2, 3) divisorOverride 4', [2, 1, 5, 7], [2, 3], { stride: [1, 2], padding: [1, 1], divisorOverride: 4 }],
  ];
  for (const [label, xs, k, opts] of avgCases) {
    it(`avgPool2d ${label}`, () => {
      manualSeed(23);
      const x = randn(xs).requiresGrad_();
      expect(gradcheck((t) => probe(F.avgPool2d(t, k, opts), 8), [x])).toBeLessThanOrEqual(1);
    });
  }
  it('avgPool1d kernel 4 stride 3 padding 2 ceilMode without countIncludePad', () => {
    manualSeed(24);
    const x = randn(2, 2, 10).requiresGrad_();
    expect(gradcheck((t) => probe(F.avgPool1d(t, 4, { stride: 3, padding: 2, ceilMode: true, countIncludePad: false }), 9), [x])).toBeLessThanOrEqual(1);
  });
  for (const [xs, out] of [
    [[2, 3, 7, 5], [3, 2]],
    [[1, 2, 5, 5], 5],
    [[1, 2, 4, 9], [null, 4]],
    [[3, 6, 6], 1],
  ] as [number[], number | (number | null)[]][]) {
    it(`adaptiveAvgPool2d ${JSON.stringify(xs)} -> ${JSON.stringify(out)}`, () => {
      manualSeed(25);
      const x = randn(xs).requiresGrad_();
      expect(gradcheck((t) => probe(F.adaptiveAvgPool2d(t, out), 10), [x])).toBeLessThanOrEqual(1);
    });
  }
});

describe('modules pass gradient checks through their parameters', () => {
  it('Conv2d, Conv1d and ConvTranspose2d with non-default options', () => {
    manualSeed(30);
    const mods: [nn.Module & { weight: nn.Parameter; bias: nn.Parameter | null }, number[]][] = [
      [new nn.Conv2d(4, 6, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }), [2, 4, 7, 6]],
      [new nn.Conv1d(3, 4, 3, { padding: 'same', bias: false }), [2, 3, 8]],
      [new nn.ConvTranspose2d(2, 4, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), [1, 2, 3, 3]],
    ];
    for (const [m, xs] of mods) {
      const x = randn(xs).requiresGrad_();
      const params = m.bias ? [x, m.weight, m.bias] : [x, m.weight];
      const f = () => probe(m.forward(x), 31);
      expect(gradcheck(f, params)).toBeLessThanOrEqual(1);
    }
  });
  it('MaxPool2d, AvgPool2d, AvgPool1d, MaxPool1d and AdaptiveAvgPool2d', () => {
    const cases: [nn.Module, number[]][] = [
      [new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [1, 2, 6, 7]],
      [new nn.AvgPool2d([3, 2], { stride: 2, padding: 1, countIncludePad: false }), [1, 2, 6, 7]],
      [new nn.MaxPool1d(2), [2, 2, 9]],
      [new nn.AvgPool1d(3, { stride: 2 }), [2, 2, 9]],
      [new nn.AdaptiveAvgPool2d([2, 3]), [1, 2, 5, 7]],
    ];
    for (const [m, xs] of cases) {
      const x = spread(xs, 32);
      expect(gradcheck(() => probe(m.forward(x), 33), [x])).toBeLessThanOrEqual(1);
    }
  });
});
