/**
 * Finite-difference gradient checks: central differences of a scalar function of
 * tensors, computed in float64 from float32 evaluations, against the analytic
 * gradients autograd accumulates.
 */
import { Tensor } from '../../src/index.js';

export interface GradcheckOptions {
  /** Step for central differences (default 1e-2: float32 forward passes). */
  eps?: number;
  /** Tolerances: |analytic - numeric| <= atol + rtol * |numeric|. */
  atol?: number;
  rtol?: number;
}

/**
 * `f` must build a one-element tensor from `inputs` (which have requiresGrad set).
 * Returns the worst scaled error over every element of every input (<= 1 passes).
 */
export function gradcheck(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): number {
  const eps = options.eps ?? 1e-2;
  const atol = options.atol ?? 2e-3;
  const rtol = options.rtol ?? 2e-2;
  for (const t of inputs) t.grad = null;
  f(...inputs).backward();
  let worst = 0;
  for (const t of inputs) {
    if (!t.requiresGrad) continue;
    const analytic = t.grad ? t.grad.data.slice() : new Float32Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const orig = t.data[i]!;
      t.data[i] = orig + eps;
      const up = f(...inputs).item();
      t.data[i] = orig - eps;
      const down = f(...inputs).item();
      t.data[i] = orig;
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(analytic[i]! - numeric) / (atol + rtol * Math.abs(numeric));
      if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
    }
  }
  return worst;
}
