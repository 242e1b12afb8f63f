// Layers save their weights for backward: an optimizer step or a loadStateDict between a
// forward and its backward changes them in place, and backward refuses the graph, as
// PyTorch does ("one of the variables needed for gradient computation has been modified
// by an inplace operation"), instead of differentiating at the new weights.
import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, manualSeed, nn, optim, sum } from '../../src/index.js';

function backwardError(f: () => unknown): { code?: string; message: string } | null {
  try {
    f();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  return null;
}

const input = (shape: number[]) => new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)), shape);

const layers: [string, () => nn.Module, number[]][] = [
  ['Linear', () => new nn.Linear(4, 3), [2, 4]],
  ['Conv2d', () => new nn.Conv2d(2, 3, 3), [1, 2, 5, 5]],
  ['Conv1d', () => new nn.Conv1d(2, 3, 3), [1, 2, 6]],
  ['ConvTranspose2d', () => new nn.ConvTranspose2d(2, 3, 3), [1, 2, 4, 4]],
  ['Bilinear', () => new nn.Bilinear(4, 4, 2), [2, 4]],
  ['LayerNorm', () => new nn.LayerNorm(4), [2, 4]],
  ['BatchNorm1d', () => new nn.BatchNorm1d(4), [3, 4]],
  ['GroupNorm', () => new nn.GroupNorm(2, 4), [2, 4, 3]],
  ['LSTM', () => new nn.LSTM(4, 3), [2, 1, 4]],
];

function forward(m: nn.Module, x: Tensor): Tensor {
  if (m instanceof nn.Bilinear) return m.forward(x, x);
  const y = m.forward(x) as Tensor | Tensor[];
  return Array.isArray(y) ? (y[0] as Tensor) : y;
}

describe.each(layers)('%s: weights changed between forward and backward', (_name, make, shape) => {
  it('an optimizer step makes backward throw, and nothing reaches .grad', () => {
    manualSeed(0);
    const m = make();
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    const x = input(shape);
    sum(forward(m, x)).backward(); // gives every parameter a gradient
    const loss = sum(forward(m, x));
    opt.step(); // PyTorch: the step's in-place update bumps the weights' versions
    const before = m.parameters().map((p) => Float32Array.from(p.grad!.data));
    const err = backwardError(() => loss.backward());
    expect(err?.code).toBe(ErrorCode.State);
    expect(err?.message).toMatch(/^backward: a tensor of shape \[[\d, ]+\] that \w+ saved for the gradient was modified in place afterwards/);
    m.parameters().forEach((p, i) => expect(Array.from(p.grad!.data)).toEqual(Array.from(before[i]!)));
  });

  it('loadStateDict makes backward throw; a step before the forward does not', () => {
    manualSeed(0);
    const m = make();
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    const x = input(shape);
    sum(forward(m, x)).backward();
    opt.step();
    opt.zeroGrad();
    const loss = sum(forward(m, x));
    expect(() => loss.backward()).not.toThrow(); // the usual order: forward, backward, step
    const again = sum(forward(m, x));
    m.loadStateDict(make().stateDict());
    expect(backwardError(() => again.backward())?.code).toBe(ErrorCode.State);
  });
});
