// Optimizer trajectories and clip_grad_norm_ against PyTorch 1.13 (fixture:
// scripts/fixtures/optim.py), on every ISA level, at ~1e-5 relative.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import * as o from '../../src/ops/optim-step.js';
import { isaLevels, withIsa } from '../helpers/isa.js';

type Num = number | 'inf' | '-inf' | 'nan';
interface OptimCase {
  name: string;
  optimizer: string;
  options: Record<string, number | boolean | number[]>;
  initial: Num[];
  grads: Num[][];
  final: Num[];
  state: Record<string, Num | Num[]>;
}
interface ClipCase {
  name: string;
  normType: number | 'inf';
  maxNorm: number;
  errorIfNonfinite: boolean;
  grads: Num[][];
  total?: Num;
  after?: Num[][];
  error?: boolean;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as {
  optimizers: OptimCase[];
  clips: ClipCase[];
};

const num = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);
const nums = (a: Num[]): number[] => a.map(num);

/** |got - want| <= rtol * max(|want|, floor), elementwise. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 1e-5, floor = 1e-3): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w)) {
      expect(Number.isNaN(g), `${what}[${i}] should be NaN`).toBe(true);
      continue;
    }
    if (!Number.isFinite(w)) {
      expect(g, `${what}[${i}]`).toBe(w);
      continue;
    }
    const err = Math.abs(g - w);
    expect(err <= rtol * Math.max(Math.abs(w), floor), `${what}[${i}]: ${g} vs ${w} (err ${err})`).toBe(true);
  }
}

// camelCase options from PyTorch's keyword arguments.
function camel(options: OptimCase['options']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (k === 'initial_accumulator_value') continue;
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

interface Runner {
  state: unknown;
  step: (p: Float32Array, g: Float32Array) => void;
  check: (c: OptimCase) => void;
}

function runner(c: OptimCase, n: number): Runner {
  const opts = camel(c.options);
  const st = (k: string) => nums(c.state[k] as Num[]);
  switch (c.optimizer) {
    case 'SGD': {
      const s = o.sgdState();
      return {
        state: s,
        step: (p, g) => o.sgdStep(p, g, s, opts as unknown as o.SgdStepOptions),
        check: () => {
          if (c.state.momentum_buffer) expectClose(s.momentumBuffer!, st('momentum_buffer'), 'momentum_buffer');
        },
      };
    }
    case 'Adam':
    case 'AdamW': {
      const s = o.adamState(n);
      const fn = c.optimizer === 'Adam' ? o.adamStep : o.adamwStep;
      return {
        state: s,
        step: (p, g) => fn(p, g, s, opts as o.AdamStepOptions),
        check: () => {
          expect(s.step).toBe(num(c.state.step as Num));
          expectClose(s.expAvg, st('exp_avg'), 'exp_avg');
          expectClose(s.expAvgSq, st('exp_avg_sq'), 'exp_avg_sq', 1e-5, 1e-6);
          if (c.state.max_exp_avg_sq) expectClose(s.maxExpAvgSq!, st('max_exp_avg_sq'), 'max_exp_avg_sq', 1e-5, 1e-6);
        },
      };
    }
    case 'RMSprop': {
      const s = o.rmspropState(n);
      return {
        state: s,
        step: (p, g) => o.rmspropStep(p, g, s, opts as o.RmspropStepOptions),
        check: () => {
          expectClose(s.squareAvg, st('square_avg'), 'square_avg', 1e-5, 1e-6);
          if (c.state.grad_avg) expectClose(s.gradAvg!, st('grad_avg'), 'grad_avg');
          if (c.state.momentum_buffer) expectClose(s.momentumBuffer!, st('momentum_buffer'), 'momentum_buffer');
        },
      };
    }
    case 'Adagrad': {
      const s = o.adagradState(n, (c.options.initial_accumulator_value as number | undefined) ?? 0);
      return {
        state: s,
        step: (p, g) => o.adagradStep(p, g, s, opts as o.AdagradStepOptions),
        check: () => expectClose(s.sum, st('sum'), 'sum'),
      };
    }
    case 'Adamax': {
      const s = o.adamaxState(n);
      return {
        state: s,
        step: (p, g) => o.adamaxStep(p, g, s, opts as o.AdamaxStepOptions),
        check: () => {
          expectClose(s.expAvg, st('exp_avg'), 'exp_avg');
          expectClose(s.expInf, st('exp_inf'), 'exp_inf');
        },
      };
    }
    case 'NAdam': {
      const s = o.nadamState(n);
      return {
        state: s,
        step: (p, g) => o.nadamStep(p, g, s, opts as o.NadamStepOptions),
        check: () => {
          expectClose([s.muProduct], [num(c.state.mu_product as Num)], 'mu_product', 1e-6, 0);
          expectClose(s.expAvg, st('exp_avg'), 'exp_avg');
        },
      };
    }
    case 'RAdam': {
      const s = o.radamState(n);
      return {
        state: s,
        step: (p, g) => o.radamStep(p, g, s, opts as o.RadamStepOptions),
        check: () => expectClose(s.expAvgSq, st('exp_avg_sq'), 'exp_avg_sq', 1e-5, 1e-6),
      };
    }
  }
  throw new Error(`unknown optimizer ${c.optimizer}`);
}

describe.each(isaLevels)('optimizer steps match PyTorch 1.13 (%s)', (isa) => {
  for (const c of fixture.optimizers) {
    it(c.name, () => {
      withIsa(isa, () => {
        const p = Float32Array.from(nums(c.initial));
        const r = runner(c, p.length);
        for (const g of c.grads) r.step(p, Float32Array.from(nums(g)));
        expectClose(p, nums(c.final), 'param');
        r.check(c);
      });
    });
  }
});

describe.each(isaLevels)('clipGradNorm matches clip_grad_norm_ (%s)', (isa) => {
  for (const c of fixture.clips) {
    it(c.name, () => {
      withIsa(isa, () => {
        const grads = c.grads.map((g) => Float32Array.from(nums(g)));
        const call = () =>
          o.clipGradNorm(grads, c.maxNorm, { normType: num(c.normType), errorIfNonfinite: c.errorIfNonfinite });
        if (c.error) {
          const before = grads.map((g) => Array.from(g));
          expect(call).toThrow(/clipGradNorm: the total norm of order 2 of the gradients is non-finite/);
          grads.forEach((g, i) => expect(Array.from(g)).toEqual(before[i]));
          return;
        }
        const total = call();
        expectClose([total], [num(c.total!)], 'total', 1e-6, 0);
        grads.forEach((g, i) => expectClose(g, nums(c.after![i]!), `grads[${i}]`, 1e-6, 1e-6));
      });
    });
  }
});
