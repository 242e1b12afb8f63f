// Bad-input specs for the gather bindings (native/binding/gather_binding.cpp).
import { type BindingSpec, f32 } from './specs.js';

// skip is -1 (none) or an index in [0, size), and -1 being valid rules out the 'int'
// kind (which tries -1 as a wrong value): it is 'finite', so NaN, +-Infinity and
// non-numbers must fail; its range is tested in test/unit/gather.test.ts. The valid
// scatter call skips row 1, so an index of -1 is a wrong value there too.

// [outer 2, size 5, inner 4] source, rows 4, 0, 4 (a duplicate)
const rows = (): Int32Array => Int32Array.of(4, 0, 4);

export const gatherSpecs: Record<string, BindingSpec> = {
  gatherRows: {
    op: 'gatherRows',
    valid: () => [f32(2 * 5 * 4), 2, 5, 4, rows(), f32(2 * 3 * 4)],
    kinds: ['f32', 'dim', 'dim', 'dim', 'i32index', 'f32'],
  },
  scatterAddRows: {
    op: 'scatterAddRows',
    valid: () => [f32(2 * 3 * 4), 2, 5, 4, rows(), 1, f32(2 * 5 * 4)],
    kinds: ['f32', 'dim', 'dim', 'dim', 'i32index', 'finite', 'f32'],
  },
};
