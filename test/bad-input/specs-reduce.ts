// Bad-input specs for the reduce bindings (native/binding/reduce_binding.cpp).
import { type BindingSpec, f32 } from './specs.js';

const i32 = (n: number): Int32Array => new Int32Array(n);

export const reduceSpecs: Record<string, BindingSpec> = {
  binaryOp: {
    op: 'binaryOp',
    // 3x4 views with padded strides, no broadcast
    valid: () => [2, 0, 3, 4, f32(2 * 5 + 4), 5, f32(2 * 6 + 4), 6, f32(2 * 4 + 4), 4],
    kinds: ['int', 'int', 'dim', 'dim', 'f32', 'dim', 'f32', 'dim', 'f32', 'dim'],
  },
  binaryBackward: {
    op: 'binaryBackward',
    valid: () => [3, 1, 3, 4, f32(12), f32(4), f32(12), f32(12), f32(4)],
    kinds: ['int', 'int', 'dim', 'dim', 'f32', 'f32', 'f32', 'f32', 'f32'],
  },
  scale: { op: 'scale', valid: () => [2, f32(7), f32(7)], kinds: ['finite', 'f32any', 'f32'] },
  axpy: { op: 'axpy', valid: () => [2, f32(7), f32(7)], kinds: ['finite', 'f32any', 'f32'] },
  fill: { op: 'fill', valid: () => [f32(7), 1.5], kinds: ['f32any', 'finite'] },
  copy: { op: 'copy', valid: () => [f32(7), f32(7)], kinds: ['f32any', 'f32'] },
  sum: { op: 'sum', valid: () => [f32(7)], kinds: ['f32any'] },
  sumSquares: { op: 'sumSquares', valid: () => [f32(7)], kinds: ['f32any'] },
  sumAxis: {
    op: 'sumAxis',
    valid: () => [2, 3, 4, f32(24), f32(8), false],
    kinds: ['dim', 'dim', 'dim', 'f32', 'f32', 'bool'],
  },
  sumAxisBackward: {
    op: 'sumAxisBackward',
    valid: () => [2, 3, 4, f32(8), f32(24), true],
    kinds: ['dim', 'dim', 'dim', 'f32', 'f32', 'bool'],
  },
  maxAxis: {
    op: 'maxAxis',
    valid: () => [2, 3, 4, f32(24), f32(8), i32(8)],
    kinds: ['dim', 'dim', 'dim', 'f32', 'f32', 'i32'],
  },
  maxAxisBackward: {
    op: 'maxAxisBackward',
    valid: () => [2, 3, 4, f32(8), i32(8), f32(24)],
    kinds: ['dim', 'dim', 'dim', 'f32', 'i32', 'f32'],
  },
};
