// Conv and pooling through the public API: results against float64 references on
// every ISA level, argument validation (TS and binding), module defaults and
// printing, and a LeNet-5 forward/backward/training smoke test.
import { describe, expect, it } from 'vitest';

import { Tensor, manualSeed, nn, noGrad, optim, randn, tensor } from '../../src/index.js';
import { native } from '../../src/native.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError } from '../helpers/reference.js';

const F = nn.functional;

/** Direct conv2d in float64: x [n, c, h, w], w [o, c/g, kh, kw]. */
function refConv2d(x: Tensor, w: Tensor, b: Tensor | null, s: number[], p: number[], d: number[], groups: number): { data: Float64Array; shape: number[] } {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const oh = Math.floor((h + 2 * p[0]! - d[0]! * (kh - 1) - 1) / s[0]!) + 1;
  const ow = Math.floor((wd + 2 * p[1]! - d[1]! * (kw - 1) - 1) / s[1]!) + 1;
  const out = new Float64Array(n * o * oh * ow);
  const og = o / groups;
  for (let i = 0; i < n; i++) for (let oc = 0; oc < o; oc++) {
    const g = Math.floor(oc / og);
    for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
      let acc = b ? b.data[oc]! : 0;
      for (let ci = 0; ci < cg; ci++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) {
        const iy = y * s[0]! - p[0]! + ki * d[0]!, ix = xx * s[1]! - p[1]! + kj * d[1]!;
        if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
        acc += w.data[((oc * cg + ci) * kh + ki) * kw + kj]! * x.data[((i * c + g * cg + ci) * h + iy) * wd + ix]!;
      }
      out[((i * o + oc) * oh + y) * ow + xx] = acc;
    }
  }
  return { data: out, shape: [n, o, oh, ow] };
}

describe('conv2d matches a float64 reference on every ISA level', () => {
  const cases: [number[], number[], number[], number[], number[], number][] = [
    // x shape, w shape, stride, padding, dilation, groups
    [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1], [0, 0], [1, 1], 1],
    [[2, 3, 17, 15], [5, 3, 3, 3], [1, 1], [1, 1], [1, 1], 1],
    [[3, 4, 16, 16], [8, 2, 5, 3], [2, 3], [2, 1], [1, 2], 2],
    [[1, 6, 13, 31], [6, 1, 3, 3], [1, 2], [0, 3], [3, 1], 6],
    [[2, 16, 7, 9], [15, 16, 1, 1], [1, 1], [0, 0], [1, 1], 1],
    [[0, 3, 5, 5], [2, 3, 3, 3], [1, 1], [0, 0], [1, 1], 1],
  ];
  for (const isa of isaLevels) {
    it(isa, () => {
      withIsa(isa, () => {
        manualSeed(40);
        for (const [xs, ws, s, p, d, g] of cases) {
          const x = randn(xs), w = randn(ws), b = randn(ws[0]!);
          const y = F.conv2d(x, w, b, { stride: s, padding: p, dilation: d, groups: g });
          const r = refConv2d(x, w, b, s, p, d, g);
          expect(y.shape).toEqual(r.shape);
          const k = ws[1]! * ws[2]! * ws[3]!;
          expect(maxScaledError(y.data, r.data, 1e-6 * k, 1e-6 * k)).toBeLessThanOrEqual(1);
        }
      });
    });
  }
  it('unbatched input gives the batched result without the batch dimension', () => {
    manualSeed(41);
    const x = randn(3, 6, 5), w = randn(4, 3, 3, 3);
    const y = F.conv2d(x, w, null, { padding: 1 });
    expect(y.shape).toEqual([4, 6, 5]);
    expect(Array.from(y.data)).toEqual(Array.from(F.conv2d(x.reshape(1, 3, 6, 5), w, null, { padding: 1 }).data));
  });
  it("padding 'same' keeps the spatial size, with the extra zero at the end as in PyTorch", () => {
    manualSeed(42);
    const x = randn(1, 2, 5, 6), w = randn(3, 2, 2, 4);
    const y = F.conv2d(x, w, null, { padding: 'same' });
    expect(y.shape).toEqual([1, 3, 5, 6]);
    // total padding (1, 3): left/top (0, 1), right/bottom (1, 2): equal to conv of an explicitly padded input
    const xp = new Float32Array(2 * 6 * 9);
    for (let c = 0; c < 2; c++) for (let i = 0; i < 5; i++) for (let j = 0; j < 6; j++) xp[(c * 6 + i) * 9 + j + 1] = x.data[(c * 5 + i) * 6 + j]!;
    const r = refConv2d(new Tensor(xp, [1, 2, 6, 9]), w, null, [1, 1], [0, 0], [1, 1], 1);
    expect(maxScaledError(y.data, r.data, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
  });
});

describe('validation', () => {
  const x = randn(1, 4, 6, 6), w = randn(6, 2, 3, 3);
  it('rejects bad shapes and options with precise messages', () => {
    expect(() => F.conv2d(x, w)).toThrow('conv2d: weight of shape [6, 2, 3, 3] with groups=1 expects 2 input channels, but input of shape [1, 4, 6, 6] has 4');
    expect(() => F.conv2d(x, w, randn(5), { groups: 2 })).toThrow('conv2d: bias must have shape [6], but has shape [5]');
    expect(() => F.conv2d(x, w, null, { groups: 3 })).toThrow(RangeError);
    expect(() => F.conv2d(x, w, null, { groups: 2, stride: 2, padding: 'same' })).toThrow("conv2d: padding='same' is not supported for strided convolutions");
    expect(() => F.conv2d(x, w, null, { groups: 2, padding: 'full' as never })).toThrow(/options.padding must be a number, 2 numbers, 'same' or 'valid'/);
    expect(() => F.conv2d(x, w, null, { groups: 2, strid: 2 } as never)).toThrow('conv2d: unknown option "strid"');
    expect(() => F.conv2d(x, randn(6, 2, 9, 3), null, { groups: 2 })).toThrow('conv2d: the (dilated) kernel 9x3 is larger than the padded input 6x6 (input shape [1, 4, 6, 6])');
    expect(() => F.conv2d(randn(4, 6), w)).toThrow('conv2d: input must be 3-D [C, H, W] or 4-D [N, C, H, W], but has shape [4, 6]');
    expect(() => F.conv2d(x, w, null, { groups: 2, stride: [1, 0] })).toThrow('conv2d: options.stride[1] must be an integer >= 1, but received 0');
    expect(() => new nn.Conv2d(4, 6, 3, { paddingMode: 'mirror' as never })).toThrow(
      "Conv2d: options.paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', but received a string (\"mirror\")",
    );
    expect(() => new nn.ConvTranspose2d(4, 6, 3, { paddingMode: 'reflect' as never })).toThrow(/paddingMode must be 'zeros' \(the only mode supported for ConvTranspose2d\)/);
    expect(new nn.Conv1d(2, 2, 3, { padding: 1, paddingMode: 'circular' }).toString()).toBe('Conv1d(2, 2, kernelSize=(3,), stride=(1,), padding=(1,), paddingMode=circular)');
    // reflect padding must be smaller than the input, as in PyTorch
    expect(() => new nn.Conv1d(1, 1, 3, { padding: 3, paddingMode: 'reflect' }).forward(randn(1, 1, 3))).toThrow(
      'pad: mode "reflect" needs padding smaller than the dimension, but received 3 and 3 for dimension 2 of size 3',
    );
    expect(() => new nn.Conv2d(4, 6, 3, { groups: 4 })).toThrow('Conv2d: outChannels (6) must be divisible by groups (4)');
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(/outputPadding must be smaller than either stride or dilation/);
    expect(() => F.maxPool2d(x, 3, { padding: 2 })).toThrow('maxPool2d: padding (2, 2) must be at most half the kernel size (3, 3)');
    expect(() => F.maxPool2d(x, 7)).toThrow('maxPool2d: the output size 0x0 is too small for input of shape [1, 4, 6, 6]');
    expect(() => F.avgPool1d(randn(2, 5), 2, { divisorOverride: 2 } as never)).toThrow('avgPool1d: unknown option "divisorOverride"');
    expect(() => F.adaptiveAvgPool2d(x, [2] as never)).toThrow(TypeError);
  });
  it('the binding re-checks lengths, ranges and absurd sizes without crashing', () => {
    const e = new Float32Array(0);
    const ok = (): Parameters<typeof native.conv2dForward> => [new Float32Array(2 * 4 * 30), new Float32Array(72), e, new Float32Array(2 * 6 * 9), 2, 4, 6, 5, 6, 3, 2, 2, 1, 1, 0, 1, 2, 2];
    const call = (patch: Record<number, unknown>) => () => {
      const a = ok() as unknown[];
      for (const [i, v] of Object.entries(patch)) a[Number(i)] = v;
      native.conv2dForward(...(a as Parameters<typeof native.conv2dForward>));
    };
    expect(call({})).not.toThrow();
    expect(call({ 2: new Float32Array(5) })).toThrow('conv2dForward: bias must have 6 elements for o = 6 (or be empty for none), but has 5');
    expect(call({ 17: 4 })).toThrow('conv2dForward: c (4) and o (6) must both be divisible by groups (4)');
    expect(call({ 9: 0 })).toThrow('conv2dForward: kh must be at least 1, but received 0');
    expect(call({ 9: 2 ** 31 - 1 })).toThrow(/conv2dForward: the dilated kernel \(2147483647x3\) is larger than the padded input \(8x5\)/);
    // a kernel made to fit by enormous padding: the column buffer is refused, not attempted
    expect(call({ 9: 2 ** 30, 13: 2 ** 29, 11: 2 ** 31 - 1 })).toThrow(/conv2dForward: the column buffer would need \d+ elements/);
    expect(call({ 3: new Float32Array(2 * 4 * 30) })).toThrow('conv2dForward: y must have 108 elements for shape [2, 6, 3, 3], but has 240');
    const buf = new Float32Array(400);
    expect(call({ 0: buf.subarray(0, 240), 3: buf.subarray(200, 308) })).toThrow('conv2dForward: y must not share memory with x (pass a separate output buffer)');
    const idx = new Int32Array(4).fill(0);
    idx[2] = 9;
    expect(() => native.maxPool2dBackward(new Float32Array(4), idx, new Float32Array(9), 1, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, false)).toThrow(
      'maxPool2dBackward: idx[2] must be -1 or an index into a plane of 9 elements, but is 9',
    );
    expect(() => native.conv2dBackward(new Float32Array(240), new Float32Array(72), new Float32Array(108), new Float32Array(7), e, e, 2, 4, 6, 5, 6, 3, 2, 2, 1, 1, 0, 1, 2, 2)).toThrow(
      'conv2dBackward: dx must have 240 elements for shape [2, 4, 6, 5] (or be empty for none), but has 7',
    );
    expect(() => native.adaptiveAvgPool2dForward(e, e, 1, 0, 3, 1, 1)).toThrow('adaptiveAvgPool2dForward: h must be at least 1, but received 0');
    // an absurd but valid window (kernel 2^31 - 1, padding 2^30 - 1) only visits the plane
    const y = new Float32Array(1), id = new Int32Array(1);
    native.maxPool2dForward(Float32Array.of(1, 7, 3), y, id, 1, 1, 3, 2 ** 31 - 1, 3, 2 ** 31 - 1, 3, 2 ** 30 - 1, 1, 1, 1, false);
    expect([y[0], id[0]]).toEqual([7, 1]);
    expect(() => native.avgPool2dForward(new Float32Array(9), new Float32Array(1), 1, 3, 3, 3, 3, 3, 3, 2, 1, false, true, 0)).toThrow(/padding \(2, 1\) must be at most half the kernel size/);
  });
});

describe('modules', () => {
  it('use PyTorch layouts, stateDict keys and default initialisation bounds', () => {
    manualSeed(50);
    const conv = new nn.Conv2d(4, 8, [3, 5], { groups: 2 });
    expect(conv.weight.shape).toEqual([8, 2, 3, 5]);
    expect(Object.keys(conv.stateDict())).toEqual(['weight', 'bias']);
    const bound = 1 / Math.sqrt(2 * 15); // kaiming_uniform_(a=sqrt(5)) and the bias both give 1/sqrt(fanIn)
    for (const v of conv.weight.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    for (const v of conv.bias!.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(Math.max(...conv.weight.data.map(Math.abs))).toBeGreaterThan(bound * 0.8);
    const t = new nn.ConvTranspose2d(4, 6, 3, { groups: 2, bias: false });
    expect(t.weight.shape).toEqual([4, 3, 3, 3]);
    expect(t.bias).toBeNull();
    expect(Object.keys(t.stateDict())).toEqual(['weight']);
    expect(new nn.Conv1d(3, 5, 4).weight.shape).toEqual([5, 3, 4]);
  });
  it('ConvTranspose2d.forward takes an outputSize that picks the output padding, as in PyTorch', () => {
    manualSeed(51);
    const t = new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 });
    const x = randn(1, 2, 4, 5);
    expect(t.forward(x).shape).toEqual([1, 3, 7, 9]);
    const y = t.forward(x, [8, 9]);
    expect(y.shape).toEqual([1, 3, 8, 9]);
    const ref = F.convTranspose2d(x, t.weight, t.bias, { stride: 2, padding: 1, outputPadding: [1, 0] });
    expect(Array.from(y.data)).toEqual(Array.from(ref.data));
    expect(t.forward(x, [1, 3, 7, 10]).shape).toEqual([1, 3, 7, 10]);
    expect(() => t.forward(x, [9, 9])).toThrow('ConvTranspose2d: requested an output size of 9x9, but valid sizes range from 7 to 8 in dimension 0 (for an input of shape [1, 2, 4, 5])');

    // PyTorch's range is [min, min + stride - 1] even when dilation > stride (its conv_transpose2d
    // would take output padding up to dilation - 1, but output_size never asks for it)
    // the full shape has 4 entries for a batched input, 3 for an unbatched one (PyTorch refuses the other)
    expect(t.forward(randn(2, 4, 5), [3, 8, 9]).shape).toEqual([3, 8, 9]);
    expect(() => t.forward(randn(2, 4, 5), [1, 3, 8, 9])).toThrow('ConvTranspose2d: outputSize must be [H, W] or [C, H, W] for a 3-D input, but received an Array of length 4');
    expect(() => t.forward(x, [3, 8, 9])).toThrow('ConvTranspose2d: outputSize must be [H, W] or [N, C, H, W] for a 4-D input, but received an Array of length 3');
    const dilated = new nn.ConvTranspose2d(1, 1, 3, { dilation: 3 });
    const z = randn(1, 1, 2, 2);
    expect(dilated.forward(z, [8, 8]).shape).toEqual([1, 1, 8, 8]);
    expect(() => dilated.forward(z, [9, 8])).toThrow('ConvTranspose2d: requested an output size of 9x8, but valid sizes range from 8 to 8 in dimension 0 (for an input of shape [1, 1, 2, 2])');
  });
  it('print like PyTorch', () => {
    expect(new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1 }).toString()).toBe('Conv2d(3, 16, kernelSize=(3, 3), stride=(2, 2), padding=(1, 1))');
    expect(new nn.Conv1d(3, 16, 3, { padding: 'same', bias: false }).toString()).toBe('Conv1d(3, 16, kernelSize=(3,), stride=(1,), padding=same, bias=false)');
    expect(new nn.MaxPool2d(2).toString()).toBe('MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)');
    expect(new nn.AdaptiveAvgPool2d([null, 4]).toString()).toBe('AdaptiveAvgPool2d(outputSize=(None, 4))');
  });
  it('record no graph under noGrad', () => {
    const conv = new nn.Conv2d(2, 3, 3);
    const y = noGrad(() => F.maxPool2d(conv.forward(randn(1, 2, 6, 6)), 2));
    expect(y.gradFn).toBeNull();
    expect(y.requiresGrad).toBe(false);
  });
  it('max pooling routes the gradient to the first maximum of each window', () => {
    const x = tensor([[[[1, 3, 3, 0], [2, 0, 1, 5]]]]).requiresGrad_();
    const y = F.maxPool2d(x, 2);
    expect(Array.from(y.data)).toEqual([3, 5]);
    y.backward(tensor([[[[10, 20]]]]));
    expect(Array.from(x.grad!.data)).toEqual([0, 10, 0, 0, 0, 0, 0, 20]);
  });
});

describe('LeNet-5', () => {
  it('runs forward and backward and learns a fixed batch', () => {
    manualSeed(60);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
    );
    const x = randn(8, 1, 28, 28);
    const target = tensor([0, 1, 2, 3, 4, 5, 6, 7]);
    const lossFn = new nn.CrossEntropyLoss();
    const opt = new optim.Adam(model.parameters(), { lr: 2e-3 });
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      opt.zeroGrad();
      const out = model.forward(x) as Tensor;
      expect(out.shape).toEqual([8, 10]);
      const loss = lossFn.forward(out, target);
      loss.backward();
      if (step === 0) {
        for (const [name, p] of model.namedParameters()) {
          expect(p.grad, name).not.toBeNull();
          expect(p.grad!.data.every(Number.isFinite), name).toBe(true);
          expect(p.grad!.data.some((v) => v !== 0), name).toBe(true);
        }
      }
      losses.push(loss.item());
      opt.step();
    }
    expect(losses[0]).toBeGreaterThan(1.5);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
  });
});
