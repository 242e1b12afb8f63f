// Shared by the metric tests: a tensor from numbers, one metric over one batch, and a
// small seeded generator for test data.
import { Tensor, train } from '../../src/index.js';

export const T = (values: number[], shape: number[]) => new Tensor(Float32Array.from(values), shape);

export function run(m: train.metrics.Metric, output: Tensor, target: Tensor): number {
  m.reset();
  m.update(output, target);
  return m.result();
}

/** A little generator for test data (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
