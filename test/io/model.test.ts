import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { Tensor, io, manualSeed, nn, randn } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-model-'));

describe('io.saveModel / io.loadModel', () => {
  it('rebuilds the architecture and the weights', async () => {
    manualSeed(3);
    const model = new nn.Sequential(
      new nn.Unflatten(1, [1, 8, 8]),
      new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Dropout({ p: 0.25 }), new nn.Linear(64, 10),
    );
    const p = join(dir, 'cnn.safetensors');
    await io.saveModel(model, p, { note: 'kept' });
    const back = await io.loadModel(p);
    expect(String(back)).toBe(String(model));
    expect(Object.keys(back.stateDict())).toEqual(Object.keys(model.stateDict()));
    model.eval();
    back.eval();
    const x = randn(2, 64);
    expect(Array.from((back.forward(x) as Tensor).data)).toEqual(Array.from((model.forward(x) as Tensor).data));
    expect((await io.loadWithMetadata(p)).metadata.note).toBe('kept');
  });

  it('keeps names of named containers and nested ones', async () => {
    const model = new nn.Sequential({ encoder: new nn.Sequential(new nn.Linear(3, 4), new nn.GELU({ approximate: 'tanh' })), head: new nn.Linear(4, 2, { bias: false }) });
    const config = io.modelConfig(model);
    expect(config).toEqual({
      type: 'Sequential',
      children: [
        ['encoder', { type: 'Sequential', children: [['0', { type: 'Linear', args: [3, 4] }], ['1', { type: 'GELU', args: [{ approximate: 'tanh' }] }]] }],
        ['head', { type: 'Linear', args: [4, 2, { bias: false }] }],
      ],
    });
    const p = join(dir, 'named.safetensors');
    await io.saveModel(model, p);
    expect(Object.keys((await io.loadModel(p)).stateDict())).toEqual(['encoder.0.weight', 'encoder.0.bias', 'head.weight']);
  });

  it('explains what cannot be saved or loaded', async () => {
    class Custom extends nn.Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    await expect(io.saveModel(new nn.Sequential(new nn.Linear(2, 2), new Custom()), join(dir, 'x.safetensors'))).rejects.toThrow(
      /model\.1 is a Custom, not a built-in module, so its architecture cannot be saved/,
    );
    await expect(io.saveModel(new nn.CrossEntropyLoss({ weight: randn(3) }), join(dir, 'x.safetensors'))).rejects.toThrow(/cannot be saved as JSON/);
    const plain = join(dir, 'weights.safetensors');
    await io.save(new nn.Linear(2, 2).stateDict(), plain);
    await expect(io.loadModel(plain)).rejects.toThrow(/holds weights but no architecture/);
    expect(() => io.buildModel({ type: 'Quantum', args: [] })).toThrow(/unknown module type "Quantum"/);
  });

  it('rebuilds Bilinear, LSTM with projSize and MultiheadAttention with addBiasKv / addZeroAttn', async () => {
    manualSeed(4);
    const modules: nn.Module[] = [
      new nn.Bilinear(3, 2, 4, { bias: false }),
      new nn.LSTM(3, 4, { projSize: 2, numLayers: 2, bidirectional: true }),
      new nn.MultiheadAttention(4, 2, { addBiasKv: true, addZeroAttn: true }),
    ];
    for (const [i, model] of modules.entries()) {
      const p = join(dir, `extra-${i}.safetensors`);
      await io.saveModel(model, p);
      const back = await io.loadModel(p);
      expect(String(back)).toBe(String(model));
      const want = model.stateDict();
      const got = back.stateDict();
      expect(Object.keys(got)).toEqual(Object.keys(want));
      for (const k of Object.keys(want)) expect(Array.from(got[k]!.data)).toEqual(Array.from(want[k]!.data));
    }
  });

  it('the tracked classes still behave as classes', () => {
    const l = new nn.Linear(2, 3);
    expect(l).toBeInstanceOf(nn.Linear);
    expect(l).toBeInstanceOf(nn.Module);
    expect(l.constructor.name).toBe('Linear');
    class Mine extends nn.Linear {}
    expect(new Mine(1, 1)).toBeInstanceOf(nn.Linear);
  });
});
