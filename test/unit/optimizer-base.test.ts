import { describe, expect, it } from 'vitest';

import { nn, optim, tensor, zeros } from '../../src/index.js';
import { NoopOptimizer } from '../helpers/noop-optimizer.js';

describe('Optimizer base', () => {
  it('builds groups from parameters or group objects with defaults filled in', () => {
    const a = new nn.Parameter(zeros(2));
    const b = new nn.Parameter(zeros(3));
    const o1 = new NoopOptimizer([a, b], { lr: 0.1, momentum: 0.9 });
    expect(o1.paramGroups).toHaveLength(1);
    expect(o1.paramGroups[0]!.params).toEqual([a, b]);
    const o2 = new NoopOptimizer([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    expect(o2.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    expect(o2.paramGroups[1]!.momentum).toBe(0.9);
  });

  it('rejects empty, duplicated, unknown and invalid inputs', () => {
    const a = new nn.Parameter(zeros(2));
    expect(() => new NoopOptimizer([], { lr: 0.1 })).toThrow('NoopOptimizer: got an empty parameter list');
    expect(() => new NoopOptimizer(a as never, { lr: 0.1 })).toThrow(/params must be an iterable of Parameters/);
    expect(() => new NoopOptimizer([{ params: [a] }, { params: [a] }], { lr: 0.1 })).toThrow(/more than one parameter group/);
    expect(() => new NoopOptimizer([{ params: [a], lrr: 1 } as never], { lr: 0.1 })).toThrow(/unknown option "lrr"/);
    expect(() => new NoopOptimizer([tensor([1]) as never], { lr: 0.1 })).toThrow(/params\[0\] must be an nn.Parameter/);
    expect(() => new NoopOptimizer([a], { lr: -1 })).toThrow(/lr must be >= 0/);
  });

  it('stateDict packs parameters as indices and loadStateDict restores a deep copy', () => {
    const a = new nn.Parameter(zeros(2));
    const b = new nn.Parameter(zeros(3));
    const o = new NoopOptimizer([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    o.step();
    const sd = o.stateDict();
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(sd.state[0]).toEqual({ step: 1 });
    const fresh = new NoopOptimizer([{ params: [a] }, { params: [b] }], { lr: 0.1 });
    fresh.loadStateDict(sd);
    expect(fresh.paramGroups[1]!.lr).toBe(0.5);
    expect(fresh.state.get(b)).toEqual({ step: 1 });
    expect(fresh.state.get(b)).not.toBe(o.state.get(b));
    const other = new NoopOptimizer([a], { lr: 0.1 });
    expect(() => other.loadStateDict(sd)).toThrow(/has 2 parameter groups but the optimizer has 1/);
  });

  it('zeroGrad zeroes in place or drops gradients', () => {
    const a = new nn.Parameter(zeros(2));
    a.grad = tensor([1, 2]);
    const buf = a.grad.data;
    const o = new NoopOptimizer([a], { lr: 0.1 });
    o.zeroGrad();
    expect(a.grad!.data).toBe(buf);
    expect(Array.from(buf)).toEqual([0, 0]);
    o.zeroGrad({ setToNone: true });
    expect(a.grad).toBeNull();
  });
});

describe('schedulers: bad input and state', () => {
  const opt = () => new NoopOptimizer([new nn.Parameter(zeros(1))], { lr: 1, momentum: 0.9 });
  it('validates arguments', () => {
    expect(() => new optim.lrScheduler.StepLR(opt(), 0)).toThrow(RangeError);
    expect(() => new optim.lrScheduler.StepLR({} as never, 1)).toThrow(/StepLR: optimizer must be an Optimizer/);
    expect(() => new optim.lrScheduler.OneCycleLR(opt(), 1)).toThrow(/give options.totalSteps, or options.epochs and options.stepsPerEpoch/);
    expect(() => new optim.lrScheduler.LinearLR(opt(), { startFactor: 0 })).toThrow(/startFactor must be in \(0, 1\]/);
    expect(() => new optim.lrScheduler.ReduceLROnPlateau(opt(), { factor: 1 })).toThrow(/factor must be < 1/);
    expect(() => new optim.lrScheduler.CosineAnnealingLR(opt(), 10, { eta: 0 } as never)).toThrow(/unknown option "eta"/);
    const s = new optim.lrScheduler.OneCycleLR(opt(), 1, { totalSteps: 2 });
    s.step();
    s.step();
    expect(() => s.step()).toThrow(/tried to step 3 times; the schedule has 2 steps/);
  });

  it('stateDict round-trips a schedule', () => {
    const o = opt();
    const s = new optim.lrScheduler.StepLR(o, 2, { gamma: 0.5 });
    for (let i = 0; i < 3; i++) s.step();
    const saved = s.stateDict();
    const o2 = opt();
    const s2 = new optim.lrScheduler.StepLR(o2, 2, { gamma: 0.5 });
    s2.loadStateDict(saved);
    o2.paramGroups[0]!.lr = o.paramGroups[0]!.lr;
    s.step();
    s2.step();
    expect(s2.getLastLr()).toEqual(s.getLastLr());
  });
});
