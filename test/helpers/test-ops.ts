/** Tiny differentiable ops for testing the autograd engine itself. */
import { autograd, Tensor } from '../../src/index.js';

/** Sum of all elements, weighted by `weights` (ones by default): a scalar. */
export function weightedSum(x: Tensor, weights?: Float32Array): Tensor {
  let s = 0;
  for (let i = 0; i < x.size; i++) s += x.data[i]! * (weights ? weights[i]! : 1);
  const out = new Tensor(Float32Array.of(s), []);
  autograd.record('WeightedSumBackward', [x], [out], ([g]) => {
    const d = new Float32Array(x.size);
    for (let i = 0; i < d.length; i++) d[i] = g!.data[0]! * (weights ? weights[i]! : 1);
    return [new Tensor(d, x.shape)];
  });
  return out;
}

/** Elementwise a + b (same shape). */
export function add(a: Tensor, b: Tensor): Tensor {
  const out = new Tensor(a.data.map((v, i) => v + b.data[i]!), a.shape);
  autograd.record('AddBackward', [a, b], [out], ([g]) => [g, g]);
  return out;
}

/** Splits a 1-D tensor in two halves: a two-output node. */
export function halves(x: Tensor): [Tensor, Tensor] {
  const h = x.size / 2;
  const lo = new Tensor(x.data.slice(0, h), [h]);
  const hi = new Tensor(x.data.slice(h), [h]);
  autograd.record('SplitBackward', [x], [lo, hi], ([gl, gh]) => {
    const d = new Float32Array(x.size);
    if (gl) d.set(gl.data, 0);
    if (gh) d.set(gh.data, h);
    return [new Tensor(d, x.shape)];
  });
  return [lo, hi];
}

/** Mean squared error of out against y (same number of elements), as a scalar with its gradient. */
export function mseLoss(out: Tensor, y: Tensor): Tensor {
  const n = out.size;
  let s = 0;
  for (let i = 0; i < n; i++) s += (out.data[i]! - y.data[i]!) ** 2;
  const result = new Tensor(Float32Array.of(s / n), []);
  autograd.record('MseBackward', [out], [result], ([g]) => {
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) d[i] = (2 * (out.data[i]! - y.data[i]!) * g!.data[0]!) / n;
    return [new Tensor(d, out.shape)];
  });
  return result;
}
