// Tensor methods (src/tensor-methods.ts): each is the library function of the same
// name with the tensor first, so values, gradients and errors are the function's.
import { describe, expect, it } from 'vitest';

import * as ax from '../../src/index.js';
import { Tensor } from '../../src/index.js';
import { TENSOR_METHOD_NAMES } from '../../src/tensor-methods.js';

const t = (values: number[], shape: number[]): Tensor => new Tensor(Float32Array.from(values), shape);
const leaf = (values: number[], shape: number[]): Tensor => t(values, shape).requiresGrad_();
const F = ax.nn.functional;

describe('Tensor methods', () => {
  it('are installed on every Tensor as non-enumerable prototype methods', () => {
    const x = t([1, 2], [2]);
    expect(TENSOR_METHOD_NAMES.length).toBe(61);
    for (const name of TENSOR_METHOD_NAMES) {
      expect(typeof (x as unknown as Record<string, unknown>)[name], name).toBe('function');
      expect(Object.getOwnPropertyDescriptor(Tensor.prototype, name)?.enumerable, name).toBe(false);
    }
    expect(Object.keys(x)).not.toContain('add');
    expect({ ...x }).not.toHaveProperty('sum');
  });

  it('give the functions their values', () => {
    const a = t([0.5, -1, 2, 3, -0.25, 4], [2, 3]);
    const b = t([1, 2, 3], [3]);
    const same = (m: Tensor, f: Tensor, what: string) => {
      expect(m.shape, what).toEqual(f.shape);
      expect(Array.from(m.data), what).toEqual(Array.from(f.data));
    };
    same(a.add(b), ax.add(a, b), 'add');
    same(a.sub(2), ax.sub(a, 2), 'sub');
    same(a.mul(b), ax.mul(a, b), 'mul');
    same(a.div(b), ax.div(a, b), 'div');
    same(a.neg(), ax.neg(a), 'neg');
    same(a.pow(3), ax.pow(a, 3), 'pow');
    for (const name of ['abs', 'exp', 'log', 'sqrt', 'log1p', 'expm1', 'reciprocal', 'square'] as const) same(a[name](), ax[name](a), name);
    same(a.clamp({ min: 0, max: 2 }), ax.clamp(a, { min: 0, max: 2 }), 'clamp');
    for (const name of ['relu', 'sigmoid', 'tanh'] as const) same(a[name](), F[name](a), name);
    same(a.softmax(0), F.softmax(a, 0), 'softmax');
    same(a.logSoftmax(), F.logSoftmax(a), 'logSoftmax');
    same(a.sum(), ax.sum(a), 'sum');
    same(a.sum(1, { keepdim: true }), ax.sum(a, 1, { keepdim: true }), 'sum dim');
    same(a.mean([0, 1]), ax.mean(a, [0, 1]), 'mean');
    same(a.max(1).values, ax.max(a, 1).values, 'max');
    expect(Array.from(a.max(0).indices)).toEqual([1, 1, 1]);
    same(a.min(1, { keepdim: true }).values, ax.min(a, 1, { keepdim: true }).values, 'min');
    expect(Array.from(a.argmax(1))).toEqual([2, 2]);
    expect(Array.from(a.argmin(1))).toEqual([1, 1]);
    same(a.var(1), ax.var(a, 1), 'var');
    same(a.std(null, { correction: 0 }), ax.std(a, null, { correction: 0 }), 'std');
    same(a.matmul(t([1, 0, 2, 1, 0, 3], [3, 2])), ax.matmul(a, t([1, 0, 2, 1, 0, 3], [3, 2])), 'matmul');
    same(a.matmul(a, { transB: true }), ax.matmul(a, a, { transB: true }), 'matmul transB');
    const batch = t([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    same(batch.bmm(batch), ax.bmm(batch, batch), 'bmm');
    same(batch.transpose(0, 2), ax.transpose(batch, 0, 2), 'transpose');
    same(batch.transpose(), ax.transpose(batch), 'transpose default');
    same(batch.permute(2, 0, 1), ax.permute(batch, [2, 0, 1]), 'permute varargs');
    same(batch.permute([1, 2, 0]), ax.permute(batch, [1, 2, 0]), 'permute list');
    same(t([1, 2], [1, 2, 1]).squeeze(), ax.squeeze(t([1, 2], [1, 2, 1])), 'squeeze');
    same(b.unsqueeze(-1), ax.unsqueeze(b, -1), 'unsqueeze');
    same(batch.flatten(1), ax.flatten(batch, 1), 'flatten');
    same(a.narrow(1, 1, 2), ax.narrow(a, 1, 1, 2), 'narrow');
    const parts = a.split([1, 2], 1);
    ax.split(a, [1, 2], 1).forEach((p, i) => same(parts[i]!, p, `split ${i}`));
    const chunks = a.chunk(2, 0);
    ax.chunk(a, 2, 0).forEach((p, i) => same(chunks[i]!, p, `chunk ${i}`));
    same(a.indexSelect(1, [2, 0]), ax.indexSelect(a, 1, [2, 0]), 'indexSelect');
    same(a.logsumexp(1, { keepdim: true }), ax.logsumexp(a, 1, { keepdim: true }), 'logsumexp');
    same(a.norm({ p: 1, dim: 0 }), ax.norm(a, { p: 1, dim: 0 }), 'norm');
    same(a.norm(), ax.norm(a), 'norm default');
    same(b.expand(2, -1), ax.expand(b, [2, -1]), 'expand varargs');
    same(b.expand([4, 3]), ax.expand(b, [4, 3]), 'expand list');
    same(b.broadcastTo([2, 3]), ax.broadcastTo(b, [2, 3]), 'broadcastTo');
    for (const name of ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'maximum', 'minimum'] as const) {
      same(a[name](b), ax[name](a, b), name);
      same(a[name](2), ax[name](a, 2), `${name} number`);
    }
    const cond = t([1, 0, 1], [3]);
    same(a.where(cond, b), ax.where(cond, a, b), 'where');
    same(a.where(cond, -1), ax.where(cond, a, -1), 'where number');
    same(a.maskedFill(cond, 9), ax.maskedFill(a, cond, 9), 'maskedFill');
    same(a.cumsum(1), ax.cumsum(a, 1), 'cumsum');
    same(a.cumprod(0), ax.cumprod(a, 0), 'cumprod');
    same(a.sort({ descending: true }).values, ax.sort(a, { descending: true }).values, 'sort');
    expect(Array.from(a.argsort({ dim: 0 }))).toEqual(Array.from(ax.argsort(a, { dim: 0 })));
    same(a.topk(2).values, ax.topk(a, 2).values, 'topk');
    expect(Array.from(a.topk(2, { largest: false }).indices)).toEqual([1, 0, 1, 0]);
    const index = { data: Int32Array.from([2, 0, 1, 1]), shape: [2, 2] };
    same(a.gather(1, index), ax.gather(a, 1, index), 'gather');
    same(a.scatterAdd(1, index, t([1, 2, 3, 4], [2, 2])), ax.scatterAdd(a, 1, index, t([1, 2, 3, 4], [2, 2])), 'scatterAdd');
  });

  it('t() transposes a matrix, keeps 0-d and 1-d tensors and refuses more dimensions', () => {
    const m = t([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(m.t().shape).toEqual([3, 2]);
    expect(Array.from(m.t().data)).toEqual([1, 4, 2, 5, 3, 6]);
    const v = t([1, 2], [2]);
    expect(v.t()).toBe(v);
    const s = t([7], []);
    expect(s.t()).toBe(s);
    expect(() => t([1, 2], [1, 1, 2]).t()).toThrow(RangeError);
    expect(() => t([1, 2], [1, 1, 2]).t()).toThrow(/^t: expects a tensor with at most 2 dimensions, but received shape \[1, 1, 2\] \(3-D\)/);
  });

  it('record gradients as the functions do', () => {
    const x = leaf([0.5, -1, 2, 3, -0.25, 4], [2, 3]);
    const w = leaf([1, -2, 0.5, 1, 2, -1], [3, 2]);
    const b = leaf([0.1, -0.3], [2]);
    x.matmul(w).add(b).relu().square().sum().backward();
    const [gx, gw, gb] = [x.grad!, w.grad!, b.grad!].map((g) => Array.from(g.data));

    const x2 = leaf([0.5, -1, 2, 3, -0.25, 4], [2, 3]);
    const w2 = leaf([1, -2, 0.5, 1, 2, -1], [3, 2]);
    const b2 = leaf([0.1, -0.3], [2]);
    ax.sum(ax.square(F.relu(ax.add(ax.matmul(x2, w2), b2)))).backward();
    expect(gx).toEqual(Array.from(x2.grad!.data));
    expect(gw).toEqual(Array.from(w2.grad!.data));
    expect(gb).toEqual(Array.from(b2.grad!.data));
    expect(gb.some((v) => v !== 0)).toBe(true);

    const y = leaf([1, 2, 3, 4, 5, 6], [2, 3]);
    y.t().mul(t([1, 10, 100, 1000, 1e4, 1e5], [3, 2])).sum().backward();
    expect(Array.from(y.grad!.data)).toEqual([1, 100, 1e4, 10, 1000, 1e5]);
  });

  it('throw the functions\u2019 errors', () => {
    const a = t([1, 2, 3], [3]);
    expect(() => a.add(t([1, 2], [2]))).toThrow(/^add: shapes \[3\] and \[2\] cannot be broadcast together/);
    expect(() => (a as unknown as { add(v: unknown): Tensor }).add('1')).toThrow(TypeError);
    expect(() => a.sum(3)).toThrow(/^sum: /);
    expect(() => a.matmul(t([1, 2], [2]))).toThrow(/^matmul: /);
    expect(() => a.permute(0, 0)).toThrow(/^permute: /);
    expect(() => a.clamp(undefined as unknown as { min: number })).toThrow(/^clamp: /);
  });
});
