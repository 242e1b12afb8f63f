// Bad arguments to Bilinear, LSTM's projSize, MultiheadAttention's addBiasKv /
// addZeroAttn and the K-dimensional / probability-target class losses: each throws a
// TypeError or RangeError with a stable code whose message starts with the op's name
// and names the argument, what was expected and what was received.
import { describe, it } from 'vitest';

import { nn, rand, randn, tensor, zeros } from '../../src/index.js';
import { expectArgErrorMatching as expectArgError } from '../helpers/error-code.js';

describe('Bilinear rejects bad arguments', () => {
  it('in the constructor', () => {
    expectArgError(() => new nn.Bilinear(0, 2, 3), RangeError, 'Bilinear', 'in1Features must be an integer >= 1, but received 0');
    expectArgError(() => new nn.Bilinear(2, 1.5, 3), RangeError, 'Bilinear', 'in2Features', 'received 1.5');
    expectArgError(() => new nn.Bilinear(2, 2, '3' as never), TypeError, 'Bilinear', 'outFeatures must be an integer, but received a string ("3")');
    expectArgError(() => new nn.Bilinear(2, 2, 3, { bias: 1 } as never), TypeError, 'Bilinear', 'options.bias must be a boolean, but received a number (1)');
    expectArgError(() => new nn.Bilinear(2, 2, 3, { biased: true } as never), RangeError, 'Bilinear', 'unknown option "biased"');
  });

  it('in forward and nn.functional.bilinear', () => {
    const m = new nn.Bilinear(3, 2, 4);
    expectArgError(() => m.forward(randn(5, 4), randn(5, 2)), RangeError, 'bilinear', 'input1 has shape [5, 4]', 'last dimension of input1 must be 3');
    expectArgError(() => m.forward(randn(5, 3), randn(5, 3)), RangeError, 'bilinear', 'input2 has shape [5, 3]', 'must be 2');
    expectArgError(() => m.forward(randn(5, 3), randn(4, 2)), RangeError, 'bilinear', 'same batch dimensions', '[5, 3] and [4, 2]');
    expectArgError(() => m.forward(randn(5, 3), randn(2)), RangeError, 'bilinear', 'same number of dimensions', '[5, 3] and [2]');
    expectArgError(() => m.forward([1, 2, 3] as never, randn(2)), TypeError, 'bilinear', 'input1 must be a Tensor, but received an Array of length 3');
    expectArgError(() => nn.functional.bilinear(randn(3), randn(2), randn(4, 6)), RangeError, 'bilinear', 'weight must be 3-D [out, in1, in2], but has shape [4, 6]');
    expectArgError(() => nn.functional.bilinear(randn(3), randn(2), randn(4, 3, 2), zeros(3)), RangeError, 'bilinear', 'bias must have shape [4]', 'has shape [3]');
  });
});

describe('LSTM projSize rejects bad values and mis-shaped states', () => {
  it('in the constructor', () => {
    expectArgError(() => new nn.LSTM(3, 4, { projSize: 4 }), RangeError, 'LSTM', 'options.projSize must be smaller than hiddenSize (4), but received 4');
    expectArgError(() => new nn.LSTM(3, 4, { projSize: 9 }), RangeError, 'LSTM', 'smaller than hiddenSize (4), but received 9');
    expectArgError(() => new nn.LSTM(3, 4, { projSize: -1 }), RangeError, 'LSTM', 'options.projSize must be a non-negative integer, but received -1');
    expectArgError(() => new nn.LSTM(3, 4, { projSize: 1.5 }), RangeError, 'LSTM', 'options.projSize', 'received 1.5');
    expectArgError(() => new nn.LSTM(3, 4, { projSize: '2' as never }), TypeError, 'LSTM', 'options.projSize must be an integer, but received a string ("2")');
    // PyTorch: proj_size is only supported for LSTM
    expectArgError(() => new nn.GRU(3, 4, { projSize: 2 } as never), RangeError, 'GRU', 'unknown option "projSize"');
    expectArgError(() => new nn.RNN(3, 4, { projSize: 2 } as never), RangeError, 'RNN', 'unknown option "projSize"');
  });

  it('in forward: h0 is projSize wide, c0 hiddenSize wide', () => {
    const m = new nn.LSTM(3, 4, { projSize: 2, numLayers: 2 });
    expectArgError(() => m.forward(randn(5, 2, 3), [zeros(2, 2, 4), zeros(2, 2, 4)]), RangeError, 'LSTM', 'Expected hidden size [2, 2, 2], got [2, 2, 4]');
    expectArgError(() => m.forward(randn(5, 2, 3), [zeros(2, 2, 2), zeros(2, 2, 2)]), RangeError, 'LSTM', 'Expected cell state size [2, 2, 4], got [2, 2, 2]');
    expectArgError(() => m.forward(randn(5, 3), [zeros(2, 4), zeros(2, 4)]), RangeError, 'LSTM', 'Expected hidden size [2, 2], got [2, 4]');
  });
});

describe('MultiheadAttention addBiasKv / addZeroAttn reject bad values; masks cover the given keys only', () => {
  it('in the constructor', () => {
    expectArgError(() => new nn.MultiheadAttention(4, 2, { addBiasKv: 'yes' as never }), TypeError, 'MultiheadAttention', 'options.addBiasKv must be a boolean, but received a string ("yes")');
    expectArgError(() => new nn.MultiheadAttention(4, 2, { addZeroAttn: 1 as never }), TypeError, 'MultiheadAttention', 'options.addZeroAttn must be a boolean, but received a number (1)');
    expectArgError(() => new nn.MultiheadAttention(4, 2, { addBiasKV: true } as never), RangeError, 'MultiheadAttention', 'unknown option "addBiasKV"');
  });

  it('in forward: masks over the appended keys are rejected', () => {
    const m = new nn.MultiheadAttention(4, 2, { addBiasKv: true, addZeroAttn: true });
    const q = randn(3, 2, 4);
    const kv = randn(5, 2, 4);
    expectArgError(() => m.forward(q, kv, kv, { attnMask: zeros(3, 7) }), RangeError, 'MultiheadAttention', 'options.attnMask has shape [3, 7], expected [3, 5] or [4, 3, 5]');
    expectArgError(() => m.forward(q, kv, kv, { keyPaddingMask: new Array<boolean>(14).fill(false) }), RangeError, 'MultiheadAttention', 'options.keyPaddingMask has 14 elements, expected 10 ([2, 5])');
  });
});

describe('class losses reject K-dimensional targets of the wrong shape and bad probability-target options', () => {
  it('K-dimensional class indices', () => {
    const x = randn(2, 3, 4);
    expectArgError(() => nn.functional.crossEntropy(x, zeros(2, 3)), RangeError, 'crossEntropy', 'target must have shape [2, 4] (input [2, 3, 4] without its class dimension 1), but has shape [2, 3]');
    expectArgError(() => new nn.NLLLoss().forward(x, zeros(8)), RangeError, 'nllLoss', 'target must have shape [2, 4]', 'but has shape [8]');
    expectArgError(() => nn.functional.nllLoss(x, Int32Array.of(0, 1, 2)), RangeError, 'nllLoss', 'target must hold 8 class indices (one per position of [2, 4]), but has 3');
    expectArgError(() => nn.functional.crossEntropy(x, tensor([[0, 1, 3, 0], [1, 1, 1, 1]])), RangeError, 'crossEntropyLoss', 'target[2] must be a class index in [0, 3)', 'but is 3');
    expectArgError(() => nn.functional.crossEntropy(x, zeros(2, 4), { weight: zeros(4) }), RangeError, 'crossEntropyLoss', 'options.weight must have shape [3]');
    expectArgError(() => nn.functional.crossEntropy(zeros([]), [0]), RangeError, 'crossEntropy', 'input must be [C], [N, C] or [N, C, d1, ...], but is 0-d');
    expectArgError(() => nn.functional.crossEntropy('x' as never, [0]), TypeError, 'crossEntropy', 'input must be a Tensor, but received a string ("x")');
  });

  it('class probabilities (a target shaped like the input)', () => {
    const x = randn(2, 3, 4);
    const p = rand(2, 3, 4);
    expectArgError(() => nn.functional.crossEntropy(x, p, { ignoreIndex: 0 }), RangeError, 'crossEntropy', 'options.ignoreIndex is not supported with class-probability targets', 'must be negative, but received 0');
    expectArgError(() => nn.functional.crossEntropy(x, p, { weight: zeros(4) }), RangeError, 'crossEntropy', 'options.weight must have shape [3] (one weight per class), but has shape [4]');
    expectArgError(() => nn.functional.crossEntropy(x, p, { weight: [1, 2, 3] as never }), TypeError, 'crossEntropy', 'options.weight must be a Tensor, but received an Array of length 3');
    expectArgError(() => new nn.CrossEntropyLoss({ labelSmoothing: 1.5 }).forward(x, p), RangeError, 'crossEntropy', 'options.labelSmoothing must be in [0, 1], but received 1.5');
    expectArgError(() => nn.functional.crossEntropy(x, p, { ignoreIndex: 0.5 }), RangeError, 'crossEntropy', 'options.ignoreIndex', 'received 0.5');
    // NLLLoss has no probability form: a target shaped like the input is a wrong index target
    expectArgError(() => nn.functional.nllLoss(x, p), RangeError, 'nllLoss', 'target must have shape [2, 4]', 'but has shape [2, 3, 4]');
  });
});
