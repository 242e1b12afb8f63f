// Finite-difference checks of cumsum and cumprod against the gradients autograd
// accumulates, along every dim of a 3-D tensor (negative dims included). cumprod is
// checked away from zeros (|x| in [0.5, 1.5]); its exact zero handling is pinned by the
// PyTorch parity fixture. gather and scatterAdd (linear in x and src) with duplicate
// indices and indices smaller than the data outside dim. sort and topk away from ties
// (distinct values 0.25 apart, 25 central-difference steps).
import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, randn } from '../../src/index.js';
import { cumprod, cumsum } from '../../src/ops/cumulative.js';
import { gather, scatterAdd } from '../../src/ops/gather.js';
import { sort, topk } from '../../src/ops/sort.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { weightedSum } from '../helpers/test-ops.js';

function check(f: (...ts: Tensor[]) => Tensor, inputs: Tensor[], seed: number): number {
  manualSeed(seed);
  for (const t of inputs) t.requiresGrad_();
  const w = randn([...f(...inputs).shape]).data;
  return gradcheck((...ts) => weightedSum(f(...ts), w), inputs);
}

/** Elements with |x| in [0.5, 1.5] and random signs: far from zero. */
function awayFromZero(shape: number[], seed: number): Tensor {
  manualSeed(seed);
  const r = randn(shape);
  return new Tensor(r.data.map((v) => Math.sign(v || 1) * (0.5 + Math.min(1, Math.abs(v) / 2))), shape);
}

describe('gradients of cumsum and cumprod match finite differences', () => {
  for (const dim of [0, 1, 2, -1, -3]) {
    it(`cumsum along ${dim}`, () => {
      manualSeed(3);
      expect(check((x) => cumsum(x, dim), [randn([3, 5, 4])], 10 + dim)).toBeLessThanOrEqual(1);
    });
    it(`cumprod along ${dim}`, () => {
      expect(check((x) => cumprod(x, dim), [awayFromZero([3, 5, 4], 20 + dim)], 30 + dim)).toBeLessThanOrEqual(1);
    });
  }
  it('cumprod of a long row (7 elements) and of a 0-d tensor', () => {
    expect(check((x) => cumprod(x, 0), [awayFromZero([7], 5)], 6)).toBeLessThanOrEqual(1);
    expect(check((x) => cumprod(x, -1), [awayFromZero([], 7)], 8)).toBeLessThanOrEqual(1);
  });
});

describe('gradients of gather and scatterAdd match finite differences', () => {
  const index = { data: Int32Array.of(0, 4, 4, 1, 2, 2, 0, 0), shape: [2, 4] };
  it('gather along 1 (duplicates) and along 0 with a smaller index', () => {
    manualSeed(41);
    expect(check((x) => gather(x, 1, index), [randn([3, 5])], 42)).toBeLessThanOrEqual(1);
    const rows = { data: Int32Array.of(2, 0, 2, 1, 1, 1), shape: [3, 2] };
    expect(check((x) => gather(x, -2, rows), [randn([3, 5])], 43)).toBeLessThanOrEqual(1);
  });
  it('scatterAdd to x and to a src larger than the index', () => {
    manualSeed(44);
    const x = randn([2, 5]);
    const src = randn([3, 6]);
    expect(check((a, b) => scatterAdd(a, 1, index, b), [x, src], 45)).toBeLessThanOrEqual(1);
  });
});

describe('gradients of sort and topk match finite differences', () => {
  /** Distinct values a quarter apart in a random order: no tie within a step. */
  function distinct(shape: number[], seed: number): Tensor {
    manualSeed(seed);
    const r = randn(shape);
    const order = Array.from(r.data.keys()).sort((a, b) => r.data[a]! - r.data[b]!);
    const data = new Float32Array(r.size);
    order.forEach((i, rank) => (data[i] = rank / 4 - 2));
    return new Tensor(data, shape);
  }
  it('sort along each dim, both directions', () => {
    for (const [dim, descending] of [[0, false], [1, true], [-1, false]] as const) {
      expect(check((x) => sort(x, { dim, descending }).values, [distinct([3, 4, 5], 50 + dim)], 51)).toBeLessThanOrEqual(1);
    }
  });
  it('topk largest and smallest', () => {
    expect(check((x) => topk(x, 2, { dim: 1 }).values, [distinct([3, 4, 5], 60)], 61)).toBeLessThanOrEqual(1);
    expect(check((x) => topk(x, 3, { largest: false }).values, [distinct([3, 4, 5], 62)], 63)).toBeLessThanOrEqual(1);
  });
});
