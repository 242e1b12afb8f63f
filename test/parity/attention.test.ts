// MultiheadAttention given PyTorch's weights produces PyTorch's outputs, attention
// weights and gradients (inputs, every parameter) at 1e-4 relative, with causal,
// key-padding (bool and float) and per-head float masks, kdim/vdim, addBiasKv,
// addZeroAttn, batchFirst and unbatched inputs, on every ISA level (fixture:
// scripts/fixtures/attention.py, PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn } from '../../src/index.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError } from '../helpers/reference.js';
import { add, weightedSum } from '../helpers/test-ops.js';

interface Blob {
  shape: number[];
  data: number[];
}
interface MaskBlob {
  bool: boolean;
  shape: number[];
  data: (number | boolean)[];
}
interface Case {
  name: string;
  embedDim: number;
  numHeads: number;
  options: Record<string, unknown>;
  selfAttention: boolean;
  needWeights: boolean;
  average: boolean;
  keyPaddingMask: MaskBlob | null;
  attnMask: MaskBlob | null;
  state: Record<string, Blob>;
  inputs: Blob[];
  output: Blob;
  weights: Blob | null;
  outputGradWeights: number[];
  weightsGradWeights: number[] | null;
  inputGrads: number[][];
  paramGrads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/attention.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);
const maskOf = (m: MaskBlob | null) => (m === null ? null : m.bool ? (m.data as boolean[]) : new Tensor(Float32Array.from(m.data as number[]), m.shape));
const close = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
  expect(got.length, what).toBe(want.length);
  expect(maxScaledError(got, want, 1e-4, 1e-5), what).toBeLessThanOrEqual(1);
};

function run(c: Case): void {
  const options = Object.fromEntries(Object.entries(c.options).filter(([, v]) => v !== null));
  const m = new nn.MultiheadAttention(c.embedDim, c.numHeads, options);
  m.eval();
  expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
  m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
  const inputs = c.inputs.map((b) => tensorOf(b).requiresGrad_());
  const [q, k, v] = c.selfAttention ? [inputs[0]!, inputs[0]!, inputs[0]!] : (inputs as [Tensor, Tensor, Tensor]);
  const [out, w] = m.forward(q, k, v, {
    keyPaddingMask: maskOf(c.keyPaddingMask),
    attnMask: maskOf(c.attnMask),
    needWeights: c.needWeights,
    averageAttnWeights: c.average,
  });
  expect(out.shape).toEqual(c.output.shape);
  close(out.data, c.output.data, 'output');
  let loss = weightedSum(out, Float32Array.from(c.outputGradWeights));
  if (c.weights === null) expect(w).toBeNull();
  else {
    expect(w!.shape).toEqual(c.weights.shape);
    close(w!.data, c.weights.data, 'weights');
    loss = add(loss, weightedSum(w!, Float32Array.from(c.weightsGradWeights!)));
  }
  loss.backward();
  inputs.forEach((t, i) => close(t.grad!.data, c.inputGrads[i]!, `input ${i} grad`));
  for (const [name, p] of m.namedParameters()) close(p.grad!.data, c.paramGrads[name]!, `${name} grad`);
}

describe('MultiheadAttention matches PyTorch 1.13', () => {
  it('the fixture comes from PyTorch 1.13', () => {
    expect(fixture.torch.startsWith('1.13')).toBe(true);
    expect(fixture.cases.length).toBe(9);
  });
  for (const c of fixture.cases) {
    for (const isa of isaLevels) it(`${c.name} (${isa})`, () => withIsa(isa, () => run(c)));
  }
});
