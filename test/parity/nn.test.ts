// Modules given PyTorch's weights produce PyTorch's outputs and gradients
// (fixture: scripts/fixtures/nn.py, PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn } from '../../src/index.js';
import { maxScaledError } from '../helpers/reference.js';
import { weightedSum } from '../helpers/test-ops.js';

interface Blob {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  config: { in?: number; out?: number; bias?: boolean };
  state: Record<string, Blob>;
  inputs: Blob[];
  output: Blob;
  outputGradWeights: number[];
  inputGrads: number[][];
  paramGrads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/nn.json', import.meta.url), 'utf8')) as { cases: Case[] };

function build(c: Case): nn.Module {
  if (c.name.startsWith('linear')) return new nn.Linear(c.config.in!, c.config.out!, { bias: c.config.bias! });
  if (c.name === 'sequential_linear_identity_linear') return new nn.Sequential(new nn.Linear(4, 3), new nn.Identity(), new nn.Linear(3, 2));
  throw new Error(`no builder for ${c.name}`);
}

const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);

describe('nn modules match PyTorch 1.13', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = build(c);
      const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)]));
      expect(Object.keys(model.stateDict())).toEqual(Object.keys(c.state));
      model.loadStateDict(state);
      const inputs = c.inputs.map((b) => tensorOf(b).requiresGrad_());
      const out = model.forward(...inputs) as Tensor;
      expect(out.shape).toEqual(c.output.shape);
      expect(maxScaledError(out.data, c.output.data, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      weightedSum(out, Float32Array.from(c.outputGradWeights)).backward();
      c.inputGrads.forEach((g, i) => expect(maxScaledError(inputs[i]!.grad!.data, g, 1e-4, 1e-5)).toBeLessThanOrEqual(1));
      for (const [name, p] of model.namedParameters()) {
        expect(maxScaledError(p.grad!.data, c.paramGrads[name]!, 1e-4, 1e-5), name).toBeLessThanOrEqual(1);
      }
    });
  }
});
