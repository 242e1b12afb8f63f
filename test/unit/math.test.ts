// The public elementwise math (exp, log, sqrt, abs, log1p, expm1, reciprocal, square,
// pow, clamp): argument errors name the op and the argument, pow/clamp options behave as
// PyTorch 1.13's, and a custom loss built from them (a VAE's KL term) differentiates.
// Values and gradients at special points are checked against PyTorch in
// test/parity/pointwise.test.ts.
import { describe, expect, it } from 'vitest';

import { add, mul, sub, sum, Tensor } from '../../src/index.js';
import { abs, clamp, exp, expm1, log, log1p, pow, reciprocal, sqrt, square } from '../../src/ops/math.js';

const t = (...v: number[]) => new Tensor(Float32Array.from(v));

describe('elementwise math: public surface', () => {
  it('keeps the shape and records PyTorch node names', () => {
    const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]).requiresGrad_();
    const cases: [Tensor, string][] = [
      [exp(x), 'ExpBackward'],
      [log(x), 'LogBackward'],
      [sqrt(x), 'SqrtBackward'],
      [abs(x), 'AbsBackward'],
      [log1p(x), 'Log1PBackward'],
      [expm1(x), 'Expm1Backward'],
      [reciprocal(x), 'ReciprocalBackward'],
      [square(x), 'PowBackward'],
      [pow(x, 3), 'PowBackward'],
      [clamp(x, { min: 2 }), 'ClampBackward'],
    ];
    for (const [y, name] of cases) {
      expect(y.shape).toEqual([2, 3]);
      expect(y.gradFn!.name).toBe(name);
    }
  });

  it('rejects a non-tensor input with the op name', () => {
    for (const [name, f] of [['exp', exp], ['log', log], ['sqrt', sqrt], ['abs', abs], ['square', square]] as const) {
      expect(() => f([1, 2] as never)).toThrow(TypeError);
      expect(() => f([1, 2] as never)).toThrow(new RegExp(`^${name}: input must be a Tensor, but received`));
    }
    expect(() => pow(3 as never, 2)).toThrow(/^pow: input must be a Tensor/);
    expect(() => clamp(null as never, { min: 0 })).toThrow(/^clamp: input must be a Tensor/);
  });
});

describe('pow(x, exponent)', () => {
  it('needs a finite number exponent', () => {
    expect(() => pow(t(1), '2' as never)).toThrow(TypeError);
    expect(() => pow(t(1), '2' as never)).toThrow('pow: exponent must be a number, but received');
    expect(() => pow(t(1), undefined as never)).toThrow(TypeError);
    expect(() => pow(t(1), NaN)).toThrow(RangeError);
    expect(() => pow(t(1), Infinity)).toThrow('pow: exponent must be a finite number, but received Infinity');
  });

  it('exponent 0 gives 1 everywhere (NaN too) with a zero gradient', () => {
    const x = t(NaN, -Infinity, 0, -2, 3).requiresGrad_();
    const y = pow(x, 0);
    expect(Array.from(y.data)).toEqual([1, 1, 1, 1, 1]);
    sum(y).backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0, 0]);
  });

  it('gradient at x = 0 follows e * 0 ** (e - 1)', () => {
    const at0 = (e: number) => {
      const x = t(0, -0).requiresGrad_();
      sum(pow(x, e)).backward();
      return Array.from(x.grad!.data);
    };
    expect(at0(0.5)).toEqual([Infinity, -Infinity]);
    expect(at0(1)).toEqual([1, 1]);
    expect(at0(2)).toEqual([0, -0]);
    expect(at0(3)).toEqual([0, 0]);
    expect(at0(-1)).toEqual([-Infinity, -Infinity]);
  });

  it('negative bases: integer exponents keep the sign, fractional ones give NaN', () => {
    expect(Array.from(pow(t(-2), 3).data)).toEqual([-8]);
    expect(Array.from(pow(t(-2), 4).data)).toEqual([16]);
    expect(Array.from(pow(t(-2), -3).data)).toEqual([-0.125]);
    expect(pow(t(-2), 2.5).data[0]).toBeNaN();
  });
});

describe('clamp(x, { min, max })', () => {
  it('needs at least one bound, numbers that are not NaN, and no unknown options', () => {
    expect(() => clamp(t(1), {})).toThrow(TypeError);
    expect(() => clamp(t(1), {})).toThrow('clamp: at least one of options.min and options.max must be given');
    expect(() => clamp(t(1), undefined as never)).toThrow(/^clamp: at least one of options.min and options.max/);
    expect(() => clamp(t(1), { min: '0' as never })).toThrow('clamp: options.min must be a number, but received');
    expect(() => clamp(t(1), { max: NaN })).toThrow(RangeError);
    expect(() => clamp(t(1), { max: NaN })).toThrow('clamp: options.max must be a number other than NaN');
    expect(() => clamp(t(1), { minVal: 0 } as never)).toThrow('clamp: unknown option "minVal"');
    expect(() => clamp(t(1), 0 as never)).toThrow(TypeError);
  });

  it('passes the gradient on the bounds (inclusive, unlike hardtanh) and not at NaN', () => {
    const x = t(-2, -1, 0, 1, 2, NaN).requiresGrad_();
    const y = clamp(x, { min: -1, max: 1 });
    expect(Array.from(y.data)).toEqual([-1, -1, 0, 1, 1, NaN]);
    sum(y).backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('one-sided bounds and infinite bounds', () => {
    const x = t(-Infinity, -1, 0, 1, Infinity).requiresGrad_();
    expect(Array.from(clamp(x, { min: 0 }).data)).toEqual([0, 0, 0, 1, Infinity]);
    expect(Array.from(clamp(x, { max: 0 }).data)).toEqual([-Infinity, -1, 0, 0, 0]);
    sum(clamp(x, { min: -Infinity })).backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 1, 1, 1]);
  });

  it('min > max gives max everywhere with a zero gradient (PyTorch 1.13)', () => {
    const x = t(-2, 0, 2).requiresGrad_();
    const y = clamp(x, { min: 1, max: -1 });
    expect(Array.from(y.data)).toEqual([-1, -1, -1]);
    sum(y).backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0]);
  });
});

describe('a custom loss from the math functions', () => {
  // KL(N(mu, e^logvar) || N(0, 1)) = -0.5 * sum(1 + logvar - mu^2 - e^logvar).
  const kl = (mu: Tensor, logvar: Tensor) => mul(sum(sub(sub(add(logvar, 1), square(mu)), exp(logvar))), -0.5);
  const mu0 = [0.3, -1.2, 0.8, 2.0];
  const lv0 = [-0.5, 0.4, 1.1, -2.0];

  it("a VAE's KL term has the analytic gradient (mu, (e^logvar - 1) / 2) and matches finite differences", () => {
    const mu = t(...mu0).requiresGrad_();
    const logvar = t(...lv0).requiresGrad_();
    kl(mu, logvar).backward();
    mu0.forEach((m, i) => expect(mu.grad!.data[i]).toBeCloseTo(m, 5));
    lv0.forEach((l, i) => expect(logvar.grad!.data[i]).toBeCloseTo(0.5 * (Math.exp(l) - 1), 5));
    const h = 1e-2;
    const f = (lv: number[]) => kl(t(...mu0), t(...lv)).data[0]!;
    lv0.forEach((l, i) => {
      const up = [...lv0], dn = [...lv0];
      up[i] = l + h;
      dn[i] = l - h;
      expect(Math.abs((f(up) - f(dn)) / (2 * h) - logvar.grad!.data[i]!)).toBeLessThan(2e-3);
    });
  });

  it('log-likelihood pieces (log, log1p, sqrt, reciprocal, abs) chain through autograd', () => {
    const x = t(0.5, 1.5, 3).requiresGrad_();
    // d/dx [log x + log1p x + sqrt x + 1/x + |x|] = 1/x + 1/(1+x) + 1/(2 sqrt x) - 1/x^2 + 1
    sum(add(add(add(add(log(x), log1p(x)), sqrt(x)), reciprocal(x)), abs(x))).backward();
    [0.5, 1.5, 3].forEach((v, i) =>
      expect(x.grad!.data[i]).toBeCloseTo(1 / v + 1 / (1 + v) + 0.5 / Math.sqrt(v) - 1 / (v * v) + 1, 5),
    );
  });
});
