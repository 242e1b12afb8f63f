// Normalization layers match PyTorch 1.13 step by step: outputs, input and parameter
// gradients, running statistics and num_batches_tracked, in training and eval mode,
// with non-default options (fixture: scripts/fixtures/norm.py). And a PyTorch state
// dict with a BatchNorm1d (int64 num_batches_tracked) loads and gives PyTorch's outputs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { Tensor, io, nn } from '../../src/index.js';
import { maxScaledError } from '../helpers/reference.js';
import { weightedSum } from '../helpers/test-ops.js';

interface Blob {
  shape: number[];
  data: number[];
}
interface Step {
  mode: 'train' | 'eval';
  input: Blob;
  output: number[];
  outputGradWeights: number[];
  inputGrad: number[];
  paramGrads: Record<string, number[]>;
  stateAfter: Record<string, Blob>;
}
interface Case {
  name: string;
  kind: 'BatchNorm1d' | 'BatchNorm2d' | 'LayerNorm' | 'GroupNorm';
  args: unknown[];
  options: Record<string, unknown>;
  initialState: Record<string, Blob>;
  steps: Step[];
}

const fixtures = new URL('./fixtures/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('norm.json', fixtures), 'utf8')) as {
  cases: Case[];
  stateDictModel: { input: Blob; output: number[]; numBatchesTracked: number };
};

const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);
const RTOL = 1e-4;
const ATOL = 1e-5;

function build(c: Case): nn.Module {
  const a = c.args as number[];
  switch (c.kind) {
    case 'BatchNorm1d':
      return new nn.BatchNorm1d(a[0]!, c.options);
    case 'BatchNorm2d':
      return new nn.BatchNorm2d(a[0]!, c.options);
    case 'LayerNorm':
      return new nn.LayerNorm(c.args[0] as number | number[], c.options);
    case 'GroupNorm':
      return new nn.GroupNorm(a[0]!, a[1]!, c.options);
  }
}

describe('normalization layers match PyTorch 1.13', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = build(c);
      expect(Object.keys(model.stateDict())).toEqual(Object.keys(c.initialState));
      model.loadStateDict(Object.fromEntries(Object.entries(c.initialState).map(([k, v]) => [k, tensorOf(v)])));
      c.steps.forEach((step, si) => {
        const where = `${c.name} step ${si} (${step.mode})`;
        if (step.mode === 'train') model.train();
        else model.eval();
        model.zeroGrad();
        const x = tensorOf(step.input).requiresGrad_();
        const out = model.forward(x) as Tensor;
        expect(out.shape).toEqual(step.input.shape);
        expect(maxScaledError(out.data, step.output, RTOL, ATOL), `${where}: output`).toBeLessThanOrEqual(1);
        weightedSum(out, Float32Array.from(step.outputGradWeights)).backward();
        expect(maxScaledError(x.grad!.data, step.inputGrad, RTOL, ATOL), `${where}: input grad`).toBeLessThanOrEqual(1);
        const params = Object.fromEntries(model.namedParameters());
        expect(Object.keys(params).sort()).toEqual(Object.keys(step.paramGrads).sort());
        for (const [name, g] of Object.entries(step.paramGrads)) {
          expect(maxScaledError(params[name]!.grad!.data, g, RTOL, ATOL), `${where}: ${name} grad`).toBeLessThanOrEqual(1);
        }
        const state = model.stateDict();
        expect(Object.keys(state)).toEqual(Object.keys(step.stateAfter));
        for (const [name, b] of Object.entries(step.stateAfter)) {
          expect(state[name]!.shape, `${where}: ${name} shape`).toEqual(b.shape);
          expect(maxScaledError(state[name]!.data, b.data, RTOL, ATOL), `${where}: ${name}`).toBeLessThanOrEqual(1);
        }
      });
    });
  }

  it('a PyTorch state dict with BatchNorm1d (int64 num_batches_tracked) loads and gives its eval outputs', async () => {
    const sd = await io.load(fileURLToPath(new URL('norm_bn.safetensors', fixtures)));
    const ref = fixture.stateDictModel;
    expect(sd['1.num_batches_tracked']!.shape).toEqual([]);
    expect(sd['1.num_batches_tracked']!.item()).toBe(ref.numBatchesTracked);
    const model = new nn.Sequential(new nn.Linear(6, 4), new nn.BatchNorm1d(4), new nn.ReLU(), new nn.Linear(4, 2));
    expect(Object.keys(model.stateDict()).sort()).toEqual(Object.keys(sd).sort());
    model.loadStateDict(sd);
    const bn = (model as unknown as { stateDict(): Record<string, Tensor> }).stateDict();
    expect(bn['1.num_batches_tracked']!.item()).toBe(ref.numBatchesTracked);
    model.eval();
    const y = model.forward(tensorOf(ref.input)) as Tensor;
    expect(maxScaledError(y.data, ref.output, RTOL, ATOL)).toBeLessThanOrEqual(1);
  });
});
