// Bad-input specs for the norm bindings (native/binding/norm_binding.cpp).
// Optional buffers (weight, bias, running statistics, backward outputs) may be empty
// (none), so their kind is 'f32any'; their lengths are tested in test/unit/norm.test.ts.
import { type BindingSpec, f32 } from './specs.js';

// x [n=2, c=3, s=5]; layer norm [rows=4, cols=6]; group norm [2, 4, 3] in 2 groups.
export const normSpecs: Record<string, BindingSpec> = {
  batchNormForward: {
    op: 'batchNormForward',
    valid: () => [f32(30), 2, 3, 5, f32(3), f32(3), f32(3), f32(3), true, 0.1, 1e-5, f32(30), f32(3), f32(3)],
    kinds: ['f32', 'dim', 'dim', 'dim', 'f32any', 'f32any', 'f32any', 'f32any', 'bool', 'finite', 'finite', 'f32', 'f32', 'f32'],
  },
  batchNormBackward: {
    op: 'batchNormBackward',
    valid: () => [f32(30), f32(30), 2, 3, 5, f32(3), f32(3), f32(3), true, f32(30), f32(3), f32(3)],
    kinds: ['f32', 'f32', 'dim', 'dim', 'dim', 'f32any', 'f32', 'f32', 'bool', 'f32any', 'f32any', 'f32any'],
  },
  layerNormForward: {
    op: 'layerNormForward',
    valid: () => [f32(24), 4, 6, f32(6), f32(6), 1e-5, f32(24), f32(4), f32(4)],
    kinds: ['f32', 'dim', 'dim', 'f32any', 'f32any', 'finite', 'f32', 'f32', 'f32'],
  },
  layerNormBackward: {
    op: 'layerNormBackward',
    valid: () => [f32(24), f32(24), 4, 6, f32(6), f32(4), f32(4), f32(24), f32(6), f32(6)],
    kinds: ['f32', 'f32', 'dim', 'dim', 'f32any', 'f32', 'f32', 'f32any', 'f32any', 'f32any'],
  },
  groupNormForward: {
    op: 'groupNormForward',
    valid: () => [f32(24), 2, 4, 3, 2, f32(4), f32(4), 1e-5, f32(24), f32(4), f32(4)],
    kinds: ['f32', 'dim', 'dim', 'dim', 'dim', 'f32any', 'f32any', 'finite', 'f32', 'f32', 'f32'],
  },
  groupNormBackward: {
    op: 'groupNormBackward',
    valid: () => [f32(24), f32(24), 2, 4, 3, 2, f32(4), f32(4), f32(4), f32(24), f32(4), f32(4)],
    kinds: ['f32', 'f32', 'dim', 'dim', 'dim', 'dim', 'f32any', 'f32', 'f32', 'f32any', 'f32any', 'f32any'],
  },
};
