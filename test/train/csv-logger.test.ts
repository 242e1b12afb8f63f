// CSVLogger: a header on every new or empty file (Keras), appending under an existing one.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { fit, nn, train } from '../../src/index.js';
import { PlainSGD } from '../helpers/plain-sgd.js';
import { mseLoss } from '../helpers/test-ops.js';
import { regression } from './regression.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-csv-'));

async function logEpochs(logger: train.CSVLogger, epochs: number[]): Promise<void> {
  await logger.onTrainBegin();
  for (const e of epochs) await logger.onEpochEnd(e, { loss: e + 0.5, lr: 0.1 });
}

describe('CSVLogger', () => {
  it('append writes the header to a new file', async () => {
    const path = join(dir, 'new.csv');
    await logEpochs(new train.CSVLogger(path, { append: true }), [0]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,lr\n1,0.5,0.1\n');
  });

  it('append writes the header to an empty file', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '');
    await logEpochs(new train.CSVLogger(path, { append: true }), [0]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,lr\n1,0.5,0.1\n');
  });

  it('append continues under an existing header; without append the file is replaced', async () => {
    const path = join(dir, 'resume.csv');
    await logEpochs(new train.CSVLogger(path), [0, 1]);
    await logEpochs(new train.CSVLogger(path, { append: true }), [2]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,lr\n1,0.5,0.1\n2,1.5,0.1\n3,2.5,0.1\n');
    await logEpochs(new train.CSVLogger(path), [0]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,lr\n1,0.5,0.1\n');
  });

  it('separator', async () => {
    const path = join(dir, 'semicolon.csv');
    await logEpochs(new train.CSVLogger(path, { separator: ';' }), [0]);
    expect(readFileSync(path, 'utf8')).toBe('epoch;loss;lr\n1;0.5;0.1\n');
    expect(() => new train.CSVLogger(path, { separator: '' })).toThrow(/CSVLogger: options.separator must be a non-empty string, but received a string \(""\)/);
    expect(() => new train.CSVLogger(path, { separator: 1 as never })).toThrow(TypeError);
  });

  it('two fits appending to one log give one header and a line per epoch', async () => {
    const path = join(dir, 'fit.csv');
    const data = regression(16, 1);
    const model = new nn.Linear(2, 1);
    const opts = { optimizer: new PlainSGD(model.parameters(), 0.05), loss: mseLoss, batchSize: 8, verbose: 0 as const };
    await fit(model, data, { ...opts, epochs: 2, callbacks: [new train.CSVLogger(path, { append: true })] });
    await fit(model, data, { ...opts, epochs: 1, callbacks: [new train.CSVLogger(path, { append: true })] });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,lr');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['1', '2', '1']);
  });
});
