import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, noGrad, randn, zeros } from '../../src/index.js';

describe('RNN / LSTM / GRU modules', () => {
  it('register PyTorch parameter names and shapes', () => {
    const lstm = new nn.LSTM(5, 4, { numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries([...lstm.namedParameters()].map(([k, p]) => [k, p.shape]));
    expect(shapes).toEqual({
      weight_ih_l0: [16, 5],
      weight_hh_l0: [16, 4],
      bias_ih_l0: [16],
      bias_hh_l0: [16],
      weight_ih_l0_reverse: [16, 5],
      weight_hh_l0_reverse: [16, 4],
      bias_ih_l0_reverse: [16],
      bias_hh_l0_reverse: [16],
      weight_ih_l1: [16, 8],
      weight_hh_l1: [16, 4],
      bias_ih_l1: [16],
      bias_hh_l1: [16],
      weight_ih_l1_reverse: [16, 8],
      weight_hh_l1_reverse: [16, 4],
      bias_ih_l1_reverse: [16],
      bias_hh_l1_reverse: [16],
    });
    expect(Object.keys(new nn.GRU(3, 2, { bias: false }).stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0']);
  });

  it('initialises every parameter in U(-1/sqrt(hidden), 1/sqrt(hidden)), not constant', () => {
    manualSeed(3);
    const m = new nn.RNN(10, 16, { numLayers: 2 });
    const k = 1 / Math.sqrt(16);
    for (const p of m.parameters()) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of p.data) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(lo).toBeGreaterThanOrEqual(-k);
      expect(hi).toBeLessThanOrEqual(k);
      expect(hi - lo).toBeGreaterThan(k);
    }
  });

  it('returns PyTorch shapes for every layout', () => {
    const x = randn(7, 3, 5);
    const [out, h] = new nn.GRU(5, 4, { numLayers: 3, bidirectional: true }).forward(x);
    expect(out.shape).toEqual([7, 3, 8]);
    expect(h.shape).toEqual([6, 3, 4]);
    const [o2, [h2, c2]] = new nn.LSTM(5, 4, { batchFirst: true }).forward(randn(3, 7, 5));
    expect(o2.shape).toEqual([3, 7, 4]);
    expect(h2.shape).toEqual([1, 3, 4]);
    expect(c2.shape).toEqual([1, 3, 4]);
    const [o3, h3] = new nn.RNN(5, 4, { numLayers: 2 }).forward(randn(7, 5));
    expect(o3.shape).toEqual([7, 4]);
    expect(h3.shape).toEqual([2, 4]);
  });

  it('the last output step equals the final hidden state; the reverse direction ends at step 0', () => {
    const m = new nn.GRU(3, 4, { bidirectional: true });
    const [out, h] = m.forward(randn(5, 2, 3));
    for (let b = 0; b < 2; b++) {
      for (let j = 0; j < 4; j++) {
        expect(out.data[(4 * 2 + b) * 8 + j]).toBe(h.data[b * 4 + j]);
        expect(out.data[(0 * 2 + b) * 8 + 4 + j]).toBe(h.data[8 + b * 4 + j]);
      }
    }
  });

  it('batchFirst gives the transposed result of the same computation', () => {
    manualSeed(9);
    const a = new nn.LSTM(3, 4, { numLayers: 2 });
    const b = new nn.LSTM(3, 4, { numLayers: 2, batchFirst: true });
    b.loadStateDict(a.stateDict());
    const x = randn(5, 2, 3);
    const xt = new Tensor(new Float32Array(x.size), [2, 5, 3]);
    for (let t = 0; t < 5; t++) for (let n = 0; n < 2; n++) for (let i = 0; i < 3; i++) xt.data[(n * 5 + t) * 3 + i] = x.data[(t * 2 + n) * 3 + i]!;
    const [oa, [ha]] = a.forward(x);
    const [ob, [hb]] = b.forward(xt);
    expect(Array.from(hb.data)).toEqual(Array.from(ha.data));
    for (let t = 0; t < 5; t++) for (let n = 0; n < 2; n++) for (let j = 0; j < 4; j++) expect(ob.data[(n * 5 + t) * 4 + j]).toBe(oa.data[(t * 2 + n) * 4 + j]);
  });

  it('applies dropout between layers in training only', () => {
    manualSeed(4);
    const m = new nn.RNN(3, 6, { numLayers: 2, dropout: 0.5 });
    const x = randn(4, 2, 3);
    m.eval();
    const [e1] = m.forward(x);
    const [e2] = m.forward(x);
    expect(Array.from(e1.data)).toEqual(Array.from(e2.data));
    m.train();
    const [t1] = m.forward(x);
    expect(Array.from(t1.data)).not.toEqual(Array.from(e1.data));
    // dropout 1 zeroes the second layer's input: its output depends on its biases only
    const full = new nn.RNN(3, 6, { numLayers: 2, dropout: 1 });
    const [f1] = full.forward(randn(4, 2, 3));
    const [f2] = full.forward(randn(4, 2, 3));
    expect(f1.data.every((v) => Number.isFinite(v))).toBe(true);
    expect(Array.from(f1.data)).toEqual(Array.from(f2.data));
  });

  it('records no graph under noGrad', () => {
    const m = new nn.LSTM(3, 4);
    const [out, [h, c]] = noGrad(() => m.forward(randn(2, 1, 3)));
    expect(out.gradFn).toBeNull();
    expect(h.gradFn).toBeNull();
    expect(c.gradFn).toBeNull();
    const [o2] = m.forward(randn(2, 1, 3));
    expect(o2.gradFn).not.toBeNull();
    // without a graph the layer keeps one step of saved gates: same values
    for (const mod of [new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }), new nn.GRU(3, 4, { bidirectional: true })]) {
      const x = randn(6, 2, 3);
      const withGraph = (mod.forward(x) as [Tensor, unknown])[0];
      const without = noGrad(() => (mod.forward(x) as [Tensor, unknown])[0]);
      expect(withGraph.gradFn).not.toBeNull();
      expect(Array.from(without.data)).toEqual(Array.from(withGraph.data));
    }
  });

  it('validates options, inputs and states with clear messages', () => {
    expect(() => new nn.LSTM(3, 4, { nonlinearity: 'relu' } as never)).toThrow(/unknown option "nonlinearity"/);
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as never })).toThrow("RNN: options.nonlinearity must be 'tanh' or 'relu'");
    expect(() => new nn.GRU(3, 0)).toThrow(RangeError);
    expect(() => new nn.GRU(3, 4, { numLayers: 0 })).toThrow(RangeError);
    expect(() => new nn.GRU(3, 4, { dropout: 1.5 })).toThrow('GRU: options.dropout must be in [0, 1], but received 1.5');
    expect(() => new nn.GRU(3, 4, { bidirectional: 1 as never })).toThrow(TypeError);
    const g = new nn.GRU(3, 4, { numLayers: 2 });
    expect(() => g.forward(randn(5, 2, 4))).toThrow('GRU: input.size(-1) must be equal to inputSize. Expected 3, got 4');
    expect(() => g.forward(randn(5, 2, 3), zeros(1, 2, 4))).toThrow('GRU: Expected hidden size [2, 2, 4], got [1, 2, 4]');
    expect(() => g.forward(randn(2, 5, 2, 3))).toThrow(/input must be 2-D \(unbatched\) or 3-D/);
    const l = new nn.LSTM(3, 4);
    expect(() => l.forward(randn(5, 2, 3), [zeros(1, 2, 4)] as never)).toThrow(/initial state must be an array \[h0, c0\]/);
    expect(() => l.forward(randn(5, 2, 3), [zeros(1, 2, 4), zeros(1, 3, 4)])).toThrow('LSTM: Expected cell state size [1, 2, 4], got [1, 3, 4]');
  });

  it('LSTM projSize: weight_hr after the biases, h and the output projSize wide, c hiddenSize wide', () => {
    manualSeed(5);
    const m = new nn.LSTM(5, 4, { numLayers: 2, bidirectional: true, projSize: 3 });
    expect(m.projSize).toBe(3);
    expect(m.stateSize).toBe(3);
    const shapes = [...m.namedParameters()].map(([k, p]) => [k, p.shape]);
    expect(shapes.slice(0, 10)).toEqual([
      ['weight_ih_l0', [16, 5]],
      ['weight_hh_l0', [16, 3]],
      ['bias_ih_l0', [16]],
      ['bias_hh_l0', [16]],
      ['weight_hr_l0', [3, 4]],
      ['weight_ih_l0_reverse', [16, 5]],
      ['weight_hh_l0_reverse', [16, 3]],
      ['bias_ih_l0_reverse', [16]],
      ['bias_hh_l0_reverse', [16]],
      ['weight_hr_l0_reverse', [3, 4]],
    ]);
    // the second layer reads both directions' projected outputs
    expect(m.stateDict().weight_ih_l1!.shape).toEqual([16, 6]);
    // weight_hr is initialised like the rest: U(-1/sqrt(hidden), 1/sqrt(hidden))
    const hr = Array.from(m.stateDict().weight_hr_l1_reverse!.data);
    expect(Math.max(...hr.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(new Set(hr).size).toBe(hr.length);
    const [out, [h, c]] = m.forward(randn(7, 2, 5), [randn(4, 2, 3), randn(4, 2, 4)]);
    expect(out.shape).toEqual([7, 2, 6]);
    expect(h.shape).toEqual([4, 2, 3]);
    expect(c.shape).toEqual([4, 2, 4]);
    expect(Object.keys(new nn.LSTM(3, 4, { projSize: 2, bias: false }).stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0', 'weight_hr_l0']);
    expect(new nn.LSTM(3, 4, { projSize: 0 }).stateDict().weight_hr_l0).toBeUndefined();
    expect(String(new nn.LSTM(5, 4, { projSize: 2, numLayers: 2 }))).toBe('LSTM(5, 4, projSize=2, numLayers=2)');
    // without a graph (one step of saved gates and projections reused) the values are the same
    const x = randn(6, 2, 5);
    const withGraph = m.forward(x)[0];
    expect(Array.from(noGrad(() => m.forward(x)[0]).data)).toEqual(Array.from(withGraph.data));
    // the last step of the output is the final (projected) hidden state
    const [o1, [h1]] = new nn.LSTM(3, 4, { projSize: 2 }).forward(randn(5, 3));
    expect(Array.from(o1.data.subarray(4 * 2))).toEqual(Array.from(h1.data));
  });

  it('prints like PyTorch (camelCase options)', () => {
    expect(String(new nn.LSTM(5, 4, { numLayers: 2, batchFirst: true, bidirectional: true }))).toBe('LSTM(5, 4, numLayers=2, batchFirst=true, bidirectional=true)');
    expect(String(new nn.RNN(5, 4, { nonlinearity: 'relu', bias: false, dropout: 0.25 }))).toBe('RNN(5, 4, nonlinearity=relu, bias=false, dropout=0.25)');
  });
});

describe('recurrent layers and attention do not depend on the thread count', () => {
  it('outputs and gradients are bit-identical at 1 and 2 threads', async () => {
    const { backend } = await import('../../src/index.js');
    const before = backend.getNumThreads();
    const results: number[][] = [];
    for (const threads of [1, 2]) {
      backend.setNumThreads(threads);
      manualSeed(8);
      const lstm = new nn.LSTM(64, 96, { numLayers: 2, bidirectional: true });
      const gru = new nn.GRU(64, 96);
      const mha = new nn.MultiheadAttention(64, 4);
      const x = randn(9, 24, 64).requiresGrad_();
      const [o1] = lstm.forward(x);
      const [o2] = gru.forward(x);
      const [o3] = mha.forward(x, x, x);
      const flat: number[] = [];
      for (const o of [o1, o2, o3]) {
        o.backward(randn(o.shape));
        flat.push(...o.data);
      }
      for (const p of [x, ...lstm.parameters(), ...gru.parameters(), ...mha.parameters()]) flat.push(...p.grad!.data);
      results.push(flat);
    }
    backend.setNumThreads(before);
    expect(results[1]!.length).toBe(results[0]!.length);
    expect(results[1]!.every((v, i) => Object.is(v, results[0]![i]))).toBe(true);
  });
});

describe('RNNCell / LSTMCell / GRUCell', () => {
  it('register PyTorch names, validate, and print', () => {
    expect([...new nn.LSTMCell(5, 4).namedParameters()].map(([k, p]) => [k, p.shape])).toEqual([
      ['weight_ih', [16, 5]],
      ['weight_hh', [16, 4]],
      ['bias_ih', [16]],
      ['bias_hh', [16]],
    ]);
    expect(Object.keys(new nn.GRUCell(5, 4, { bias: false }).stateDict())).toEqual(['weight_ih', 'weight_hh']);
    expect(() => new nn.GRUCell(5, 4, { nonlinearity: 'relu' } as never)).toThrow(/unknown option "nonlinearity"/);
    expect(() => new nn.RNNCell(5, 4).forward(randn(3, 6))).toThrow('RNNCell: input has inconsistent input_size: got 6 expected 5');
    expect(() => new nn.GRUCell(5, 4).forward(randn(3, 5), zeros(2, 4))).toThrow('GRUCell: Expected hidden size [3, 4], got [2, 4]');
    expect(String(new nn.RNNCell(5, 4, { nonlinearity: 'relu', bias: false }))).toBe('RNNCell(5, 4, bias=false, nonlinearity=relu)');
  });

  it('a cell step equals one step of the sequence layer with the same weights', () => {
    manualSeed(12);
    const layer = new nn.GRU(3, 4);
    const cell = new nn.GRUCell(3, 4);
    const sd = layer.stateDict();
    cell.loadStateDict({ weight_ih: sd.weight_ih_l0!, weight_hh: sd.weight_hh_l0!, bias_ih: sd.bias_ih_l0!, bias_hh: sd.bias_hh_l0! });
    const x = randn(1, 2, 3);
    const h0 = randn(1, 2, 4);
    const [, hN] = layer.forward(x, h0);
    const h = cell.forward(x.reshape(2, 3), h0.reshape(2, 4));
    expect(Array.from(h.data)).toEqual(Array.from(hN.data));
  });
});
