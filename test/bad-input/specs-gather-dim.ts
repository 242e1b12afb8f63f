// Bad-input specs for the gather/scatter-add-along-a-dim bindings
// (native/binding/gather_dim_binding.cpp): data [outer 2, size 5, inner 3], index and
// its partner [outer 2, n 4, inner 3] with indices in [0, 5) (4 repeats: duplicates).
import { type BindingSpec, f32 } from './specs.js';

const index = (): Int32Array => Int32Array.from({ length: 2 * 4 * 3 }, (_, i) => (i * 7) % 5);

export const gatherDimSpecs: Record<string, BindingSpec> = {
  gatherDim: {
    op: 'gatherDim',
    valid: () => [f32(2 * 5 * 3), 2, 5, 3, 4, index(), f32(2 * 4 * 3)],
    kinds: ['f32', 'dim', 'dim', 'dim', 'dim', 'i32index', 'f32'],
  },
  scatterAddDim: {
    op: 'scatterAddDim',
    valid: () => [f32(2 * 4 * 3), 2, 5, 3, 4, index(), f32(2 * 5 * 3)],
    kinds: ['f32', 'dim', 'dim', 'dim', 'dim', 'i32index', 'f32'],
  },
};
