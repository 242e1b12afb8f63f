// cumsum and cumprod: values on hand-made inputs and the argument errors (op, argument,
// what was expected, what came).
import { describe, expect, it } from 'vitest';

import { ErrorCode, sum, tensor } from '../../src/index.js';
import { cumprod, cumsum } from '../../src/ops/cumulative.js';

function thrown(f: () => unknown): { name: string; code: string; message: string } {
  try {
    f();
  } catch (e) {
    const err = e as Error & { code: string };
    return { name: err.name, code: err.code, message: err.message };
  }
  throw new Error('did not throw');
}

describe('cumsum and cumprod', () => {
  it('scan along a dim, negative dims and 0-d tensors as PyTorch', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(cumsum(x, 1).toArray()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(cumsum(x, -2).toArray()).toEqual([[1, 2, 3], [5, 7, 9]]);
    expect(cumprod(x, -1).toArray()).toEqual([[1, 2, 6], [4, 20, 120]]);
    const s = tensor(2.5);
    expect(cumsum(s, 0).shape).toEqual([]);
    expect(cumprod(s, -1).data[0]).toBe(2.5);
  });

  it("cumprod's gradient handles zeros exactly (no division by them)", () => {
    const x = tensor([2, 0, 3, 4]).requiresGrad_();
    sum(cumprod(x, 0)).backward();
    // d/dx0 = 1 + 0 + ...; the zero gets 2 * (1 + 3 + 12) = 32; after it 0.
    expect(Array.from(x.grad!.data)).toEqual([1, 32, 0, 0]);
    const y = tensor([2, 0, 0, 3]).requiresGrad_();
    sum(cumprod(y, 0)).backward();
    expect(Array.from(y.grad!.data)).toEqual([1, 2, 0, 0]);
  });

  it('errors name the op, the argument, what was expected and what came', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(thrown(() => cumsum(x, 2))).toEqual({
      name: 'RangeError',
      code: ErrorCode.InvalidValue,
      message: 'cumsum: dim must be an integer in [-2, 1], but received 2',
    });
    expect(thrown(() => cumprod(tensor(1), 1)).message).toBe('cumprod: dim must be an integer in [-1, 0], but received 1');
    expect(thrown(() => cumprod(x, 0.5)).message).toBe('cumprod: dim must be an integer in [-2, 1], but received 0.5');
    expect(thrown(() => cumsum(x, undefined as unknown as number))).toMatchObject({
      name: 'TypeError',
      code: ErrorCode.InvalidType,
      message: 'cumsum: dim must be an integer, but received undefined',
    });
    expect(thrown(() => cumsum([1, 2] as unknown as never, 0)).message).toMatch(/^cumsum: input must be a Tensor, but received/);
  });
});
