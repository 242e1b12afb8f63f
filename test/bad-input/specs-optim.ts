// Bad-input specs for the optim bindings (native/binding/optim_binding.cpp). Valid calls
// switch every optional state buffer on (momentum, amsgrad, centered), so a short or
// empty buffer is an error in each position.
import { type BindingSpec, f32 } from './specs.js';

const N = 9;
const b = (): Float32Array => f32(N);

export const optimSpecs: Record<string, BindingSpec> = {
  sgdStep: {
    op: 'sgdStep',
    valid: () => [b(), b(), b(), 0.1, 0.9, 0, 0.01, true, false, false],
    kinds: ['f32any', 'f32', 'f32', 'finite', 'finite', 'finite', 'finite', 'bool', 'bool', 'bool'],
  },
  adamStep: {
    op: 'adamStep',
    valid: () => [b(), b(), b(), b(), b(), 1, 1e-3, 0.9, 0.999, 1e-8, 0.01, true, false, false],
    kinds: ['f32any', 'f32', 'f32', 'f32', 'f32', 'int', 'finite', 'finite', 'finite', 'finite', 'finite', 'bool', 'bool', 'bool'],
  },
  rmspropStep: {
    op: 'rmspropStep',
    valid: () => [b(), b(), b(), b(), b(), 1e-2, 0.99, 1e-8, 0, 0.5, true, false],
    kinds: ['f32any', 'f32', 'f32', 'f32', 'f32', 'finite', 'finite', 'finite', 'finite', 'finite', 'bool', 'bool'],
  },
  adagradStep: {
    op: 'adagradStep',
    valid: () => [b(), b(), b(), 1, 1e-2, 0, 1e-10, 0, false],
    kinds: ['f32any', 'f32', 'f32', 'int', 'finite', 'finite', 'finite', 'finite', 'bool'],
  },
  adamaxStep: {
    op: 'adamaxStep',
    valid: () => [b(), b(), b(), b(), 1, 2e-3, 0.9, 0.999, 1e-8, 0, false],
    kinds: ['f32any', 'f32', 'f32', 'f32', 'int', 'finite', 'finite', 'finite', 'finite', 'finite', 'bool'],
  },
  nadamStep: {
    op: 'nadamStep',
    valid: () => [b(), b(), b(), b(), 1, 1, 2e-3, 0.9, 0.999, 1e-8, 0, 4e-3],
    kinds: ['f32any', 'f32', 'f32', 'f32', 'int', 'finite', 'finite', 'finite', 'finite', 'finite', 'finite', 'finite'],
  },
  radamStep: {
    op: 'radamStep',
    valid: () => [b(), b(), b(), b(), 1, 1e-3, 0.9, 0.999, 1e-8, 0],
    kinds: ['f32any', 'f32', 'f32', 'f32', 'int', 'finite', 'finite', 'finite', 'finite', 'finite'],
  },
  clipGradNorm: {
    op: 'clipGradNorm',
    // grads is an Array of Float32Array: every wrong value of an f32any (not an Array, or an
    // Array of numbers) is rejected the same way.
    valid: () => [[f32(5), f32(3)], 1, 2, false, false],
    kinds: ['f32any', 'finite', 'finite', 'bool', 'bool'],
  },
  clipGradValue: { op: 'clipGradValue', valid: () => [b(), 0.5], kinds: ['f32any', 'finite'] },
  dropoutForward: {
    op: 'dropoutForward',
    valid: () => [b(), b(), b(), 0.5, 1, 0],
    kinds: ['f32any', 'f32', 'f32', 'finite', 'int', 'int'],
  },
  dropoutBackward: { op: 'dropoutBackward', valid: () => [b(), b(), b()], kinds: ['f32any', 'f32', 'f32'] },
  dropout2dForward: {
    op: 'dropout2dForward',
    valid: () => [2, 3, 4, f32(24), f32(24), f32(6), 0.5, 1, 4],
    kinds: ['dim', 'dim', 'dim', 'f32', 'f32', 'f32', 'finite', 'int', 'int'],
  },
  dropout2dBackward: {
    op: 'dropout2dBackward',
    valid: () => [2, 3, 4, f32(24), f32(6), f32(24)],
    kinds: ['dim', 'dim', 'dim', 'f32', 'f32', 'f32'],
  },
};
