// The engine against torch.autograd.backward's contract: a failed call leaves .grad as
// it was, and backward functions run with grad mode off (no create_graph).
import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, autograd, enableGrad, mul, noGrad, sum, tensor } from '../../src/index.js';

describe('autograd.backward', () => {
  it('checks every root and seed before any gradient reaches a .grad', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const y = mul(w, 2);
    // PyTorch checks the gradient shapes before running anything; w.grad stays None.
    expect(() => autograd.backward([w, y], [tensor([1, 1]), tensor([1, 1, 1])])).toThrow(
      'backward: grads[1] has shape [3] but tensors[1] has shape [2]',
    );
    expect(w.grad).toBeNull();
    expect(() => autograd.backward([w, y], [tensor([1, 1]), 5 as never])).toThrow(
      'backward: grads[1] must be a Tensor or null, but received a number (5)',
    );
    expect(w.grad).toBeNull();
    expect(() => autograd.backward([w, 'y' as never], [tensor([1, 1])])).toThrow('backward: tensors[1] must be a Tensor, but received a string ("y")');
    expect(w.grad).toBeNull();
  });

  it('refuses a freed graph before accumulating anything', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const loss = sum(mul(w, 3));
    loss.backward();
    expect(Array.from(w.grad!.data)).toEqual([3, 3]);
    try {
      autograd.backward([w, loss], [tensor([10, 10]), null]);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/backward: trying to backward through the graph a second time/);
      expect((err as { code: string }).code).toBe(ErrorCode.State);
    }
    expect(Array.from(w.grad!.data)).toEqual([3, 3]);
  });

  it('runs backward functions with grad mode off and restores the mode, even when one throws', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const modes: boolean[] = [];
    let built: Tensor | null = null;
    const probe = (fail: boolean): Tensor => {
      const y = mul(w, 3);
      const z = new Tensor(y.data.slice(), y.shape);
      autograd.record('ProbeBackward', [y], [z], ([g]) => {
        modes.push(autograd.isGradEnabled());
        built = mul(g!, w); // an op inside a backward records nothing (w requires grad)
        if (fail) throw new Error('probe failed');
        return [g!];
      });
      return z;
    };
    sum(probe(false)).backward();
    expect(modes).toEqual([false]);
    expect(built!.gradFn).toBeNull();
    expect(autograd.isGradEnabled()).toBe(true);
    expect(() => sum(probe(true)).backward()).toThrow('probe failed');
    expect(autograd.isGradEnabled()).toBe(true);
    noGrad(() => enableGrad(() => sum(probe(false)).backward()));
    expect(modes).toEqual([false, false, false]);
    expect(autograd.isGradEnabled()).toBe(true);
    noGrad(() => {
      enableGrad(() => sum(probe(false))).backward();
      expect(autograd.isGradEnabled()).toBe(false);
    });
  });

  it('noGrad / enableGrad nest and restore the mode when fn throws', () => {
    expect(() =>
      noGrad(() => {
        expect(enableGrad(() => autograd.isGradEnabled())).toBe(true);
        expect(autograd.isGradEnabled()).toBe(false);
        enableGrad(() => {
          throw new Error('inner');
        });
      }),
    ).toThrow('inner');
    expect(autograd.isGradEnabled()).toBe(true);
  });
});

describe('backward options', () => {
  it('refuses unknown keys and non-boolean retainGraph instead of ignoring them', () => {
    const w = tensor([1]).requiresGrad_();
    // PyTorch's retain_graph spelling (or createGraph, not supported) must not silently mean false.
    expect(() => sum(mul(w, 2)).backward(null, { retain_graph: true } as never)).toThrow(
      'backward: unknown option "retain_graph" (known options: retainGraph)',
    );
    expect(() => sum(mul(w, 2)).backward(null, { retainGraph: 1 } as never)).toThrow(
      'backward: options.retainGraph must be a boolean, but received a number (1)',
    );
    expect(() => sum(mul(w, 2)).backward(null, null as never)).toThrow(TypeError);
    expect(w.grad).toBeNull();
    sum(mul(w, 2)).backward(null, { retainGraph: false });
    expect(w.grad!.item()).toBe(2);
  });
});
