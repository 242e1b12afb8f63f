// fit's options checked at entry, before anything trains, with errors naming the option.
import { describe, expect, it } from 'vitest';

import { fit, nn, optim, train } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';
import { regression } from './regression.js';

const data = regression(16, 1);

/** Runs fit with `extra` options and expects it to reject before changing the weights. */
async function rejectsUntouched(extra: (opt: PlainSGD) => Record<string, unknown>, error: RegExp, kind: ErrorConstructor): Promise<void> {
  const model = new nn.Linear(2, 1);
  const opt = new PlainSGD(model.parameters(), 0.1);
  const before = Array.from(model.weight.data);
  const run = fit(model, data, { optimizer: opt, loss: mseLoss, epochs: 2, batchSize: 4, verbose: 0, ...extra(opt) });
  await expect(run).rejects.toThrow(error);
  await expect(run).rejects.toBeInstanceOf(kind);
  expect(Array.from(model.weight.data)).toEqual(before);
}

describe('options.scheduler', () => {
  it('must be a scheduler', async () => {
    await rejectsUntouched(() => ({ scheduler: {} }), /fit: options.scheduler must be an lrScheduler \(with step, stateDict and loadStateDict\), but received an object/, TypeError);
    await rejectsUntouched(() => ({ scheduler: 0.5 }), /options.scheduler must be an lrScheduler/, TypeError);
  });

  it('ReduceLROnPlateau is pointed to its callback', async () => {
    await rejectsUntouched((opt) => ({ scheduler: new optim.lrScheduler.ReduceLROnPlateau(opt) }), /options.scheduler is a ReduceLROnPlateau.*use the callback instead.*train.ReduceLROnPlateau/, TypeError);
  });

  it('must step options.optimizer', async () => {
    const other = new PlainSGD(new nn.Linear(2, 1).parameters(), 0.1);
    await rejectsUntouched(() => ({ scheduler: new optim.lrScheduler.StepLR(other, 1) }), /options.scheduler was built for another optimizer than options.optimizer/, RangeError);
  });
});

describe('LRSchedulerCallback in fit', () => {
  it('its scheduler must step options.optimizer', async () => {
    const other = new PlainSGD(new nn.Linear(2, 1).parameters(), 0.1);
    await rejectsUntouched(() => ({ callbacks: [new train.LRSchedulerCallback(new optim.lrScheduler.StepLR(other, 1))] }), /fit: an LRSchedulerCallback steps a scheduler built for another optimizer/, RangeError);
  });

  it('its scheduler must not also be options.scheduler', async () => {
    await rejectsUntouched((opt) => {
      const s = new optim.lrScheduler.StepLR(opt, 1);
      return { scheduler: s, callbacks: [new train.LRSchedulerCallback(s)] };
    }, /fit: options.scheduler is also stepped by an LRSchedulerCallback: it would step twice/, RangeError);
  });
});

describe('options.signal', () => {
  it('must be an AbortSignal', async () => {
    await rejectsUntouched(() => ({ signal: {} }), /fit: options.signal must be an AbortSignal, but received an object/, TypeError);
    await rejectsUntouched(() => ({ signal: 'stop' }), /options.signal must be an AbortSignal, but received a string/, TypeError);
  });
});

describe('callback options', () => {
  it('a misspelt ReduceLROnPlateau option fails at construction', () => {
    expect(() => new train.ReduceLROnPlateau({ patince: 3 } as never)).toThrow(/ReduceLROnPlateau: unknown option "patince"/);
  });

  it('LRSchedulerCallback refuses ReduceLROnPlateau', () => {
    const opt = new PlainSGD(new nn.Linear(1, 1).parameters(), 0.1);
    expect(() => new train.LRSchedulerCallback(new optim.lrScheduler.ReduceLROnPlateau(opt) as never)).toThrow(/LRSchedulerCallback: scheduler is a ReduceLROnPlateau/);
  });

  it('monitor must name a logged value', () => {
    expect(() => new train.EarlyStopping({ monitor: 3 as never })).toThrow(/EarlyStopping: options.monitor must be the name of a logged value, but received a number \(3\)/);
    expect(() => new train.ModelCheckpoint('x', { monitor: '' })).toThrow(TypeError);
    expect(() => new train.ReduceLROnPlateau({ monitor: null as never })).toThrow(TypeError);
  });
});
