// nn modules at options and defaults the other parity fixtures leave out (found by the
// nn options audit) produce PyTorch 1.13's outputs, input gradients and parameter
// gradients at 1e-4 relative (fixture: scripts/fixtures/nn_options.py, committed).
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
  module: { type: string; args: unknown[]; options: Record<string, unknown> };
  state: Record<string, Blob>;
  stateAfter: Record<string, Blob>;
  inputs: Blob[];
  output: Blob;
  outputGradWeights: number[];
  inputGrads: Record<string, number[]>;
  paramGrads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/nn_options.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);

type Forward = (...inputs: Tensor[]) => Tensor;

/** Ones shaped like the state-dict entry `key` (which must be there). */
function placeholder(c: Case, key: string): Tensor {
  const b = c.state[key];
  if (b === undefined) throw new Error(`${c.name}: the fixture has no state entry ${key}`);
  return new Tensor(new Float32Array(b.data.length).fill(1), b.shape);
}

function build(c: Case): { module: nn.Module; forward: Forward } {
  const { type, args, options } = c.module;
  const a = args as never[];
  const wrap = <M extends nn.Module & { forward: (...x: never[]) => Tensor }>(m: M) => ({ module: m, forward: (...x: Tensor[]) => m.forward(...(x as never[])) });
  switch (type) {
    case 'Softmax': return wrap(new nn.Softmax(options));
    case 'LogSoftmax': return wrap(new nn.LogSoftmax(options));
    case 'KLDivLoss': return wrap(new nn.KLDivLoss(options));
    // weight / posWeight start as placeholders; loadStateDict must fill in PyTorch's buffers
    case 'Conv2d': return wrap(new nn.Conv2d(a[0]!, a[1]!, a[2]!, options));
    case 'Conv1d': return wrap(new nn.Conv1d(a[0]!, a[1]!, a[2]!, options));
    case 'Embedding': return wrap(new nn.Embedding(a[0]!, a[1]!, options));
    case 'CrossEntropyLoss': return wrap(new nn.CrossEntropyLoss({ ...options, weight: placeholder(c, 'weight') }));
    case 'NLLLoss': return wrap(new nn.NLLLoss({ ...options, weight: placeholder(c, 'weight') }));
    case 'BCELoss': return wrap(new nn.BCELoss({ ...options, weight: placeholder(c, 'weight') }));
    case 'BCEWithLogitsLoss':
      return wrap(new nn.BCEWithLogitsLoss({
        ...options,
        ...('weight' in c.state ? { weight: placeholder(c, 'weight') } : {}),
        ...('pos_weight' in c.state ? { posWeight: placeholder(c, 'pos_weight') } : {}),
      }));
  }
  throw new Error(`no builder for ${type} (${a.length} args)`);
}

describe(`nn module options match PyTorch ${fixture.torch}`, () => {
  it('the fixture comes from PyTorch 1.13', () => {
    expect(fixture.torch.startsWith('1.13')).toBe(true);
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const { module, forward } = build(c);
      expect(Object.keys(module.stateDict())).toEqual(Object.keys(c.state));
      if (Object.keys(c.state).length > 0) {
        module.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
      }
      const inputs = c.inputs.map((b, i) => (i.toString() in c.inputGrads ? tensorOf(b).requiresGrad_() : tensorOf(b)));
      const out = forward(...inputs);
      expect(out.shape).toEqual(c.output.shape);
      expect(maxScaledError(out.data, c.output.data, 1e-4, 1e-5), 'output').toBeLessThanOrEqual(1);
      weightedSum(out, Float32Array.from(c.outputGradWeights)).backward();
      for (const [i, g] of Object.entries(c.inputGrads)) {
        expect(maxScaledError(inputs[Number(i)]!.grad!.data, g, 1e-4, 1e-5), `input ${i} grad`).toBeLessThanOrEqual(1);
      }
      for (const [name, t] of Object.entries(module.stateDict())) {
        expect(maxScaledError(t.data, c.stateAfter[name]!.data, 1e-4, 1e-5), `${name} after the forward`).toBeLessThanOrEqual(1);
      }
      for (const [name, p] of module.namedParameters()) {
        expect(maxScaledError(p.grad!.data, c.paramGrads[name]!, 1e-4, 1e-5), `${name} grad`).toBeLessThanOrEqual(1);
      }
    });
  }
});
