import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, matmul, tensor } from '../../src/index.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError, refGemm, testData } from '../helpers/reference.js';

describe.each(isaLevels)('matmul on %s', (isa) => {
  it('matches a float64 reference for every transpose combination at awkward sizes', () => {
    withIsa(isa, () => {
      let seed = 1;
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const [m, n, k] of [[1, 1, 1], [1, 7, 3], [5, 1, 17], [13, 17, 19], [31, 2, 64], [64, 33, 7]] as const) {
            const a = new Tensor(testData(m * k, seed++), transA ? [k, m] : [m, k]);
            const b = new Tensor(testData(k * n, seed++), transB ? [n, k] : [k, n]);
            const c = matmul(a, b, { transA, transB });
            expect(c.shape).toEqual([m, n]);
            const ref = refGemm(transA, transB, m, n, k, a.data, transA ? m : k, b.data, transB ? k : n);
            // |a|,|b| < 1: the error stays under k * eps * k in absolute terms.
            expect(maxScaledError(c.data, ref, 0, (k + 2) * 2 ** -23)).toBeLessThanOrEqual(1);
          }
        }
      }
    });
  });
});

describe('matmul shapes', () => {
  it('treats 1-D operands as vectors like torch.matmul', () => {
    const a = tensor([[1, 2], [3, 4]]);
    expect(matmul(a, tensor([1, 1])).toArray()).toEqual([3, 7]);
    expect(matmul(tensor([1, 1]), a).toArray()).toEqual([4, 6]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).shape).toEqual([]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
  });

  it('handles empty dimensions', () => {
    expect(matmul(new Tensor(new Float32Array(0), [0, 3]), new Tensor(new Float32Array(6), [3, 2])).shape).toEqual([0, 2]);
    const k0 = matmul(new Tensor(new Float32Array(0), [2, 0]), new Tensor(new Float32Array(0), [0, 3]));
    expect(k0.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('names the mismatch', () => {
    const a = new Tensor(new Float32Array(10), [2, 5]);
    const b = new Tensor(new Float32Array(12), [3, 4]);
    expect(() => matmul(a, b)).toThrow('matmul: b has shape [3, 4] but a has 5 columns');
    expect(() => matmul(a, b, { transB: true })).toThrow('matmul: b has shape [3, 4] (transposed: [4, 3]) but a has 5 columns');
    try {
      matmul(a, b);
    } catch (err) {
      expect(err).toBeInstanceOf(RangeError);
      expect((err as { code: string }).code).toBe(ErrorCode.Shape);
    }
  });

  it('rejects non-tensors, 0-d operands and unknown options', () => {
    const a = tensor([[1]]);
    expect(() => matmul([[1]] as never, a)).toThrow('matmul: a must be a Tensor, but received an Array of length 1');
    expect(() => matmul(a, new Tensor(new Float32Array(8), [2, 2, 2]))).toThrow('matmul: b has shape [2, 2, 2] but a has 1 columns');
    expect(() => matmul(a, new Tensor(Float32Array.of(1), []))).toThrow('matmul: b must have at least 1 dimension, but has shape []');
    expect(() => matmul(a, a, { transposeA: true } as never)).toThrow(/unknown option "transposeA"/);
    expect(() => matmul(a, a, { transA: 1 } as never)).toThrow(TypeError);
    expect(() => matmul(tensor([1, 2]), a, { transA: true })).toThrow(/transA needs a with 2 or more dimensions/);
  });
});
