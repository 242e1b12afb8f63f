import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { Tensor, evaluate, fit, io, manualSeed, nn, optim, predict, randn, train } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-fit-'));

/** y = 3 x0 - 2 x1 + 0.5 with a little noise. */
function regression(n: number, seed: number) {
  manualSeed(seed);
  const x = randn(n, 2);
  const noise = randn(n);
  const y = new Tensor(Float32Array.from({ length: n }, (_, i) => 3 * x.data[2 * i]! - 2 * x.data[2 * i + 1]! + 0.5 + 0.01 * noise.data[i]!), [n, 1]);
  return { x, y };
}

function silent() {
  return { verbose: 0 as const };
}

describe('fit', () => {
  it('trains a linear model to the generating weights and reports history', async () => {
    const data = regression(256, 1);
    manualSeed(2);
    const model = new nn.Linear(2, 1);
    const history = await fit(model, data, { optimizer: new PlainSGD(model.parameters(), 0.1), loss: mseLoss, epochs: 20, batchSize: 16, metrics: ['mae', 'r2'], validationSplit: 0.25, ...silent() });
    expect(history.epoch).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Object.keys(history.history).sort()).toEqual(['loss', 'lr', 'mae', 'r2', 'valLoss', 'valMae', 'valR2']);
    expect(history.history.loss![19]!).toBeLessThan(1e-3);
    expect(history.history.valR2![19]!).toBeGreaterThan(0.999);
    expect(model.weight.data[0]).toBeCloseTo(3, 2);
    expect(model.weight.data[1]).toBeCloseTo(-2, 2);
    expect(model.bias!.data[0]).toBeCloseTo(0.5, 2);
    const ev = await evaluate(model, data, { loss: mseLoss, metrics: ['mse'] });
    expect(ev.loss).toBeCloseTo(ev.mse!, 5);
    const p = await predict(model, data.x, { batchSize: 7 });
    expect(p.shape).toEqual([256, 1]);
  });

  it('gradient accumulation over 2 batches of 4 equals one batch of 8', async () => {
    const data = regression(32, 3);
    const run = async (batchSize: number, accumulate: number) => {
      manualSeed(4);
      const m = new nn.Linear(2, 1);
      await fit(m, data, { optimizer: new PlainSGD(m.parameters(), 0.05), loss: mseLoss, epochs: 2, batchSize, gradientAccumulation: accumulate, shuffle: false, ...silent() });
      return Array.from(m.weight.data);
    };
    const a = await run(4, 2);
    const b = await run(8, 1);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
  });

  it('calls hooks in order, stops on abort, and lets the event loop run', async () => {
    const data = regression(64, 5);
    const model = new nn.Linear(2, 1);
    const events: string[] = [];
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const history = await fit(model, data, {
      optimizer: new PlainSGD(model.parameters(), 0.01),
      loss: mseLoss,
      epochs: 3,
      batchSize: 8,
      signal: controller.signal,
      callbacks: [
        {
          onTrainBegin: () => void events.push('trainBegin'),
          onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
          onBatchEnd: async (b) => {
            events.push(`batch ${b}`);
            await new Promise((r) => setTimeout(r, 1));
            if (b === 2) controller.abort();
          },
          onEpochEnd: (e) => void events.push(`epochEnd ${e}`),
          onTrainEnd: () => void events.push('trainEnd'),
        },
      ],
      ...silent(),
    });
    clearInterval(timer);
    // The aborted epoch ran 3 of its 8 batches: a partial epoch ends nothing (no onEpochEnd).
    expect(events).toEqual(['trainBegin', 'epochBegin 0', 'batch 0', 'batch 1', 'batch 2', 'trainEnd']);
    expect(history.epoch).toEqual([]);
    expect(history.stopReason).toBe('aborted by the signal');
    expect(ticks).toBeGreaterThan(0);
  });

  it('a throwing callback ends fit with its error, between steps', async () => {
    const data = regression(16, 6);
    const model = new nn.Linear(2, 1);
    await expect(
      fit(model, data, { optimizer: new PlainSGD(model.parameters(), 0.01), loss: mseLoss, batchSize: 4, callbacks: [{ onBatchEnd: () => { throw new Error('boom'); } }], ...silent() }),
    ).rejects.toThrow('boom');
    expect(model.training).toBe(true);
    expect(Array.from(model.weight.data).every(Number.isFinite)).toBe(true);
  });

  it('EarlyStopping stops and restores the best weights; TerminateOnNaN stops on NaN', async () => {
    const data = regression(64, 7);
    manualSeed(8);
    const model = new nn.Linear(2, 1);
    // A learning rate this large diverges: valLoss gets worse every epoch after the first.
    const es = new train.EarlyStopping({ patience: 1, restoreBestWeights: true });
    const h = await fit(model, data, { optimizer: new PlainSGD(model.parameters(), 3), loss: mseLoss, epochs: 10, batchSize: 64, validationData: data, callbacks: [es, new train.TerminateOnNaN()], ...silent() });
    // Keras's patience: 1 stops at the first epoch that does not improve.
    expect(h.stopReason).toMatch(/early stopping: valLoss did not improve for 1 epoch \(best [\d.e+-]+ at epoch \d+\)/);
    const best = Math.min(...h.history.valLoss!);
    expect(h.epoch.length).toBe(h.history.valLoss!.indexOf(best) + 2);
    const now = await evaluate(model, data, { loss: mseLoss });
    expect(now.loss).toBeCloseTo(best, 4);
    const nanModel = new nn.Linear(2, 1);
    nanModel.weight.data[0] = NaN;
    const h2 = await fit(nanModel, data, { optimizer: new PlainSGD(nanModel.parameters(), 0.1), loss: mseLoss, epochs: 3, batchSize: 8, callbacks: [new train.TerminateOnNaN()], ...silent() });
    expect(h2.stopReason).toBe('loss became NaN at batch 1');
  });

  it('ModelCheckpoint + resumeFrom continue exactly where training stopped', async () => {
    const data = regression(64, 9);
    const lr = 0.05;
    const straight = async () => {
      manualSeed(10);
      const m = new nn.Linear(2, 1);
      const opt = new PlainSGD(m.parameters(), lr);
      const sched = new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 });
      await fit(m, data, { optimizer: opt, loss: mseLoss, epochs: 4, batchSize: 16, seed: 3, scheduler: sched, ...silent() });
      return Array.from(m.weight.data);
    };
    const expected = await straight();
    manualSeed(10);
    const m = new nn.Linear(2, 1);
    const opt = new PlainSGD(m.parameters(), lr);
    const sched = new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 });
    const ckpt = new train.ModelCheckpoint(join(dir, 'ckpt-{epoch}.safetensors'), { scheduler: sched });
    await fit(m, data, { optimizer: opt, loss: mseLoss, epochs: 2, batchSize: 16, seed: 3, scheduler: sched, callbacks: [ckpt], ...silent() });
    expect(ckpt.written.map((p) => p.slice(-18))).toEqual(['ckpt-1.safetensors', 'ckpt-2.safetensors']);
    // As a fresh process would: rebuild everything, then resume (weights, optimizer, scheduler, shuffle order).
    const m2 = new nn.Linear(2, 1);
    const opt2 = new PlainSGD(m2.parameters(), lr);
    const sched2 = new optim.lrScheduler.StepLR(opt2, 1, { gamma: 0.5 });
    await fit(m2, data, { optimizer: opt2, loss: mseLoss, epochs: 4, batchSize: 16, seed: 3, scheduler: sched2, resumeFrom: ckpt.written[1], ...silent() });
    expect(opt2.paramGroups[0]!.lr).toBeCloseTo(lr * 0.5 ** 4, 10);
    expect(Array.from(m2.weight.data)).toEqual(expected);
    const meta = (await io.loadWithMetadata(ckpt.written[1]!)).metadata;
    expect(JSON.parse(meta.epoch!)).toBe(1);
  });

  it('CSVLogger writes one line per epoch; progress prints one line per epoch off a terminal', async () => {
    const data = regression(32, 11);
    const model = new nn.Linear(2, 1);
    const csv = join(dir, 'log.csv');
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => (text += c));
    await fit(model, data, { optimizer: new PlainSGD(model.parameters(), 0.1), loss: mseLoss, epochs: 2, batchSize: 8, metrics: ['mae'], callbacks: [new train.CSVLogger(csv)], verbose: 1, progressStream: out });
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,mae,lr');
    expect(lines).toHaveLength(3);
    expect(text.trim().split('\n')).toHaveLength(2);
    expect(text).toMatch(/^Epoch 1\/2 - [\d.]+s - \d+ samples\/s - loss [\d.e+-]+ - mae [\d.e+-]+\n/);
  });

  it('rejects bad options with clear errors', async () => {
    const data = regression(8, 12);
    const model = new nn.Linear(2, 1);
    const opt = new PlainSGD(model.parameters(), 0.1);
    await expect(fit(model, data, { optimizer: opt } as never)).rejects.toThrow(/options.loss must be a loss module or function/);
    await expect(fit(model, data, { optimizer: opt, loss: mseLoss, epoch: 3 } as never)).rejects.toThrow(/unknown option "epoch"/);
    await expect(fit(model, data, { optimizer: opt, loss: mseLoss, metrics: ['acc'] })).rejects.toThrow(/unknown metric "acc"/);
    await expect(fit(model, { x: data.x } as never, { optimizer: opt, loss: mseLoss })).rejects.toThrow(/data must be a Dataset or \{ x, y \} Tensors/);
    await expect(fit(model, data, { optimizer: opt, loss: mseLoss, validationSplit: 1.5 })).rejects.toThrow(/validationSplit must be in \(0, 1\)/);
  });
});

describe('metrics', () => {
  const { metrics } = train;
  it('accuracy, topK, precision/recall/F1, regression metrics', () => {
    const out = new Tensor(Float32Array.from([0.1, 0.7, 0.2, 0.8, 0.1, 0.1, 0.3, 0.3, 0.4, 0.2, 0.5, 0.3]), [4, 3]);
    const y = new Tensor(Float32Array.from([1, 0, 1, 2]), [4]);
    const acc = metrics.accuracy();
    acc.update(out, y);
    expect(acc.result()).toBe(0.5);
    const top2 = metrics.topKAccuracy(2);
    top2.update(out, y);
    expect(top2.result()).toBe(0.75);
    const p = metrics.precision();
    const r = metrics.recall();
    const f = metrics.f1();
    for (const m of [p, r, f]) m.update(out, y);
    // predictions 1, 0, 2, 1 against 1, 0, 1, 2: class 0 tp 1; class 1 tp 1, fp 1, fn 1; class 2 fp 1, fn 1
    expect(p.result()).toBeCloseTo((1 + 0.5 + 0) / 3, 10);
    expect(r.result()).toBeCloseTo((1 + 0.5 + 0) / 3, 10);
    expect(f.result()).toBeCloseTo((1 + 0.5 + 0) / 3, 10);
    const micro = metrics.precision({ average: 'micro' });
    micro.update(out, y);
    expect(micro.result()).toBe(0.5);
    const bin = metrics.accuracy({ threshold: 0 });
    bin.update(new Tensor(Float32Array.from([-1, 2, 3]), [3, 1]), new Tensor(Float32Array.from([0, 1, 0]), [3]));
    expect(bin.result()).toBeCloseTo(2 / 3, 10);
    const r2 = metrics.r2();
    r2.update(new Tensor(Float32Array.from([1, 2, 3]), [3]), new Tensor(Float32Array.from([1, 2, 4]), [3]));
    expect(r2.result()).toBeCloseTo(1 - 1 / (14 / 3), 6);
  });
});

describe('eval mode around evaluate and predict', () => {
  it('restores each module its own mode', async () => {
    const frozen = new nn.Linear(2, 2);
    const model = new nn.Sequential(new nn.Linear(2, 2), frozen);
    frozen.eval();
    const seen: boolean[] = [];
    const probe = new (class extends nn.Module {
      forward(x: Tensor): Tensor {
        seen.push(this.training);
        return x;
      }
    })();
    model.append(probe);
    await predict(model, randn(3, 2));
    await evaluate(model, { x: randn(3, 2), y: randn(3, 2) }, { loss: mseLoss });
    expect(seen).toEqual([false, false]);
    expect(model.training).toBe(true);
    expect(frozen.training).toBe(false);
    expect(probe.training).toBe(true);
  });
});
