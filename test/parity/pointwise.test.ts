// Activations, softmax and losses match PyTorch 1.13 (fixture: scripts/fixtures/pointwise.py)
// on every ISA level: values and gradients at ~1e-5 relative, and special values
// exactly (NaN where PyTorch gives NaN, +-Infinity, the sign of zero).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import {
  type ActivationName,
  activation,
  activationBackward,
  activationSavesOutput,
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  huberLoss,
  klDivLoss,
  l1Loss,
  logSoftmax,
  logSoftmaxBackward,
  type LossReduction,
  type LossResult,
  mseLoss,
  nllLoss,
  smoothL1Loss,
  softmax,
  softmaxBackward,
  Tensor,
} from '../helpers/kernel-api.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { abs, clamp, exp, expm1, log, log1p, pow, reciprocal, sqrt, square } from '../../src/ops/math.js';

type Num = number | 'nan' | 'inf' | '-inf' | '-0';
const dec = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v);
const arr = (a: Num[]): Float32Array => Float32Array.from(a, dec);

type MathCase = { name: ActivationName; options: Record<string, Num>; y: Num[]; dx: Num[]; gradFn: string };
interface Fixture {
  math: { x: Num[]; dy: Num[]; cases: MathCase[] };
  activations: { x: Num[]; dy: Num[]; cases: { name: ActivationName; options: Record<string, number>; y: Num[]; dx: Num[] }[] };
  softmax: { rows: number; cols: number; x: Num[]; dy: Num[]; softmax: { y: Num[]; dx: Num[] }; logSoftmax: { y: Num[]; dx: Num[] } };
  losses: {
    name: string;
    options: Record<string, unknown>;
    input: Num[];
    target: Num[];
    shape: number[];
    none: { value: Num[]; grad: Num[] };
    mean: { value: Num[]; grad: Num[] };
    sum: { value: Num[]; grad: Num[] };
    batchmean?: { value: Num[]; grad: Num[] };
  }[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/pointwise.json', import.meta.url), 'utf8')) as Fixture;

const REL = 1e-5;
const ABS = 1e-6;

/** Indices where got differs from want beyond tolerance or in special-value behaviour. */
function mismatches(got: ArrayLike<number>, want: ArrayLike<number>, rel = REL, abs = ABS): string[] {
  const bad: string[] = [];
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    let ok: boolean;
    if (Number.isNaN(w) || !Number.isFinite(w)) ok = Object.is(g, w);
    else if (w === 0 && g === 0) ok = Object.is(g, w);
    else ok = Math.abs(g - w) <= rel * Math.abs(w) + abs;
    if (!ok) bad.push(`[${i}] got ${Object.is(g, -0) ? '-0' : g}, want ${Object.is(w, -0) ? '-0' : w}`);
  }
  return bad;
}

describe.each(isaLevels)('PyTorch parity on %s', (isa) => {
  const x = new Tensor(arr(fx.activations.x));
  const dy = new Tensor(arr(fx.activations.dy));
  for (const c of fx.activations.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      withIsa(isa, () => {
        const y = activation(c.name, x, c.options);
        const xs = Array.from(x.data);
        const label = (m: string[]) => m.map((s) => `${s} (x = ${xs[Number(s.slice(1, s.indexOf(']')))]})`);
        expect(label(mismatches(y.data, arr(c.y))), 'forward').toEqual([]);
        const saved = activationSavesOutput(c.name) ? y : x;
        const dx = activationBackward(c.name, saved, dy, c.options);
        expect(label(mismatches(dx.data, arr(c.dx))), 'backward').toEqual([]);
      });
    });
  }

  // Elementwise math on 72 elements (PyTorch's vectorised path), every ISA.
  const mx = new Tensor(arr(fx.math.x));
  const mdy = new Tensor(arr(fx.math.dy));
  for (const c of fx.math.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      withIsa(isa, () => {
        const opts = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, dec(v)]));
        const y = activation(c.name, mx, opts);
        const xs = Array.from(mx.data);
        const label = (m: string[]) => m.map((s) => `${s} (x = ${xs[Number(s.slice(1, s.indexOf(']')))]})`);
        expect(label(mismatches(y.data, arr(c.y))), 'forward').toEqual([]);
        const dx = activationBackward(c.name, activationSavesOutput(c.name) ? y : mx, mdy, opts);
        expect(label(mismatches(dx.data, arr(c.dx))), 'backward').toEqual([]);
      });
    });
  }

  it('softmax and logSoftmax, forward and backward', () => {
    withIsa(isa, () => {
      const s = fx.softmax;
      const xs = new Tensor(arr(s.x), [s.rows, s.cols]);
      const g = new Tensor(arr(s.dy), [s.rows, s.cols]);
      const y = softmax(xs);
      expect(mismatches(y.data, arr(s.softmax.y)), 'softmax').toEqual([]);
      expect(mismatches(softmaxBackward(y, g).data, arr(s.softmax.dx)), 'softmax backward').toEqual([]);
      const ly = logSoftmax(xs);
      expect(mismatches(ly.data, arr(s.logSoftmax.y)), 'logSoftmax').toEqual([]);
      expect(mismatches(logSoftmaxBackward(ly, g).data, arr(s.logSoftmax.dx)), 'logSoftmax backward').toEqual([]);
    });
  });

  for (const c of fx.losses) {
    it(`${c.name} loss ${JSON.stringify(c.options)}`, () => {
      withIsa(isa, () => {
        const input = new Tensor(arr(c.input), c.shape);
        const target = new Tensor(arr(c.target), c.name === 'crossEntropy' || c.name === 'nll' ? [c.shape[0]!] : c.shape);
        const reductions: (LossReduction | 'batchmean')[] = c.batchmean ? ['none', 'mean', 'sum', 'batchmean'] : ['none', 'mean', 'sum'];
        for (const red of reductions) {
          const o = c.options;
          let r: LossResult;
          switch (c.name) {
            case 'klDiv': r = klDivLoss(input, target, { reduction: red, logTarget: o.logTarget as boolean }); break;
            default: {
              if (red === 'batchmean') throw new Error(`batchmean is klDiv only (${c.name})`);
              r = others(c.name, red, input, target, o);
            }
          }
          const want = c[red]!;
          const value = red === 'none' ? r.losses!.data : [r.value];
          expect(mismatches(value, arr(want.value)), `${red} value`).toEqual([]);
          expect(mismatches(r.grad.data, arr(want.grad)), `${red} grad`).toEqual([]);
        }
      });
    });
  }
});

/** Every loss but klDiv, by fixture name. */
function others(name: string, red: LossReduction, input: Tensor, target: Tensor, o: Record<string, unknown>): LossResult {
  let r: LossResult;
  switch (name) {
    case 'mse': r = mseLoss(input, target, { reduction: red }); break;
    case 'l1': r = l1Loss(input, target, { reduction: red }); break;
    case 'huber': r = huberLoss(input, target, { reduction: red, delta: o.delta as number }); break;
    case 'smoothL1': r = smoothL1Loss(input, target, { reduction: red, beta: o.beta as number }); break;
    case 'bce': r = bceLoss(input, target, { reduction: red }); break;
    case 'bceWithLogits': {
      const pw = o.posWeight ? new Tensor(Float32Array.from(o.posWeight as number[])) : undefined;
      r = bceWithLogitsLoss(input, target, pw ? { reduction: red, posWeight: pw } : { reduction: red });
      break;
    }
    case 'crossEntropy':
    case 'nll': {
      const opts = {
        reduction: red,
        ...(o.weight ? { weight: new Tensor(Float32Array.from(o.weight as number[])) } : {}),
        ...(o.ignoreIndex !== undefined ? { ignoreIndex: o.ignoreIndex as number } : {}),
      };
      const t = Int32Array.from(target.data);
      r = name === 'nll'
        ? nllLoss(input, t, opts)
        : crossEntropyLoss(input, target, { ...opts, ...(o.labelSmoothing ? { labelSmoothing: o.labelSmoothing as number } : {}) });
      break;
    }
    default: throw new Error(`unknown loss ${name}`);
  }
  return r;
}

// The public functions (axonal.exp, ..., pow, clamp) through autograd: the same values
// and gradients, and PyTorch's node names.
describe('PyTorch parity of the public elementwise math with autograd', () => {
  const api = { exp, log, sqrt, abs, log1p, expm1, reciprocal, square } as Record<string, (t: Tensor) => Tensor>;
  for (const c of fx.math.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      const x = new Tensor(arr(fx.math.x)).requiresGrad_();
      const opts = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, dec(v)]));
      const y = c.name === 'pow' ? pow(x, opts.exponent!) : c.name === 'clamp' ? clamp(x, opts) : api[c.name]!(x);
      expect(mismatches(y.data, arr(c.y)), 'forward').toEqual([]);
      expect(y.gradFn!.name).toBe(c.gradFn.replace(/\d+$/, '')); // PyTorch's names carry an overload number
      y.backward(new Tensor(arr(fx.math.dy)));
      expect(mismatches(x.grad!.data, arr(c.dx)), 'backward').toEqual([]);
    });
  }
});
