// The optim.* classes reproduce PyTorch 1.13's 20-step trajectories
// (the fixture of scripts/fixtures/optim.py), state included, through the public API.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn, optim } from '../../src/index.js';

type Num = number | 'inf' | '-inf' | 'nan';
interface Case {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  initial: Num[];
  grads: Num[][];
  final: Num[];
  state: Record<string, Num | Num[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as { optimizers: Case[] };
const num = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function close(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= 1e-6 + 1e-5 * Math.abs(expected);
}

const CLASSES: Record<string, new (params: nn.Parameter[], options: never) => optim.Optimizer> = {
  SGD: optim.SGD as never,
  Adam: optim.Adam as never,
  AdamW: optim.AdamW as never,
  RMSprop: optim.RMSprop as never,
  Adagrad: optim.Adagrad as never,
  Adamax: optim.Adamax as never,
  NAdam: optim.NAdam as never,
  RAdam: optim.RAdam as never,
};

describe('optim classes match PyTorch 1.13', () => {
  for (const c of fixture.optimizers) {
    it(c.name, () => {
      const p = new nn.Parameter(new Tensor(Float32Array.from(c.initial, num), [c.initial.length]));
      const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel(k), v]));
      const opt = new CLASSES[c.optimizer]!([p], options as never);
      for (const g of c.grads) {
        p.grad = new Tensor(Float32Array.from(g, num), p.shape);
        opt.step();
      }
      Array.from(p.data).forEach((v, i) => expect(close(v, num(c.final[i]!)), `param[${i}] ${v} vs ${c.final[i]}`).toBe(true));
      const state = opt.state.get(p)!;
      for (const [key, expected] of Object.entries(c.state)) {
        const got = state[camel(key)];
        expect(got, `state ${key}`).toBeDefined();
        if (Array.isArray(expected)) {
          const data = (got as Tensor).data;
          expected.forEach((e, i) => expect(close(data[i]!, num(e)), `${key}[${i}]`).toBe(true));
        } else {
          expect(close(got as number, num(expected)), `${key}`).toBe(true);
        }
      }
    });
  }

  it('stateDict / loadStateDict resume an optimizer exactly', () => {
    const make = () => new nn.Parameter(new Tensor(Float32Array.from([1, -2, 3]), [3]));
    const a = make();
    const optA = new optim.Adam([a], { lr: 0.1, amsgrad: true });
    const grads = [[0.1, 0.2, -0.3], [0.5, -0.1, 0.2], [-0.2, 0.3, 0.1], [0.4, 0.4, -0.4]];
    for (const g of grads.slice(0, 2)) {
      a.grad = new Tensor(Float32Array.from(g), [3]);
      optA.step();
    }
    const b = make();
    b.data.set(a.data);
    const optB = new optim.Adam([b], { lr: 0.5 });
    optB.loadStateDict(optA.stateDict());
    expect(optB.paramGroups[0]!.lr).toBe(0.1);
    for (const g of grads.slice(2)) {
      for (const [p, o] of [[a, optA], [b, optB]] as const) {
        p.grad = new Tensor(Float32Array.from(g), [3]);
        o.step();
      }
    }
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('validates hyperparameters with clear errors', () => {
    const p = new nn.Parameter(new Tensor(new Float32Array(2), [2]));
    expect(() => new optim.SGD([p], {} as never)).toThrow(/SGD: options.lr is required/);
    expect(() => new optim.SGD([p], { lr: -1 })).toThrow('SGD: lr must be a finite number >= 0, but received a number (-1)');
    expect(() => new optim.Adam([p], { betas: [1, 0.9] })).toThrow(/Adam: betas\[0\] must be in \[0, 1\)/);
    expect(() => new optim.Adam([p], { lr: NaN })).toThrow(RangeError);
    expect(() => new optim.SGD([p], { lr: 0.1, momentun: 0.9 } as never)).toThrow(/unknown option "momentun"/);
    expect(() => new optim.SGD([p], { lr: 0.1, nesterov: true })).toThrow(/nesterov momentum requires momentum > 0/);
  });
});
