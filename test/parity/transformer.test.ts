// TransformerEncoderLayer matches PyTorch 1.13 (fixture: scripts/fixtures/transformer.py):
// same stateDict keys, outputs, input and parameter gradients.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn } from '../../src/index.js';
import { maxScaledError } from '../helpers/reference.js';
import { weightedSum } from '../helpers/test-ops.js';

interface Case {
  name: string;
  config: { activation: 'relu' | 'gelu'; layerNormEps: number; batchFirst: boolean; normFirst: boolean };
  inputShape: number[];
  input: number[];
  mask: boolean[] | null;
  state: Record<string, { shape: number[]; data: number[] }>;
  output: number[];
  outputWeights: number[];
  inputGrad: number[];
  paramGrads: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/transformer.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('TransformerEncoderLayer matches PyTorch 1.13', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const layer = new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 24, dropout: 0, ...c.config });
      expect(Object.keys(layer.stateDict()).sort()).toEqual(Object.keys(c.state).sort());
      layer.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, new Tensor(Float32Array.from(v.data), v.shape)])));
      const x = new Tensor(Float32Array.from(c.input), c.inputShape).requiresGrad_();
      const out = layer.forward(x, c.mask ? { srcKeyPaddingMask: c.mask } : {});
      expect(maxScaledError(out.data, c.output, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      weightedSum(out, Float32Array.from(c.outputWeights)).backward();
      expect(maxScaledError(x.grad!.data, c.inputGrad, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      for (const [name, p] of layer.namedParameters()) {
        expect(maxScaledError(p.grad!.data, c.paramGrads[name]!, 1e-4, 1e-5), name).toBeLessThanOrEqual(1);
      }
    });
  }
});
