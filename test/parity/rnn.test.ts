// RNN, LSTM (with and without projSize) and GRU given PyTorch's weights produce
// PyTorch's outputs, final states and gradients (input, initial states, every
// parameter) at 1e-4 relative (fixture: scripts/fixtures/rnn.py, PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { Tensor, nn } from '../../src/index.js';
import { maxScaledError } from '../helpers/reference.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { add, weightedSum } from '../helpers/test-ops.js';

interface Blob {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  kind: 'RNN' | 'LSTM' | 'GRU';
  args: [number, number];
  options: Record<string, unknown>;
  train: boolean;
  state: Record<string, Blob>;
  input: Blob;
  initialStates: Blob[];
  output: Blob;
  finalStates: Blob[];
  outputGradWeights: number[];
  finalGradWeights: number[][];
  inputGrad: number[];
  initialStateGrads: number[][];
  paramGrads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/rnn.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const tensorOf = (b: Blob) => new Tensor(Float32Array.from(b.data), b.shape);
const close = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
  expect(got.length, what).toBe(want.length);
  expect(maxScaledError(got, want, 1e-4, 1e-5), what).toBeLessThanOrEqual(1);
};

describe('recurrent layers match PyTorch 1.13', () => {
  it('the fixture comes from PyTorch 1.13', () => {
    expect(fixture.torch.startsWith('1.13')).toBe(true);
    expect(fixture.cases.length).toBeGreaterThanOrEqual(10);
    expect(fixture.cases.filter((c) => c.options.projSize).length).toBe(3);
  });

  for (const c of fixture.cases) {
    for (const isa of isaLevels) it(`${c.name} (${isa})`, () => withIsa(isa, () => run(c)));
  }
});

function run(c: Case): void {
  const [inputSize, hiddenSize] = c.args;
  const model =
    c.kind === 'RNN' ? new nn.RNN(inputSize, hiddenSize, c.options) : c.kind === 'LSTM' ? new nn.LSTM(inputSize, hiddenSize, c.options) : new nn.GRU(inputSize, hiddenSize, c.options);
  model.train(c.train);
  expect(Object.keys(model.stateDict())).toEqual(Object.keys(c.state));
  model.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
  const x = tensorOf(c.input).requiresGrad_();
  const states = c.initialStates.map((b) => tensorOf(b).requiresGrad_());
  let out: Tensor;
  let finals: Tensor[];
  if (c.kind === 'LSTM') {
    const [o, [h, cc]] = (model as nn.LSTM).forward(x, states.length ? [states[0]!, states[1]!] : null);
    out = o;
    finals = [h, cc];
  } else {
    const [o, h] = (model as nn.RNN).forward(x, states[0] ?? null);
    out = o;
    finals = [h];
  }
  expect(out.shape).toEqual(c.output.shape);
  close(out.data, c.output.data, 'output');
  finals.forEach((f, i) => {
    expect(f.shape).toEqual(c.finalStates[i]!.shape);
    close(f.data, c.finalStates[i]!.data, `final state ${i}`);
  });
  let loss = weightedSum(out, Float32Array.from(c.outputGradWeights));
  finals.forEach((f, i) => (loss = add(loss, weightedSum(f, Float32Array.from(c.finalGradWeights[i]!)))));
  loss.backward();
  close(x.grad!.data, c.inputGrad, 'input grad');
  states.forEach((s, i) => close(s.grad!.data, c.initialStateGrads[i]!, `initial state ${i} grad`));
  for (const [name, p] of model.namedParameters()) close(p.grad!.data, c.paramGrads[name]!, `${name} grad`);
}

interface CellCase {
  name: string;
  kind: 'RNNCell' | 'LSTMCell' | 'GRUCell';
  options: Record<string, unknown>;
  state: Record<string, Blob>;
  input: Blob;
  states: Blob[];
  outputs: Blob[];
  outputGradWeights: number[][];
  inputGrad: number[];
  stateGrads: number[][];
  paramGrads: Record<string, number[]>;
}

const cellFixture = JSON.parse(readFileSync(new URL('./fixtures/rnn_cells.json', import.meta.url), 'utf8')) as { torch: string; cases: CellCase[] };

function runCell(c: CellCase): void {
  const m = c.kind === 'RNNCell' ? new nn.RNNCell(5, 4, c.options) : c.kind === 'LSTMCell' ? new nn.LSTMCell(5, 4, c.options) : new nn.GRUCell(5, 4, c.options);
  expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
  m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensorOf(v)])));
  const x = tensorOf(c.input).requiresGrad_();
  const states = c.states.map((b) => tensorOf(b).requiresGrad_());
  const outs = c.kind === 'LSTMCell' ? (m as nn.LSTMCell).forward(x, states.length ? [states[0]!, states[1]!] : null) : [(m as nn.GRUCell).forward(x, states[0] ?? null)];
  let loss: Tensor | null = null;
  outs.forEach((o, i) => {
    expect(o.shape).toEqual(c.outputs[i]!.shape);
    close(o.data, c.outputs[i]!.data, `output ${i}`);
    const term = weightedSum(o, Float32Array.from(c.outputGradWeights[i]!));
    loss = loss ? add(loss, term) : term;
  });
  loss!.backward();
  close(x.grad!.data, c.inputGrad, 'input grad');
  states.forEach((s, i) => close(s.grad!.data, c.stateGrads[i]!, `state ${i} grad`));
  for (const [name, p] of m.namedParameters()) close(p.grad!.data, c.paramGrads[name]!, `${name} grad`);
}

describe('recurrent cells match PyTorch 1.13', () => {
  it('the fixture comes from PyTorch 1.13', () => {
    expect(cellFixture.torch.startsWith('1.13')).toBe(true);
    expect(cellFixture.cases.length).toBe(6);
  });
  for (const c of cellFixture.cases) {
    for (const isa of isaLevels) it(`${c.name} (${isa})`, () => withIsa(isa, () => runCell(c)));
  }
});
