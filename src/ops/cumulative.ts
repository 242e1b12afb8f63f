/**
 * cumsum and cumprod along a dimension with gradients, as PyTorch 1.13 on the CPU:
 * native kernels (native/core/scan.cpp) that accumulate in double, as PyTorch's
 * kernel does for float32, and round each running value to float. A 0-d tensor takes
 * dim 0 or -1 and comes back unchanged.
 *
 * Gradients: cumsum's is the reversed cumsum of the upstream gradient; cumprod's is
 * PyTorch 1.13's cumprod_backward, which handles zeros exactly (the elements before a
 * row's first zero get the reversed cumsum of out * grad divided by x; the first
 * zero gets the product of the others times the gradient it reaches, up to the second
 * zero; everything after it gets 0), so a zero, or several in a row, never divides.
 * These backward results are not themselves differentiable (no double backward).
 */
import { record } from '../autograd/engine.js';
import { floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';
import { expectTensor, Tensor } from '../tensor.js';
import { axisView } from './axis-view.js';

/** Cumulative sum of x along dim (negative counts from the end): out[..., i, ...] = sum of x[..., :i + 1, ...]. */
export function cumsum(x: Tensor, dim: number): Tensor {
  expectTensor('cumsum', 'input', x);
  const v = axisView('cumsum', x, dim);
  const out = floatsForOverwrite(x.size);
  native.cumsumFwd(x.data, v.outer, v.size, v.inner, out);
  const result = new Tensor(out, x.shape);
  record('CumsumBackward', [x], [result], ([g]) => {
    const gx = floatsForOverwrite(x.size);
    native.cumsumBwd(g!.data, v.outer, v.size, v.inner, gx);
    return [new Tensor(gx, x.shape)];
  });
  return result;
}

/** Cumulative product of x along dim (negative counts from the end): out[..., i, ...] = product of x[..., :i + 1, ...]. */
export function cumprod(x: Tensor, dim: number): Tensor {
  expectTensor('cumprod', 'input', x);
  const v = axisView('cumprod', x, dim);
  const out = floatsForOverwrite(x.size);
  native.cumprodFwd(x.data, v.outer, v.size, v.inner, out);
  const result = new Tensor(out, x.shape);
  record('CumprodBackward', [x], [result], ([g]) => {
    const gx = floatsForOverwrite(x.size);
    native.cumprodBwd(x.data, result.data, g!.data, v.outer, v.size, v.inner, gx);
    return [new Tensor(gx, x.shape)];
  }, [x, result]);
  return result;
}
