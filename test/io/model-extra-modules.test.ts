// io.saveModel / io.loadModel rebuild a Sequential of the modules added with
// src/nn/activation-extra.ts, upsample.ts and pixel-shuffle.ts: the architecture (their
// recorded constructor arguments), PReLU's trained weight, and the same outputs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { Tensor, io, manualSeed, nn, randn } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-model-extra-'));

describe('io.saveModel / io.loadModel with the extra modules', () => {
  it('rebuilds every new module with its arguments and weights', async () => {
    manualSeed(8);
    const prelu = new nn.PReLU({ numParameters: 8, init: 0.1 });
    const model = new nn.Sequential(
      new nn.Conv2d(2, 8, 3, { padding: 1 }),
      prelu,
      new nn.PixelShuffle(2),
      new nn.CELU({ alpha: 0.5 }),
      new nn.Upsample({ scaleFactor: [1.5, 0.75] }),
      new nn.PixelUnshuffle(2),
      new nn.ReLU6(),
      new nn.Threshold(0.1, -1),
      new nn.Upsample({ size: [4, 4], mode: 'nearest' }),
      new nn.Flatten(),
      new nn.Linear(128, 6),
      new nn.GLU(),
      new nn.Softsign(),
      new nn.LogSigmoid(),
      new nn.Softmin({ dim: 1 }),
    );
    // a weight that differs from the initial one must come back
    prelu.weight.data.set([0.1, -0.2, 0.3, 0.4, 0.5, 0.6, -0.7, 0.8]);
    expect(io.modelConfig(model)).toMatchObject({
      type: 'Sequential',
      children: expect.arrayContaining([
        ['1', { type: 'PReLU', args: [{ numParameters: 8, init: 0.1 }] }],
        ['2', { type: 'PixelShuffle', args: [2] }],
        ['4', { type: 'Upsample', args: [{ scaleFactor: [1.5, 0.75] }] }],
        ['7', { type: 'Threshold', args: [0.1, -1] }],
        ['11', { type: 'GLU', args: [] }],
        ['14', { type: 'Softmin', args: [{ dim: 1 }] }],
      ]),
    });
    const p = join(dir, 'extra.safetensors');
    await io.saveModel(model, p);
    const back = await io.loadModel(p);
    expect(String(back)).toBe(String(model));
    expect(Object.keys(back.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '10.weight', '10.bias']);
    expect(Array.from(back.stateDict()['1.weight']!.data)).toEqual(Array.from(model.stateDict()['1.weight']!.data));
    const x = randn(2, 2, 4, 4);
    const want = model.forward(x) as Tensor;
    expect(want.shape).toEqual([2, 3]);
    expect(Array.from((back.forward(x) as Tensor).data)).toEqual(Array.from(want.data));
  });
});
