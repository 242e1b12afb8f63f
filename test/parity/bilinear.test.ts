// nn.Bilinear / nn.functional.bilinear given PyTorch's weights produce PyTorch's
// outputs and gradients (both inputs, weight, bias) at 1e-4 relative, for 1-D, 2-D
// and 4-D inputs, on every ISA level (fixture: scripts/fixtures/bilinear.py, PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn } from '../../src/index.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError } from '../helpers/reference.js';
import { weightedSum } from '../helpers/test-ops.js';

interface Blob {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  args: [number, number, number];
  bias: boolean;
  repr: string;
  state: Record<string, Blob>;
  inputs: Blob[];
  output: Blob;
  outputGradWeights: number[];
  inputGrads: number[][];
  paramGrads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/bilinear.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);
const close = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
  expect(got.length, what).toBe(want.length);
  expect(maxScaledError(got, want, 1e-4, 1e-5), what).toBeLessThanOrEqual(1);
};

function run(c: Case, functional: boolean): void {
  const m = new nn.Bilinear(...c.args, { bias: c.bias });
  expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
  m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
  const [x1, x2] = c.inputs.map((b) => tensorOf(b).requiresGrad_()) as [Tensor, Tensor];
  const y = functional ? nn.functional.bilinear(x1, x2, m.weight, m.bias) : m.forward(x1, x2);
  expect(y.shape).toEqual(c.output.shape);
  close(y.data, c.output.data, 'output');
  weightedSum(y, Float32Array.from(c.outputGradWeights)).backward();
  close(x1.grad!.data, c.inputGrads[0]!, 'input1 grad');
  close(x2.grad!.data, c.inputGrads[1]!, 'input2 grad');
  for (const [name, p] of m.namedParameters()) close(p.grad!.data, c.paramGrads[name]!, `${name} grad`);
}

describe('Bilinear matches PyTorch 1.13', () => {
  it('the fixture comes from PyTorch 1.13', () => {
    expect(fixture.torch.startsWith('1.13')).toBe(true);
    expect(fixture.cases.length).toBe(4);
  });
  for (const c of fixture.cases) {
    for (const isa of isaLevels) it(`${c.name} (${isa})`, () => withIsa(isa, () => run(c, false)));
    it(`${c.name} through nn.functional.bilinear`, () => run(c, true));
  }
});
