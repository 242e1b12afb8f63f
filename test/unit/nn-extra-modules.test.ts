// PReLU, ReLU6, LogSigmoid, Softsign, Softmin, GLU, Threshold, CELU, Upsample, PixelShuffle,
// PixelUnshuffle and their functional forms: bad options and inputs throw a TypeError or
// RangeError with a stable code, naming the module or op, the argument, what was expected
// and what came; settings print as extraRepr; PReLU's weight is PyTorch's state-dict entry.
import { describe, expect, it } from 'vitest';

import { nn, randn, tensor } from '../../src/index.js';
import { expectArgError } from '../helpers/error-code.js';

const F = nn.functional;

describe('PReLU / prelu', () => {
  it('reject bad options', () => {
    expectArgError(() => new nn.PReLU({ numParameters: 0 }), RangeError, 'PReLU: options.numParameters must be an integer >= 1, but received 0');
    expectArgError(() => new nn.PReLU({ numParameters: 1.5 }), RangeError, 'PReLU: options.numParameters must be an integer >= 1, but received 1.5');
    expectArgError(() => new nn.PReLU({ init: 'a' as never }), TypeError, 'PReLU: options.init must be a number, but received a string ("a")');
    expectArgError(() => new nn.PReLU({ init: NaN }), RangeError, 'PReLU: options.init must be a finite number, but received NaN');
    expectArgError(() => new nn.PReLU({ num_parameters: 3 } as never), RangeError, 'PReLU: unknown option "num_parameters" (known options: numParameters, init)');
  });

  it('reject inputs whose channels do not match the weight (PyTorch 1.13 gives 0-d and 1-D inputs one channel)', () => {
    const m = new nn.PReLU({ numParameters: 3 });
    expectArgError(() => m.forward(randn(2, 4, 5)), RangeError,
      'PReLU: weight must have 1 element or one per channel (dimension 1 of the input, of size 4), but received a weight of 3 elements');
    expectArgError(() => m.forward(randn(3)), RangeError, 'PReLU: weight must have 1 element or one per channel (a 1-d input has 1), but received a weight of 3 elements');
    expectArgError(() => m.forward(tensor(2)), RangeError, 'PReLU: weight must have 1 element or one per channel (a 0-d input has 1), but received a weight of 3 elements');
    expectArgError(() => F.prelu(randn(2, 3), randn(3, 1)), RangeError, 'prelu: weight must be a 0-d or 1-D tensor, but received a Tensor of shape [3, 1]');
    expectArgError(() => F.prelu(randn(2, 3), [1] as never), TypeError, 'prelu: weight must be a Tensor, but received an Array of length 1');
    expectArgError(() => F.prelu(null as never, randn(1)), TypeError, 'prelu: input must be a Tensor, but received null');
  });

  it('keeps its slopes as "weight" of shape [numParameters], filled with init', () => {
    const m = new nn.PReLU({ numParameters: 3, init: 0.1 });
    expect(Object.keys(m.stateDict())).toEqual(['weight']);
    expect(m.weight.shape).toEqual([3]);
    expect(Array.from(m.weight.data)).toEqual(Array.from(Float32Array.of(0.1, 0.1, 0.1)));
    expect(String(m)).toBe('PReLU(numParameters=3)');
    expect(Array.from(new nn.PReLU().forward(tensor([-2, 3])).data)).toEqual([-0.5, 3]);
  });
});

describe('elementwise activations', () => {
  it('reject non-tensors and bad settings', () => {
    expectArgError(() => F.relu6(3 as never), TypeError, 'relu6: input must be a Tensor, but received a number (3)');
    expectArgError(() => F.logsigmoid('x' as never), TypeError, 'logsigmoid: input must be a Tensor, but received a string ("x")');
    expectArgError(() => F.softsign(undefined as never), TypeError, 'softsign: input must be a Tensor, but received undefined');
    expectArgError(() => new nn.Threshold('1' as never, 0), TypeError, 'Threshold: threshold must be a number, but received a string ("1")');
    expectArgError(() => new (nn.Threshold as unknown as new (a: number) => nn.Module)(1), TypeError, 'Threshold: value must be a number, but received undefined');
    expectArgError(() => F.threshold(randn(2), 1, undefined as never), TypeError, 'threshold: value must be a number, but received undefined');
    expectArgError(() => new nn.CELU({ alpha: 0 }), RangeError, 'CELU: options.alpha must be a nonzero number (it divides x), but received 0');
    expectArgError(() => new nn.CELU({ alpha: Infinity }), RangeError, 'CELU: options.alpha must be a finite number, but received Infinity');
    expectArgError(() => F.celu(randn(2), { alpha: '1' as never }), TypeError, 'celu: options.alpha must be a number, but received a string ("1")');
    expectArgError(() => F.celu(randn(2), { beta: 1 } as never), RangeError, 'celu: unknown option "beta" (known options: alpha)');
  });

  it('print their settings', () => {
    expect(String(new nn.ReLU6())).toBe('ReLU6()');
    expect(String(new nn.LogSigmoid())).toBe('LogSigmoid()');
    expect(String(new nn.Softsign())).toBe('Softsign()');
    expect(String(new nn.Threshold(0.5, -1))).toBe('Threshold(threshold=0.5, value=-1)');
    expect(String(new nn.CELU())).toBe('CELU(alpha=1)');
    expect(String(new nn.CELU({ alpha: 0.5 }))).toBe('CELU(alpha=0.5)');
  });

  it('Threshold replaces x <= threshold, the threshold itself included, and keeps NaN', () => {
    const y = new nn.Threshold(1, -2).forward(tensor([1, 1.5, NaN, -3]));
    expect(Array.from(y.data)).toEqual([-2, 1.5, NaN, -2]);
  });

  it('logsigmoid does not overflow for large |x|', () => {
    expect(Array.from(F.logsigmoid(tensor([-1e30, 1e30, -100])).data)).toEqual([-1e30, 0, -100].map(Math.fround));
  });
});

describe('Softmin / GLU dims', () => {
  it('reject bad dims and odd halves', () => {
    expectArgError(() => new nn.Softmin({ dim: 1.5 }), RangeError, 'Softmin: options.dim must be an integer, but received 1.5');
    expectArgError(() => new nn.Softmin({ dim: 2 }).forward(randn(2, 3)), RangeError, 'Softmin: dim must be an integer in [-2, 1], but received 2');
    expectArgError(() => F.softmin(randn(2), '0' as never), TypeError, 'softmin: dim must be an integer, but received a string ("0")');
    expectArgError(() => new nn.GLU().forward(randn(2, 5)), RangeError,
      'GLU: dimension -1 of the input is halved and must have an even size, but received size 5 (input shape [2, 5])');
    expectArgError(() => F.glu(randn(3, 2), 0), RangeError, 'glu: dimension 0 of the input is halved and must have an even size, but received size 3 (input shape [3, 2])');
    expectArgError(() => new nn.GLU().forward(tensor(2)), RangeError, 'GLU: input must have at least 1 dimension (the halved one), but received a 0-d Tensor');
    expectArgError(() => new nn.GLU({ dim: 2 }).forward(randn(2, 4)), RangeError, 'GLU: dim must be an integer in [-2, 1], but received 2');
    expectArgError(() => new nn.GLU({ dim: 'x' as never }), TypeError, 'GLU: options.dim must be an integer, but received a string ("x")');
  });

  it('print their dims and compute along them', () => {
    expect(String(new nn.Softmin({ dim: -1 }))).toBe('Softmin(dim=-1)');
    expect(String(new nn.Softmin())).toBe('Softmin()');
    expect(String(new nn.GLU())).toBe('GLU(dim=-1)');
    expect(new nn.GLU({ dim: 1 }).forward(randn(2, 6, 3)).shape).toEqual([2, 3, 3]);
    const y = new nn.Softmin({ dim: 0 }).forward(tensor([0, Math.log(3)]));
    expect(y.data[0]).toBeCloseTo(0.75, 6);
  });
});

describe('Upsample / interpolate', () => {
  it('reject bad options, naming the one supported mode', () => {
    expectArgError(() => new nn.Upsample({}), RangeError, 'Upsample: one of options.size and options.scaleFactor must be given, but received neither');
    expectArgError(() => new nn.Upsample({ size: 3, scaleFactor: 2 }), RangeError, 'Upsample: only one of options.size and options.scaleFactor may be given, but received both');
    expectArgError(() => new nn.Upsample({ size: 3, mode: 'bilinear' as never }), RangeError,
      'Upsample: options.mode must be \'nearest\' (the only mode supported), but received a string ("bilinear")');
    expectArgError(() => F.interpolate(randn(1, 1, 4), { size: 3, mode: 'nearest-exact' as never }), RangeError,
      'interpolate: options.mode must be \'nearest\' (the only mode supported), but received a string ("nearest-exact")');
    expectArgError(() => new nn.Upsample({ size: 0 }), RangeError, 'Upsample: options.size must be a positive integer, but received 0');
    expectArgError(() => new nn.Upsample({ size: [2, 1.5] }), RangeError, 'Upsample: options.size[1] must be a positive integer, but received 1.5');
    expectArgError(() => new nn.Upsample({ scaleFactor: -1 }), RangeError, 'Upsample: options.scaleFactor must be a positive finite number, but received -1');
    expectArgError(() => new nn.Upsample({ scaleFactor: '2' as never }), TypeError, 'Upsample: options.scaleFactor must be a number or an array of numbers, but received a string ("2")');
    expectArgError(() => F.interpolate(randn(1, 1, 4), { size: 3, alignCorners: true } as never), RangeError,
      'interpolate: unknown option "alignCorners" (known options: size, scaleFactor, mode)');
  });

  it('reject inputs that are not [N, C, L] or [N, C, H, W], and sizes that do not fit', () => {
    expectArgError(() => new nn.Upsample({ size: 3 }).forward(randn(2, 3)), RangeError,
      "Upsample: input must be 3-D [N, C, L] or 4-D [N, C, H, W] (mode 'nearest'), but received a Tensor of shape [2, 3]");
    expectArgError(() => F.interpolate(randn(1, 1, 2, 2, 2), { size: 3 }), RangeError,
      "interpolate: input must be 3-D [N, C, L] or 4-D [N, C, H, W] (mode 'nearest'), but received a Tensor of shape [1, 1, 2, 2, 2]");
    expectArgError(() => new nn.Upsample({ size: [3, 3] }).forward(randn(1, 1, 4)), RangeError,
      'Upsample: options.size must have one entry per spatial dimension (1 for an input of shape [1, 1, 4]), but received 2');
    expectArgError(() => new nn.Upsample({ scaleFactor: 0.1 }).forward(randn(1, 1, 4)), RangeError,
      'Upsample: options.scaleFactor must give output sizes of at least 1, but 0.1 gives floor(4 * 0.1) = 0 for dimension W of an input of shape [1, 1, 4]');
    expectArgError(() => new nn.Upsample({ size: 3 }).forward(randn(1, 0, 4)), RangeError,
      'Upsample: input must have non-empty channel and spatial dimensions (only the batch may be empty), but received a Tensor of shape [1, 0, 4]');
  });

  it('print size or scale factor and mode, and pick rows by 1 / scaleFactor', () => {
    expect(String(new nn.Upsample({ scaleFactor: 2 }))).toBe("Upsample(scaleFactor=2, mode='nearest')");
    expect(String(new nn.Upsample({ size: [3, 4] }))).toBe("Upsample(size=[3, 4], mode='nearest')");
    const x = tensor([0, 1, 2, 3, 4]).reshape(1, 1, 5);
    expect(Array.from(F.interpolate(x, { scaleFactor: 1.7 }).data)).toEqual([0, 0, 1, 1, 2, 2, 3, 4]);
    expect(Array.from(F.interpolate(x, { size: 8 }).data)).toEqual([0, 0, 1, 1, 2, 3, 3, 4]);
  });
});

describe('PixelShuffle / PixelUnshuffle', () => {
  it('reject bad factors and inputs', () => {
    expectArgError(() => new nn.PixelShuffle(0), RangeError, 'PixelShuffle: upscaleFactor must be an integer >= 1, but received 0');
    expectArgError(() => new nn.PixelShuffle('2' as never), TypeError, 'PixelShuffle: upscaleFactor must be an integer, but received a string ("2")');
    expectArgError(() => F.pixelUnshuffle(randn(1, 1, 4, 4), 1.5), RangeError, 'pixelUnshuffle: downscaleFactor must be an integer >= 1, but received 1.5');
    expectArgError(() => new nn.PixelShuffle(2).forward(randn(4, 3)), RangeError,
      'PixelShuffle: input must have at least 3 dimensions [*, C, H, W], but received a Tensor of shape [4, 3]');
    expectArgError(() => new nn.PixelShuffle(2).forward(randn(1, 6, 2, 2)), RangeError,
      'PixelShuffle: the channel dimension (-3) must be divisible by upscaleFactor squared (4), but received 6 channels (input shape [1, 6, 2, 2])');
    expectArgError(() => new nn.PixelUnshuffle(2).forward(randn(1, 1, 3, 4)), RangeError,
      'PixelUnshuffle: the height (dimension -2) must be divisible by downscaleFactor (2), but received 3 (input shape [1, 1, 3, 4])');
    expectArgError(() => F.pixelUnshuffle(randn(1, 1, 4, 3), 2), RangeError,
      'pixelUnshuffle: the width (dimension -1) must be divisible by downscaleFactor (2), but received 3 (input shape [1, 1, 4, 3])');
  });

  it('print their factors and move channels into space as PyTorch', () => {
    expect(String(new nn.PixelShuffle(3))).toBe('PixelShuffle(upscaleFactor=3)');
    expect(String(new nn.PixelUnshuffle(2))).toBe('PixelUnshuffle(downscaleFactor=2)');
    // out[0, h*2 + i, w*2 + j] = in[i*2 + j, h, w]
    const y = F.pixelShuffle(tensor([0, 1, 2, 3]).reshape(4, 1, 1), 2);
    expect(y.shape).toEqual([1, 2, 2]);
    expect(Array.from(y.data)).toEqual([0, 1, 2, 3]);
  });
});
