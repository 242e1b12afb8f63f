// Bad-input specs for the loss bindings (native/binding/loss_binding.cpp).
import { type BindingSpec, f32 } from './specs.js';

// ignoreIndex is any integer (PyTorch's default is -100), so its spec kind is
// 'finite' (NaN, +-Infinity, non-numbers must fail); weight and posWeight may be
// empty (meaning none), so they are 'f32any'; their lengths are tested in
// test/unit/loss.test.ts.

const N = 6;
const probs = (n: number): Float32Array => new Float32Array(n).fill(0.25);
const classes = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i % 4);

export const lossSpecs: Record<string, BindingSpec> = {
  mseLoss: { op: 'mseLoss', valid: () => [f32(N), f32(N), f32(N), f32(N), 'none'], kinds: ['f32', 'f32', 'f32', 'f32', 'reduction'] },
  l1Loss: { op: 'l1Loss', valid: () => [f32(N), f32(N), f32(N), f32(N), 'none'], kinds: ['f32', 'f32', 'f32', 'f32', 'reduction'] },
  bceLoss: { op: 'bceLoss', valid: () => [probs(N), f32(N), f32(N), f32(N), 'none'], kinds: ['f32', 'f32', 'f32', 'f32', 'reduction'] },
  huberLoss: {
    op: 'huberLoss',
    valid: () => [f32(N), f32(N), f32(N), f32(N), 'none', 1],
    kinds: ['f32', 'f32', 'f32', 'f32', 'reduction', 'finite'],
  },
  smoothL1Loss: {
    op: 'smoothL1Loss',
    valid: () => [f32(N), f32(N), f32(N), f32(N), 'none', 1],
    kinds: ['f32', 'f32', 'f32', 'f32', 'reduction', 'finite'],
  },
  klDivLoss: {
    op: 'klDivLoss',
    valid: () => [f32(N), f32(N), f32(N), f32(N), 'none', false],
    kinds: ['f32', 'f32', 'f32', 'f32', 'reduction', 'bool'],
  },
  bceWithLogitsLoss: {
    op: 'bceWithLogitsLoss',
    valid: () => [f32(N), f32(N), f32(3), f32(N), f32(N), 'none', 3],
    kinds: ['f32', 'f32', 'f32any', 'f32', 'f32', 'reduction', 'dim'],
  },
  crossEntropyLoss: {
    op: 'crossEntropyLoss',
    valid: () => [f32(12), 3, 4, classes(3), f32(4), -100, 0.1, f32(12), f32(3), 'none'],
    kinds: ['f32', 'dim', 'dim', 'index', 'f32any', 'finite', 'finite', 'f32', 'f32', 'reduction'],
  },
  nllLoss: {
    op: 'nllLoss',
    valid: () => [f32(12), 3, 4, classes(3), f32(4), -100, f32(12), f32(3), 'none'],
    kinds: ['f32', 'dim', 'dim', 'index', 'f32any', 'finite', 'f32', 'f32', 'reduction'],
  },
};
