// CrossEntropyLoss and NLLLoss on K-dimensional inputs [N, C, d1, ...] (class indices with
// weight, ignoreIndex, labelSmoothing) and CrossEntropyLoss against class probabilities
// ([C], [N, C], K-dimensional; weight, labelSmoothing) give PyTorch's values and gradients
// (input, and target for probabilities) at 1e-4 relative for every reduction, on every
// ISA level (fixture: scripts/fixtures/class_losses.py, PyTorch 1.13).
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
interface Result {
  value: Blob;
  noneWeights: number[] | null;
  inputGrad: number[];
  targetGrad: number[] | null;
}
interface Case {
  name: string;
  fn: 'crossEntropy' | 'nll';
  options: { weight?: number[]; ignoreIndex?: number; labelSmoothing?: number };
  probabilities: boolean;
  targetAs: 'tensor' | 'int32';
  input: Blob;
  target: Blob;
  none: Result;
  mean: Result;
  sum: Result;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/class_losses.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);
const close = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
  expect(got.length, what).toBe(want.length);
  expect(maxScaledError(got, want, 1e-4, 1e-5), what).toBeLessThanOrEqual(1);
};

function run(c: Case, reduction: 'none' | 'mean' | 'sum'): void {
  const want = c[reduction];
  const { weight, ...rest } = c.options;
  const options = { ...rest, reduction, ...(weight ? { weight: new Tensor(Float32Array.from(weight)) } : {}) };
  const loss = c.fn === 'crossEntropy' ? new nn.CrossEntropyLoss(options) : new nn.NLLLoss(options);
  const x = tensorOf(c.input).requiresGrad_();
  const t = c.probabilities ? tensorOf(c.target).requiresGrad_() : c.targetAs === 'int32' ? Int32Array.from(c.target.data) : tensorOf(c.target);
  const v = loss.forward(x, t);
  expect(v.shape).toEqual(want.value.shape);
  close(v.data, want.value.data, 'value');
  (reduction === 'none' ? weightedSum(v, Float32Array.from(want.noneWeights!)) : v).backward();
  close(x.grad!.data, want.inputGrad, 'input grad');
  if (c.probabilities) close((t as Tensor).grad!.data, want.targetGrad!, 'target grad');
}

describe('class losses on K-dimensional inputs and probability targets match PyTorch 1.13', () => {
  it('the fixture comes from PyTorch 1.13', () => {
    expect(fixture.torch.startsWith('1.13')).toBe(true);
    expect(fixture.cases.length).toBe(10);
  });
  for (const c of fixture.cases) {
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      for (const isa of isaLevels) it(`${c.name}, ${reduction} (${isa})`, () => withIsa(isa, () => run(c, reduction)));
    }
  }
});
