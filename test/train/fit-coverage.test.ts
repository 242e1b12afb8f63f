// fit features the audit found untested: gradient clipping, ModelCheckpoint's
// everyNEpochs and includeOptimizer, and the verbose levels.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { Tensor, fit, io, nn, train } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';
import { regression } from './regression.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-fit-coverage-'));

/** One full-batch SGD step at lr 1 with `clip`; returns the update it made (before - after, weight then bias). */
async function oneStepUpdate(clip: { clipGradNorm?: number; clipGradValue?: number }): Promise<number[]> {
  const { x, y } = regression(16, 1);
  // Targets far from the outputs: gradients far above the clip.
  const far = new Tensor(y.data.map((v) => 100 * v), y.shape);
  const model = new nn.Linear(2, 1);
  const before = [...model.weight.data, ...model.bias!.data];
  await fit(model, { x, y: far }, { optimizer: new PlainSGD(model.parameters(), 1), loss: mseLoss, batchSize: 16, shuffle: false, verbose: 0, ...clip });
  const after = [...model.weight.data, ...model.bias!.data];
  return before.map((b, i) => b - after[i]!);
}

describe('gradient clipping in fit', () => {
  it('clipGradNorm: the step has the clip as its global norm', async () => {
    const update = await oneStepUpdate({ clipGradNorm: 0.5 });
    expect(Math.hypot(...update)).toBeCloseTo(0.5, 5);
    expect(Math.hypot(...(await oneStepUpdate({})))).toBeGreaterThan(10);
  });

  it('clipGradValue: no element of the step exceeds the clip', async () => {
    const update = await oneStepUpdate({ clipGradValue: 0.25 });
    expect(Math.max(...update.map(Math.abs))).toBeCloseTo(0.25, 6);
    update.forEach((u) => expect(Math.abs(u)).toBeLessThanOrEqual(0.25 + 1e-7));
  });

  it('a negative clip is refused at entry, naming the option', async () => {
    const model = new nn.Linear(2, 1);
    const opt = new PlainSGD(model.parameters(), 0.1);
    const data = regression(8, 2);
    await expect(fit(model, data, { optimizer: opt, loss: mseLoss, clipGradNorm: -1, verbose: 0 })).rejects.toThrow(/fit: options.clipGradNorm must be >= 0, but received -1/);
    await expect(fit(model, data, { optimizer: opt, loss: mseLoss, clipGradValue: -1, verbose: 0 })).rejects.toThrow(/fit: options.clipGradValue must be >= 0, but received -1/);
  });
});

describe('ModelCheckpoint options', () => {
  it('everyNEpochs writes every Nth epoch, "{epoch}" 1-based', async () => {
    const model = new nn.Linear(2, 1);
    const ck = new train.ModelCheckpoint(join(dir, 'every-{epoch}.safetensors'), { everyNEpochs: 2 });
    await fit(model, regression(16, 3), { optimizer: new PlainSGD(model.parameters(), 0.05), loss: mseLoss, epochs: 5, batchSize: 8, verbose: 0, callbacks: [ck] });
    expect(ck.written.map((p) => basename(p))).toEqual(['every-2.safetensors', 'every-4.safetensors']);
    expect(() => new train.ModelCheckpoint('x', { everyNEpochs: 0 })).toThrow(/options.everyNEpochs must be an integer >= 1/);
  });

  it('includeOptimizer decides whether the optimizer state is saved', async () => {
    const model = new nn.Linear(2, 1);
    const opt = new PlainSGD(model.parameters(), 0.05);
    const withOpt = new train.ModelCheckpoint(join(dir, 'with-optimizer.safetensors'));
    const without = new train.ModelCheckpoint(join(dir, 'without-optimizer.safetensors'), { includeOptimizer: false });
    await fit(model, regression(16, 4), { optimizer: opt, loss: mseLoss, epochs: 1, batchSize: 8, verbose: 0, callbacks: [withOpt, without] });
    const saved = JSON.parse((await io.loadWithMetadata(withOpt.written[0]!)).metadata.optimizer!);
    expect(saved.stepCount).toBe(2);
    expect(saved.paramGroups[0].lr).toBe(0.05);
    expect(JSON.parse((await io.loadWithMetadata(without.written[0]!)).metadata.optimizer!)).toBeNull();
  });
});

describe('verbose', () => {
  /** A stream that says it is a terminal, and what was written to it. */
  function terminal(): { stream: PassThrough; text: () => string } {
    const stream = new PassThrough();
    Object.assign(stream, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let text = '';
    stream.on('data', (c) => (text += c));
    return { stream, text: () => text };
  }

  async function train3(verbose: 0 | 1 | 2, stream: PassThrough, extra: Record<string, unknown> = {}) {
    const model = new nn.Linear(2, 1);
    await fit(model, regression(32, 5), { optimizer: new PlainSGD(model.parameters(), 0.05), loss: mseLoss, epochs: 3, batchSize: 8, verbose, progressStream: stream, ...extra });
  }

  it('0 writes nothing, even to a terminal', async () => {
    const t = terminal();
    await train3(0, t.stream);
    expect(t.text()).toBe('');
  });

  it('2 writes one line per epoch, even to a terminal', async () => {
    const t = terminal();
    await train3(2, t.stream, { validationSplit: 0.25, metrics: ['mae'] });
    const lines = t.text().trim().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^Epoch ${i + 1}/3 - [\\d.]+s - \\d+ samples/s - loss [\\d.e+-]+ - mae [\\d.e+-]+ - valLoss [\\d.e+-]+ - valMae [\\d.e+-]+$`)));
  });

  it('2 writes no line for a partial epoch', async () => {
    const t = terminal();
    await train3(2, t.stream, { callbacks: [{ onBatchEnd: (b: number, _l: unknown, ctx: train.TrainingContext) => void (b === 1 && ctx.stopTraining === false && (ctx.stopTraining = true)) }] });
    expect(t.text()).toBe('');
  });
});
