import { describe, expect, it } from 'vitest';

import { BufferPool, Tensor, add, manualSeed, matmul, mul, nn, optim, randn, sum, tensor } from '../../src/index.js';

/** A small conv net touching conv, pooling, batch norm, dropout, linear, activations and a loss. */
function convNet() {
  return new nn.Sequential(
    new nn.Conv2d(2, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Dropout({ p: 0.25 }),
    new nn.Flatten(),
    new nn.Linear(4 * 4 * 4, 16),
    new nn.GELU(),
    new nn.Linear(16, 3),
  );
}

function trainSteps(pool: BufferPool | null, steps: number, afterStep?: (i: number) => void) {
  manualSeed(7);
  const model = convNet();
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn(6, 2, 8, 8);
  const y = tensor([0, 1, 2, 0, 1, 2]);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const step = () => {
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(x), y);
      loss.backward();
      opt.step();
      return loss.item();
    };
    losses.push(pool ? pool.run(step) : step());
    afterStep?.(i);
  }
  return { model, losses };
}

describe('BufferPool', () => {
  it('serves a steady-state training step entirely from recycled buffers, with identical results', () => {
    // Poisoned: a recycled buffer an op promised to overwrite starts as NaN, so an op
    // reading it first would show up in the losses and weights compared below.
    const pool = new BufferPool({ poison: true });
    const allocatedAfter: number[] = [];
    const pooled = trainSteps(pool, 6, () => allocatedAfter.push(pool.stats().allocated));
    const plain = trainSteps(null, 6);
    // The first step fills the pool; later steps allocate nothing new.
    expect(allocatedAfter[0]).toBeGreaterThan(10);
    expect(allocatedAfter[5]).toBe(allocatedAfter[1]);
    expect(pool.stats().reused).toBeGreaterThan(5 * 10);
    expect(pooled.losses).toEqual(plain.losses);
    const a = pooled.model.stateDict();
    const b = plain.model.stateDict();
    for (const k of Object.keys(b)) expect(Array.from(a[k]!.data), k).toEqual(Array.from(b[k]!.data));
  });

  it('reaches a steady state through recurrent layers, attention, layer norm and Bilinear too', () => {
    const run = (pool: BufferPool | null) => {
      manualSeed(3);
      const lstm = new nn.LSTM(4, 8, { numLayers: 2, batchFirst: true, bidirectional: true, projSize: 3 });
      const attn = new nn.MultiheadAttention(6, 2, { batchFirst: true, addBiasKv: true });
      const norm = new nn.LayerNorm(6);
      const bil = new nn.Bilinear(6, 6, 2);
      const params = [...lstm.parameters(), ...attn.parameters(), ...norm.parameters(), ...bil.parameters()];
      const opt = new optim.AdamW(params, { lr: 1e-2 });
      const x = randn(3, 5, 4);
      const target = randn(3, 5, 2);
      const losses: number[] = [];
      const allocated: number[] = [];
      for (let i = 0; i < 4; i++) {
        const step = () => {
          opt.zeroGrad();
          const [h] = lstm.forward(x);
          const [a] = attn.forward(h, h, h, { needWeights: false });
          const z = norm.forward(add(a, h));
          const loss = new nn.MSELoss().forward(bil.forward(z, z), target);
          loss.backward();
          opt.step();
          return loss.item();
        };
        losses.push(pool ? pool.run(step) : step());
        if (pool) allocated.push(pool.stats().allocated);
      }
      return { losses, allocated };
    };
    const pooled = run(new BufferPool({ poison: true }));
    expect(pooled.allocated[3]).toBe(pooled.allocated[1]);
    expect(pooled.losses).toEqual(run(null).losses);
  });

  it('recycles what the callback made and keeps what it returned', () => {
    const pool = new BufferPool();
    const a = tensor([1, 2, 3]);
    const b = tensor([10, 20, 30]);
    let scratch: Tensor | null = null;
    const kept = pool.run(() => {
      scratch = add(a, b);
      return { sum: add(a, a), list: [matmul(a.reshape([1, 3]), b.reshape([3, 1]))] };
    });
    const before = pool.stats().pooledBytes;
    expect(before).toBeGreaterThan(0);
    // Another run of the same shapes reuses the scratch buffer, not the kept ones.
    pool.run(() => mul(add(b, b), 3));
    expect(Array.from(kept.sum.data)).toEqual([2, 4, 6]);
    expect(Array.from(kept.list[0]!.data)).toEqual([140]);
    expect(scratch).not.toBeNull();
  });

  it('never recycles parameters, module buffers or gradients made inside a run', () => {
    const pool = new BufferPool();
    manualSeed(1);
    const lin = pool.run(() => {
      const m = new nn.Linear(3, 2);
      m.registerBuffer('extra', add(tensor([1, 1]), tensor([1, 1])));
      return m;
    });
    const w = Array.from(lin.weight.data);
    const x = randn(4, 3);
    pool.run(() => sum(lin.forward(x)).backward());
    const g = Array.from(lin.weight.grad!.data);
    for (let i = 0; i < 3; i++) pool.run(() => sum(mul(add(x, x), 2)));
    expect(Array.from(lin.weight.data)).toEqual(w);
    expect(Array.from(lin.weight.grad!.data)).toEqual(g);
    expect(Array.from((lin as unknown as { extra: Tensor }).extra?.data ?? lin.stateDict().extra!.data)).toEqual([2, 2]);
  });

  it('releases on a throw, nests, and refuses asynchronous callbacks', () => {
    const pool = new BufferPool();
    expect(() =>
      pool.run(() => {
        add(tensor([1]), tensor([2]));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(pool.stats().pooledBytes).toBe(4);
    const outer = pool.run(() => {
      const inner = pool.run(() => add(tensor([1, 2]), tensor([3, 4])));
      pool.run(() => add(tensor([5, 6]), tensor([7, 8])));
      return mul(inner, 2);
    });
    expect(Array.from(outer.data)).toEqual([8, 12]);
    expect(() => pool.run(async () => 1)).toThrow(RangeError);
    expect(() => pool.run(42 as unknown as () => void)).toThrow(TypeError);
    expect(() => new BufferPool(7 as unknown as object)).toThrow(TypeError);
    pool.clear();
    expect(pool.stats().pooledBytes).toBe(0);
  });
});
