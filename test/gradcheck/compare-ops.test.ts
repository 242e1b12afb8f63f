// Finite-difference checks of where, maximum, minimum and maskedFill (with broadcast
// operands) against the gradients autograd accumulates. maximum/minimum are checked
// away from ties: every pair of compared elements is at least 0.2 apart, ten times
// the central-difference step.
import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, randn } from '../../src/index.js';
import { maximum, minimum } from '../../src/ops/maximum.js';
import { maskedFill, where } from '../../src/ops/where.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

/** A tensor whose elements are its broadcast partner's +- (0.2 .. 0.7): never within a step of a tie. */
function apart(partner: Tensor, shape: number[]): Tensor {
  const full = randn(shape);
  const data = full.data.map((r, i) => {
    const p = partner.data[i % partner.size]!; // partner broadcasts along the leading dims
    return p + Math.sign(r || 1) * (0.2 + Math.min(0.5, Math.abs(r) / 4));
  });
  return new Tensor(data, shape);
}

function mask(shape: number[], seed: number): Tensor {
  manualSeed(seed);
  const r = randn(shape);
  return new Tensor(r.data.map((v) => (v > 0 ? 1 : 0)), shape);
}

function check(f: (...ts: Tensor[]) => Tensor, inputs: Tensor[], seed: number): number {
  manualSeed(seed);
  for (const t of inputs) t.requiresGrad_();
  const w = randn([...f(...inputs).shape]).data;
  return gradcheck((...ts) => weightedSum(f(...ts), w), inputs);
}

describe('gradients of where, maximum, minimum and maskedFill match finite differences', () => {
  for (const [name, op] of [['maximum', maximum], ['minimum', minimum]] as const) {
    it(`${name}, same shape`, () => {
      manualSeed(1);
      const b = randn([3, 4]);
      const a = apart(b, [3, 4]);
      expect(check(op, [a, b], 2)).toBeLessThanOrEqual(1);
    });
    it(`${name}, b [4] broadcast over a [3, 4]`, () => {
      manualSeed(3);
      const b = randn([4]);
      const a = apart(b, [3, 4]);
      expect(check(op, [a, b], 4)).toBeLessThanOrEqual(1);
    });
    it(`${name}, a 0-d tensor against [2, 3]`, () => {
      manualSeed(5);
      const a = new Tensor(Float32Array.of(0.05), []);
      const b = apart(a, [2, 3]);
      expect(check(op, [a, b], 6)).toBeLessThanOrEqual(1);
    });
    it(`${name} with a number`, () => {
      manualSeed(7);
      const a = apart(new Tensor(Float32Array.of(0.3), []), [5]);
      expect(check((t) => op(t!, 0.3), [a], 8)).toBeLessThanOrEqual(1);
    });
  }

  it('where, same shape', () => {
    manualSeed(10);
    const c = mask([3, 4], 11);
    expect(check((a, b) => where(c, a!, b!), [randn([3, 4]), randn([3, 4])], 12)).toBeLessThanOrEqual(1);
  });
  it('where, condition [2, 1, 3], a [4, 1], b [3]', () => {
    manualSeed(13);
    const c = mask([2, 1, 3], 14);
    expect(check((a, b) => where(c, a!, b!), [randn([4, 1]), randn([3])], 15)).toBeLessThanOrEqual(1);
  });
  it('where with a number for b', () => {
    manualSeed(16);
    const c = mask([2, 3], 17);
    expect(check((a) => where(c, a!, -1), [randn([3])], 18)).toBeLessThanOrEqual(1);
  });
  it('maskedFill, mask [3] over x [2, 3]', () => {
    manualSeed(19);
    const m = mask([3], 20);
    expect(check((x) => maskedFill(x!, m, 0.5), [randn([2, 3])], 21)).toBeLessThanOrEqual(1);
  });
  it('maskedFill, x [3] broadcast to the mask [4, 3]', () => {
    manualSeed(22);
    const m = mask([4, 3], 23);
    expect(check((x) => maskedFill(x!, m, -2), [randn([3])], 24)).toBeLessThanOrEqual(1);
  });
});
