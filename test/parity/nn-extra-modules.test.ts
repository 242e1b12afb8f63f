// PReLU, ReLU6, LogSigmoid, Softsign, Softmin, GLU, Threshold, CELU, Upsample, PixelShuffle
// and PixelUnshuffle (modules loaded from PyTorch's state dicts) and their functional forms
// produce PyTorch 1.13's outputs, input gradients and parameter gradients, on every ISA
// level: 1e-4 relative in general, NaN, +-Infinity and the sign of a zero output exactly
// (fixture: scripts/fixtures/nn_extra_modules.py, committed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn } from '../../src/index.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { type Num, arr, mismatches as parityMismatches } from '../helpers/op-parity.js';
import { weightedSum } from '../helpers/test-ops.js';

interface Blob {
  shape: number[];
  data: Num[];
}
interface Case {
  name: string;
  kind: 'module' | 'function';
  type: string;
  args: unknown[];
  state: Record<string, Blob>;
  inputs: Blob[];
  output: Blob;
  outputGradWeights: Num[];
  inputGrads: Record<string, Num[]>;
  paramGrads: Record<string, Num[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/nn_extra_modules.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const tensorOf = (b: Blob) => new Tensor(arr(b.data), b.shape);
const decodeArg = (v: unknown): unknown => (typeof v === 'string' ? arr([v as Num])[0] : v);

// The op-parity comparison at this test's tolerance: |got - want| <= 1e-4 |want| + 1e-5;
// NaN, +-Infinity exactly, a zero's sign exactly when `signedZero` (outputs; a gradient
// that sums nothing may be -0 on one side).
const mismatches = (got: ArrayLike<number>, want: ArrayLike<number>, signedZero: boolean): string[] =>
  parityMismatches(got, want, signedZero, 1e-4, 1e-5);

type Callable = (...inputs: Tensor[]) => Tensor;

function build(c: Case): { module: nn.Module | null; forward: Callable } {
  const args = c.args.map(decodeArg);
  if (c.kind === 'module') {
    const ctor = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module & { forward: Callable }>)[c.type];
    if (ctor === undefined) throw new Error(`${c.name}: nn.${c.type} does not exist`);
    const m = new ctor(...args);
    return { module: m, forward: (...x) => m.forward(...x) };
  }
  const F = nn.functional as unknown as Record<string, (...a: unknown[]) => Tensor>;
  const f = F[c.type];
  if (f === undefined) throw new Error(`${c.name}: nn.functional.${c.type} does not exist`);
  return { module: null, forward: (...x) => f(...x, ...args) };
}

describe(`nn extra modules match PyTorch ${fixture.torch}`, () => {
  it('the fixture comes from PyTorch 1.13 and covers every new module and function', () => {
    expect(fixture.torch.startsWith('1.13')).toBe(true);
    const types = new Set(fixture.cases.map((c) => c.type));
    for (const t of ['PReLU', 'ReLU6', 'LogSigmoid', 'Softsign', 'Softmin', 'GLU', 'Threshold', 'CELU', 'Upsample', 'PixelShuffle', 'PixelUnshuffle',
      'prelu', 'interpolate', 'pixelShuffle', 'pixelUnshuffle']) expect(types.has(t), t).toBe(true);
  });
  describe.each(isaLevels)('on %s', (isa) => {
    for (const c of fixture.cases) {
      it(c.name, () => {
        withIsa(isa, () => {
          const { module, forward } = build(c);
          if (module !== null) {
            expect(Object.keys(module.stateDict())).toEqual(Object.keys(c.state));
            if (Object.keys(c.state).length > 0) module.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
          }
          const inputs = c.inputs.map((b, i) => (i.toString() in c.inputGrads ? tensorOf(b).requiresGrad_() : tensorOf(b)));
          const out = forward(...inputs);
          expect(out.shape, 'output shape').toEqual(c.output.shape);
          expect(mismatches(out.data, arr(c.output.data), true), 'output').toEqual([]);
          weightedSum(out, arr(c.outputGradWeights)).backward();
          for (const [i, g] of Object.entries(c.inputGrads)) {
            const grad = inputs[Number(i)]!.grad;
            expect(mismatches(grad === null ? new Float32Array(g.length) : grad.data, arr(g), false), `input ${i} grad`).toEqual([]);
          }
          for (const [name, p] of module?.namedParameters() ?? []) {
            expect(mismatches(p.grad!.data, arr(c.paramGrads[name]!), false), `${name} grad`).toEqual([]);
          }
        });
      });
    }
  });
});
