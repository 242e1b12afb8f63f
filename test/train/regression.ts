// A small regression problem for the training-loop tests.
import { Tensor, manualSeed, randn } from '../../src/index.js';

/** y = 3 x0 - 2 x1 + 0.5 with a little noise, n samples of 2 features. */
export function regression(n: number, seed: number): { x: Tensor; y: Tensor } {
  manualSeed(seed);
  const x = randn(n, 2);
  const noise = randn(n);
  const y = new Tensor(Float32Array.from({ length: n }, (_, i) => 3 * x.data[2 * i]! - 2 * x.data[2 * i + 1]! + 0.5 + 0.01 * noise.data[i]!), [n, 1]);
  return { x, y };
}
