// Library in-place ops on a tensor a recorded op saved for backward make backward
// throw, as PyTorch's version counter does ("one of the variables needed for gradient
// computation has been modified by an inplace operation"), instead of computing the
// gradient from the new values.
import { describe, expect, it } from 'vitest';

import { ErrorCode, add, bmm, matmul, mul, ops, sum, tensor } from '../../src/index.js';

const { fill, copy, axpy } = ops.reduce;

function stateCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    expect((err as Error).message).toMatch(/^backward: a tensor of shape \[\d+(, \d+)*\] that \w+ saved for the gradient was modified in place afterwards/);
    return (err as { code?: string }).code;
  }
  return 'did not throw';
}

describe('in-place changes to saved tensors', () => {
  it('mul: changing the operand that the other gradient reads throws', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const x = tensor([3, 4]);
    const y = sum(mul(w, x));
    fill(x, 100); // PyTorch: x.fill_(100) then y.backward() raises
    expect(stateCode(() => y.backward())).toBe(ErrorCode.State);
    expect(w.grad).toBeNull();
  });

  it('nothing is refused that PyTorch accepts', () => {
    // w's own value is not read by mul's gradient for w (only x's), nor by add's.
    const w = tensor([1, 2]).requiresGrad_();
    const x = tensor([3, 4]);
    const y = add(sum(mul(w, x)), sum(add(w, x)));
    fill(w, 7);
    y.backward();
    expect(Array.from(w.grad!.data)).toEqual([4, 5]);
  });

  it('a view shares the counter (reshape), and copy/axpy count too', () => {
    const w = tensor([[1, 2]]).requiresGrad_();
    const x = tensor([3, 4]);
    const y = sum(matmul(w, x.reshape(2, 1)));
    copy(tensor([5, 6]), x);
    expect(stateCode(() => y.backward())).toBe(ErrorCode.State);

    const a = tensor([[[1, 2]]]);
    const b = tensor([[[1], [1]]]).requiresGrad_();
    const z = sum(bmm(a, b));
    axpy(1, a, a);
    expect(stateCode(() => z.backward())).toBe(ErrorCode.State);
  });

  it('between two backward calls of a retained graph', () => {
    const w = tensor([2]).requiresGrad_();
    const x = tensor([3]);
    const y = sum(mul(w, x));
    y.backward(null, { retainGraph: true });
    expect(w.grad!.item()).toBe(3);
    fill(x, 10);
    expect(stateCode(() => y.backward())).toBe(ErrorCode.State);
    expect(w.grad!.item()).toBe(3);
    expect(x._version).toBe(1);
  });
});
