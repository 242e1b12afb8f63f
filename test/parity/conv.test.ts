// Conv and pooling modules given PyTorch's weights and inputs produce PyTorch's
// outputs, input gradients and parameter gradients (fixture: scripts/fixtures/conv.py,
// PyTorch 1.13, committed), at 1e-4 relative.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn } from '../../src/index.js';
import { maxScaledError } from '../helpers/reference.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { weightedSum } from '../helpers/test-ops.js';

interface Blob {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  module: { type: string; args: unknown[]; options: Record<string, unknown> };
  state: Record<string, Blob>;
  input: Blob;
  output: Blob;
  outputGradWeights: number[];
  inputGrad: number[];
  paramGrads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/conv.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };

function build(c: Case): nn.Module {
  const { type, args, options } = c.module;
  const a = args as never[];
  switch (type) {
    case 'Conv2d': return new nn.Conv2d(a[0]!, a[1]!, a[2]!, options);
    case 'Conv1d': return new nn.Conv1d(a[0]!, a[1]!, a[2]!, options);
    case 'ConvTranspose2d': return new nn.ConvTranspose2d(a[0]!, a[1]!, a[2]!, options);
    case 'MaxPool2d': return new nn.MaxPool2d(a[0]!, options);
    case 'MaxPool1d': return new nn.MaxPool1d(a[0]!, options);
    case 'AvgPool2d': return new nn.AvgPool2d(a[0]!, options);
    case 'AvgPool1d': return new nn.AvgPool1d(a[0]!, options);
    case 'AdaptiveAvgPool2d': return new nn.AdaptiveAvgPool2d(a[0]!);
    case 'LeNet':
      return new nn.Sequential(
        new nn.Conv2d(1, 4, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(4, 8, 3), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Flatten(), new nn.Linear(72, 10),
      );
  }
  throw new Error(`no builder for ${type}`);
}

const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);

describe(`conv and pooling modules match PyTorch ${fixture.torch}`, () => {
  it('the fixture covers every module type', () => {
    const types = new Set(fixture.cases.map((c) => c.module.type));
    for (const t of ['Conv2d', 'Conv1d', 'ConvTranspose2d', 'MaxPool2d', 'MaxPool1d', 'AvgPool2d', 'AvgPool1d', 'AdaptiveAvgPool2d', 'LeNet']) {
      expect(types.has(t), t).toBe(true);
    }
  });
  for (const isa of isaLevels) {
    for (const c of fixture.cases) {
      it(`${c.name} (${isa})`, () => {
        withIsa(isa, () => {
          const model = build(c);
          expect(Object.keys(model.stateDict())).toEqual(Object.keys(c.state));
          if (Object.keys(c.state).length > 0) {
            model.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
          }
          const x = tensorOf(c.input).requiresGrad_();
          const out = model.forward(x) as Tensor;
          expect(out.shape).toEqual(c.output.shape);
          expect(maxScaledError(out.data, c.output.data, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
          weightedSum(out, Float32Array.from(c.outputGradWeights)).backward();
          expect(maxScaledError(x.grad!.data, c.inputGrad, 1e-4, 1e-5), 'input grad').toBeLessThanOrEqual(1);
          const named = [...model.namedParameters()];
          expect(named.map(([n]) => n).sort()).toEqual(Object.keys(c.paramGrads).sort());
          for (const [name, p] of named) {
            expect(maxScaledError(p.grad!.data, c.paramGrads[name]!, 1e-4, 1e-5), name).toBeLessThanOrEqual(1);
          }
        });
      });
    }
  }
});
