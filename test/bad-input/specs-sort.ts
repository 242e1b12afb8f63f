// Bad-input specs for the sort binding (native/binding/sort_binding.cpp): x [outer 2,
// size 5, inner 3], the first k = 4 of each column. k is a 'dim' (any value in [0, size]
// with matching outputs is valid; the binding refuses k > size).
import { type BindingSpec, f32 } from './specs.js';

export const sortSpecs: Record<string, BindingSpec> = {
  sortFwd: {
    op: 'sortFwd',
    valid: () => [f32(2 * 5 * 3), 2, 5, 3, 4, true, f32(2 * 4 * 3), new Int32Array(2 * 4 * 3)],
    kinds: ['f32', 'dim', 'dim', 'dim', 'dim', 'bool', 'f32', 'i32'],
  },
};
