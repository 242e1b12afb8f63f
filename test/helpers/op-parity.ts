// The harness of the op-parity tests (test/parity/tensor-ops, tensor-extra): a fixture of
// cases made by a scripts/fixtures/*.py script (op, args, inputs, PyTorch's outputs and
// the input gradients under fixed upstream weights), run on every ISA level; special
// values (NaN, +-Infinity, the sign of zero) compared exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, add, mul, sum } from '../../src/index.js';
import { isaLevels, withIsa } from './isa.js';

export type Num = number | 'nan' | 'inf' | '-inf' | '-0';
const dec = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v);
export const arr = (a: Num[]): Float32Array => Float32Array.from(a, dec);

export interface OpCase {
  op: string;
  args: Record<string, unknown>;
  inputs: { shape: number[]; data: Num[] }[];
  outputs: { shape: number[]; data: Num[]; index: boolean }[];
  weights: (Num[] | null)[];
  grads: (Num[] | null)[];
}

/** The cases of a fixture under test/parity/fixtures. */
export function readOpCases(name: string): OpCase[] {
  return (JSON.parse(readFileSync(new URL(`../parity/fixtures/${name}`, import.meta.url), 'utf8')) as { cases: OpCase[] }).cases;
}

/** Runs one case: the op's outputs in PyTorch's order, tensors or Int32Array indices. */
export type OpRunner = (c: OpCase, xs: Tensor[]) => (Tensor | Int32Array)[];

/**
 * Indices where got differs from want beyond tolerance or in special-value behaviour.
 * `signedZero` off: gradients that sum nothing or cancel may be -0 on one side and +0
 * on the other (summation order), which no later sum can tell apart.
 */
export function mismatches(got: ArrayLike<number>, want: ArrayLike<number>, signedZero = true, rel = 1e-5, abs = 1e-6): string[] {
  if (got.length !== want.length) return [`length ${got.length}, want ${want.length}`];
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    let ok: boolean;
    if (Number.isNaN(w) || !Number.isFinite(w)) ok = Object.is(g, w);
    else if (w === 0 && g === 0) ok = !signedZero || Object.is(g, w);
    else ok = Math.abs(g - w) <= rel * Math.abs(w) + abs;
    if (!ok) bad.push(`[${i}] got ${Object.is(g, -0) ? '-0' : g}, want ${Object.is(w, -0) ? '-0' : w}`);
  }
  return bad;
}

/** sum_i sum(out_i * w_i) as a graph: the loss whose input gradients PyTorch recorded. */
function weightedLoss(outs: (Tensor | Int32Array)[], weights: (Num[] | null)[]): Tensor | null {
  let loss: Tensor | null = null;
  outs.forEach((o, i) => {
    const w = weights[i];
    if (!(o instanceof Tensor) || w === null || w === undefined || !o.requiresGrad) return;
    const term = sum(mul(o, new Tensor(arr(w), o.shape)));
    loss = loss === null ? term : add(loss, term);
  });
  return loss;
}

/** One test per case and ISA level: outputs, shapes, indices and input gradients against the fixture. */
export function describeOpParity(title: string, cases: OpCase[], run: OpRunner): void {
  describe.each(isaLevels)(`${title} on %s`, (isa) => {
    cases.forEach((c, n) => {
      const label = `${n}: ${c.op}(${c.inputs.map((x) => `[${x.shape.join(', ')}]`).join(', ')}) ${JSON.stringify(c.args)}`;
      it(label, () => {
        withIsa(isa, () => {
          const xs = c.inputs.map((x) => new Tensor(arr(x.data), x.shape).requiresGrad_());
          const outs = run(c, xs);
          expect(outs.length, 'number of outputs').toBe(c.outputs.length);
          outs.forEach((o, i) => {
            const want = c.outputs[i]!;
            if (o instanceof Tensor) {
              expect(o.shape, `output ${i} shape`).toEqual(want.shape);
              expect(mismatches(o.data, arr(want.data)), `output ${i}`).toEqual([]);
            } else {
              expect(want.index, `output ${i} is indices`).toBe(true);
              expect(Array.from(o), `output ${i} indices`).toEqual(want.data);
            }
          });
          const loss = weightedLoss(outs, c.weights);
          if (loss === null) return;
          (loss as Tensor).backward();
          xs.forEach((x, i) => {
            const want = c.grads[i];
            if (want === null || want === undefined) {
              expect(x.grad === null || x.grad.data.every((v) => v === 0), `input ${i} gets no gradient`).toBe(true);
            } else {
              expect(x.grad, `input ${i} gradient`).not.toBeNull();
              expect(mismatches(x.grad!.data, arr(want), false), `input ${i} gradient`).toEqual([]);
            }
          });
        });
      });
    });
  });
}
