// Options added or tightened by the nn options audit (PyTorch 1.13 names and values):
// bad values throw a TypeError or RangeError with a stable code, naming the op, the
// argument, what was expected and what came; good values behave as PyTorch's.
import { describe, expect, it } from 'vitest';

import { Tensor, nn, sum, tensor } from '../../src/index.js';
import { expectArgError } from '../helpers/error-code.js';

describe('Embedding maxNorm, normType, scaleGradByFreq', () => {
  it('reject bad values', () => {
    expectArgError(() => new nn.Embedding(4, 2, { maxNorm: -1 }), RangeError, 'Embedding: options.maxNorm must be >= 0, but received -1');
    expectArgError(() => new nn.Embedding(4, 2, { maxNorm: '1' as never }), TypeError, 'Embedding: options.maxNorm must be a number, but received a string ("1")');
    expectArgError(() => new nn.Embedding(4, 2, { normType: 0 }), RangeError, 'Embedding: options.normType must be a positive number (or Infinity), but received 0');
    expectArgError(() => new nn.Embedding(4, 2, { normType: null as never }), TypeError, 'Embedding: options.normType must be a number, but received null');
    expectArgError(() => new nn.Embedding(4, 2, { scaleGradByFreq: 1 as never }), TypeError, 'Embedding: options.scaleGradByFreq must be a boolean, but received a number (1)');
    expectArgError(() => new nn.Embedding(4, 2, { sparse: true } as never), RangeError,
      'Embedding: unknown option "sparse" (known options: paddingIdx, maxNorm, normType, scaleGradByFreq)');
  });

  it('maxNorm with normType Infinity clips the largest magnitude of the rows looked up only', () => {
    const e = new nn.Embedding(3, 2, { maxNorm: 1, normType: Infinity });
    e.weight.data.set([3, -1, 0.5, 0.25, -4, 2]);
    e.forward([0, 1, 0]);
    const s = 1 / (3 + 1e-7);
    expect(Array.from(e.weight.data)).toEqual(Array.from(Float32Array.from([3 * s, -s, 0.5, 0.25, -4, 2])));
    expect(e.toString()).toBe('Embedding(3, 2, maxNorm=1, normType=Infinity)');
  });

  it('scaleGradByFreq divides each id gradient by its count in the batch', () => {
    const e = new nn.Embedding(3, 2, { scaleGradByFreq: true });
    sum(e.forward([2, 2, 2, 0])).backward();
    expect(Array.from(e.weight.grad!.data)).toEqual([1, 1, 0, 0, 1, 1]);
  });
});

describe('loss modules keep Tensor options as PyTorch buffers', () => {
  it('stateDict keys are PyTorch\'s and a non-Tensor weight fails at construction', () => {
    expect(Object.keys(new nn.CrossEntropyLoss({ weight: tensor([1, 2]) }).stateDict())).toEqual(['weight']);
    expect(Object.keys(new nn.NLLLoss().stateDict())).toEqual([]);
    expect(Object.keys(new nn.BCEWithLogitsLoss({ posWeight: tensor([2]) }).stateDict())).toEqual(['pos_weight']);
    expectArgError(() => new nn.CrossEntropyLoss({ weight: [1, 2] as never }), TypeError, 'CrossEntropyLoss: options.weight must be a Tensor, but received an Array of length 2');
    expectArgError(() => new nn.BCEWithLogitsLoss({ posWeight: 2 as never }), TypeError, 'BCEWithLogitsLoss: options.posWeight must be a Tensor, but received a number (2)');
  });

  it('KLDivLoss names every reduction it accepts', () => {
    expectArgError(() => new nn.KLDivLoss({ reduction: 'batch' as never }), RangeError,
      'KLDivLoss: options.reduction must be "none", "batchmean", "mean" or "sum", but received a string ("batch")');
    expect(new nn.KLDivLoss({ reduction: 'batchmean' }).forward(new Tensor(Float32Array.of(0, 0), [2, 1]), tensor([[1], [1]])).item()).toBe(0);
  });
});

describe('loss modules check their options at construction, naming the module', () => {
  it('delta, beta, ignoreIndex, margin, logTarget', () => {
    expectArgError(() => new nn.HuberLoss({ delta: 0 }), RangeError, 'HuberLoss: options.delta must be > 0, but received 0');
    expectArgError(() => new nn.HuberLoss({ delta: 'a' as never }), TypeError, 'HuberLoss: options.delta must be a number, but received a string ("a")');
    expectArgError(() => new nn.SmoothL1Loss({ beta: -0.5 }), RangeError, 'SmoothL1Loss: options.beta must be >= 0, but received -0.5');
    expectArgError(() => new nn.NLLLoss({ ignoreIndex: 0.5 }), RangeError, 'NLLLoss: options.ignoreIndex must be an integer in [-2147483648, 2147483647], but received 0.5');
    expectArgError(() => new nn.MarginRankingLoss({ margin: NaN }), RangeError, 'MarginRankingLoss: options.margin must be a finite number, but received NaN');
    expectArgError(() => new nn.KLDivLoss({ logTarget: 'yes' as never }), TypeError, 'KLDivLoss: options.logTarget must be a boolean, but received a string ("yes")');
    expect(new nn.SmoothL1Loss({ beta: 0 }).options.beta).toBe(0);
  });

  it('huberLoss and smoothL1Loss name themselves and the option before the kernel runs', () => {
    const x = tensor([1, 2]);
    expectArgError(() => nn.functional.huberLoss(x, x, { delta: -1 }), RangeError, 'huberLoss: options.delta must be > 0, but received -1');
    expectArgError(() => nn.functional.smoothL1Loss(x, x, { beta: -1 }), RangeError, 'smoothL1Loss: options.beta must be >= 0, but received -1');
  });
});

describe('BCELoss / BCEWithLogitsLoss weight', () => {
  it('must broadcast to the input', () => {
    const x = tensor([[0.2, 0.7, 0.4], [0.5, 0.1, 0.9]]);
    expectArgError(() => new nn.BCELoss({ weight: tensor([1, 2]) }).forward(x, x), RangeError,
      "binaryCrossEntropy: options.weight of shape [2] does not broadcast to the input's shape [2, 3]");
    expectArgError(() => new nn.BCEWithLogitsLoss({ weight: 1 as never }), TypeError, 'BCEWithLogitsLoss: options.weight must be a Tensor, but received a number (1)');
    expect(Object.keys(new nn.BCEWithLogitsLoss({ weight: tensor([1]), posWeight: tensor([2]) }).stateDict())).toEqual(['weight', 'pos_weight']);
  });
});

describe('TransformerEncoderLayer names itself for bad options', () => {
  it('nhead, dropout, layerNormEps', () => {
    expectArgError(() => new nn.TransformerEncoderLayer(4, 3), RangeError, 'TransformerEncoderLayer: dModel must be divisible by nhead, but received 4 and 3');
    expectArgError(() => new nn.TransformerEncoderLayer(4, 2, { dropout: 2 }), RangeError, 'TransformerEncoderLayer: options.dropout must be in [0, 1], but received 2');
    expectArgError(() => new nn.TransformerEncoderLayer(4, 2, { layerNormEps: -1 }), RangeError, 'TransformerEncoderLayer: options.layerNormEps must be >= 0, but received -1');
  });
});

describe('Hardtanh', () => {
  it('checks maxVal > minVal at construction, as PyTorch asserts it', () => {
    expectArgError(() => new nn.Hardtanh({ minVal: 2 }), RangeError, 'Hardtanh: options.maxVal must be greater than options.minVal, but received 2 and 1');
    expectArgError(() => new nn.Hardtanh({ minVal: 0.5, maxVal: 0.5 }), RangeError, 'Hardtanh: options.maxVal must be greater than options.minVal, but received 0.5 and 0.5');
    expect(new nn.Hardtanh({ maxVal: 2 }).forward(tensor([-3, 3])).toArray()).toEqual([-1, 2]);
  });
});
