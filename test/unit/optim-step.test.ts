// Optimizer-step wrappers, clipping and dropout: argument checks with PyTorch-style
// messages, thread-count independence, counter-based dropout masks.
import { describe, expect, it } from 'vitest';

import { backend, Generator, Tensor } from '../../src/index.js';
import { native } from '../../src/native.js';
import * as d from '../../src/ops/dropout.js';
import * as o from '../../src/ops/optim-step.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { testData } from '../helpers/reference.js';

function withThreads<T>(n: number, fn: () => T): T {
  const before = backend.getNumThreads();
  backend.setNumThreads(n);
  try {
    return fn();
  } finally {
    backend.setNumThreads(before);
  }
}

const f = (n: number) => new Float32Array(n);

describe('optimizer hyperparameter checks', () => {
  it('rejects out-of-range hyperparameters with the op, the range and the value', () => {
    const p = f(4), g = f(4);
    expect(() => o.adamStep(p, g, o.adamState(4), { betas: [1.5, 0.999] })).toThrow('adamStep: beta1 must be in [0, 1), but received 1.5');
    expect(() => o.adamwStep(p, g, o.adamState(4), { betas: [0.9, 1] })).toThrow('adamStep: beta2 must be in [0, 1), but received 1'); // AdamW shares the adamStep binding
    expect(() => o.adamStep(p, g, o.adamState(4), { lr: -0.1 })).toThrow('adamStep: lr must be >= 0, but received -0.1');
    expect(() => o.adamStep(p, g, o.adamState(4), { eps: -1e-8 })).toThrow('adamStep: eps must be >= 0, but received -1e-8');
    expect(() => o.sgdStep(p, g, o.sgdState(), { lr: 0.1, nesterov: true })).toThrow(
      'sgdStep: nesterov requires momentum > 0 and dampening 0, but received momentum 0 and dampening 0',
    );
    expect(() => o.sgdStep(p, g, o.sgdState(), {} as o.SgdStepOptions)).toThrow('sgdStep: options.lr is required');
    expect(() => o.adamStep(p, g, o.adamState(4), { lr: NaN })).toThrow('adamStep: options.lr must be a finite number, but received NaN');
    expect(() => o.adamStep(p, g, o.adamState(4), { lrr: 1 } as o.AdamStepOptions)).toThrow(/unknown option "lrr"/);
    expect(() => o.rmspropStep(p, g, o.rmspropState(4), { alpha: -1 })).toThrow('rmspropStep: alpha must be >= 0, but received -1');
    expect(() => o.adagradStep(p, g, o.adagradState(4), { lrDecay: -1 })).toThrow('adagradStep: lrDecay must be >= 0, but received -1');
    expect(() => o.nadamStep(p, g, o.nadamState(4), { momentumDecay: -1 })).toThrow('nadamStep: momentumDecay must be >= 0, but received -1');
    expect(() => o.adamStep(p, f(3), o.adamState(4))).toThrow('adamStep: grad must have 4 elements for the length of param, but has 3');
    expect(() => native.adamStep(p, g, p, f(4), f(0), 1, 1e-3, 0.9, 0.999, 1e-8, 0, false, false, false)).toThrow(
      'adamStep: expAvg must not share memory with param (pass a separate output buffer)',
    );
    expect(() => native.adamStep(p, g, f(4), f(4), f(0), 1, 1e-3, 0.9, 0.999, 1e-8, 0, true, false, false)).toThrow(
      'adamStep: maxExpAvgSq must have 4 elements (the length of param) when amsgrad, but has 0',
    );
    expect(() => o.clipGradValue([p], -1)).toThrow('clipGradValue: clipValue must be >= 0, but received -1');
    expect(() => o.clipGradNorm([p, p], 1)).toThrow('clipGradNorm: grads[1] must not share memory with grads[0]');
    expect(() => o.clipGradNorm([p], 1, { normType: 0 })).toThrow('clipGradNorm: normType must be > 0, but received 0');
    expect(() => d.dropout(new Tensor(f(3)), 1.5)).toThrow('dropout: p must be in [0, 1], but received 1.5');
  });

  it('a non-finite total norm throws an AxonalError with a code when asked, and scales otherwise', () => {
    const g = Float32Array.from([1, Infinity]);
    let err: unknown;
    try {
      o.clipGradNorm([g], 1, { errorIfNonfinite: true });
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe('ERR_AXONAL_NONFINITE');
    expect(Array.from(g)).toEqual([1, Infinity]);
    expect(o.clipGradNorm([g], 1, { normType: Infinity })).toBe(Infinity);
  });
});

describe.each(isaLevels)('optimizer steps and dropout (%s)', (isa) => {
  it('Adam, SGD, RMSprop and clipping are bit-identical for 1, 2 and 7 threads', () => {
    withIsa(isa, () => {
      const n = 1000003;
      const g = testData(n, 3);
      const run = () => {
        const p = testData(n, 4), p2 = testData(n, 4), p3 = testData(n, 4), gg = g.slice();
        const s = o.adamState(n, true), sg = o.sgdState(), sr = o.rmspropState(n);
        for (let i = 0; i < 2; i++) {
          o.adamStep(p, g, s, { amsgrad: true, weightDecay: 0.01 });
          o.sgdStep(p2, g, sg, { lr: 0.1, momentum: 0.9, nesterov: true });
          o.rmspropStep(p3, g, sr, { centered: true, momentum: 0.5 });
        }
        const total = o.clipGradNorm([gg], 0.5);
        return [p, p2, p3, gg, total] as const;
      };
      const [a, b, c] = [1, 2, 7].map((t) => withThreads(t, run));
      for (const other of [b!, c!]) {
        for (let k = 0; k < 4; k++) expect(Buffer.compare(Buffer.from((a![k] as Float32Array).buffer), Buffer.from((other[k] as Float32Array).buffer))).toBe(0);
        expect(other[4]).toBe(a![4]);
      }
    });
  });

  it('dropout masks depend on (seed, offset) only; backward multiplies by the mask', () => {
    withIsa(isa, () => {
      for (const n of [0, 1, 15, 16, 17, 1000003]) {
        const x = new Tensor(testData(n, 8 + n));
        const results = [1, 2, 7].map((t) => withThreads(t, () => d.dropout(x, 0.25, new Generator(42))));
        for (const r of results.slice(1)) {
          expect(Buffer.compare(Buffer.from(r.mask.buffer), Buffer.from(results[0]!.mask.buffer))).toBe(0);
        }
        const { output, mask } = results[0]!;
        let kept = 0, bad = -1;
        const scale = Math.fround(1 / 0.75);
        for (let i = 0; i < n; i++) {
          if (!(mask[i] === 0 || mask[i] === scale) || output.data[i] !== Math.fround(x.data[i]! * mask[i]!)) bad = i;
          if (mask[i] !== 0) kept++;
        }
        expect(bad, `first bad element at n=${n}`).toBe(-1);
        if (n > 100000) expect(Math.abs(kept / n - 0.75)).toBeLessThan(0.005);
        const gx = d.dropoutBackward(x, mask);
        expect(Array.from(gx.data.subarray(0, 64))).toEqual(Array.from(output.data.subarray(0, 64)));
      }
      // The generator advances: two calls give different masks; the same seed replays them.
      const gen = new Generator(7);
      const x = new Tensor(new Float32Array(1000).fill(1));
      const m1 = d.dropout(x, 0.5, gen).mask, m2 = d.dropout(x, 0.5, gen).mask;
      expect(Array.from(m1)).not.toEqual(Array.from(m2));
      const replay = new Generator(7);
      expect(Array.from(d.dropout(x, 0.5, replay).mask)).toEqual(Array.from(m1));
      // Channel dropout: whole planes share one draw.
      const c = d.dropoutChannels(new Tensor(testData(2 * 5 * 9, 1), [2, 5, 3, 3]), 0.5, new Generator(3));
      expect(c.mask.length).toBe(10);
      for (let pl = 0; pl < 10; pl++) {
        for (let s = 0; s < 9; s++) expect(c.output.data[pl * 9 + s]).toBe(Math.fround(testData(90, 1)[pl * 9 + s]! * c.mask[pl]!));
      }
    });
  });
});
