// Bad-input specs for the comparison and selection bindings (native/binding/select_binding.cpp).
// Each input operand holds n elements (out's or grad's length) or 1; the valid calls use
// full-length operands of N = 7, so a short one (6) is neither n nor 1. The fuzzer's
// resizes reach the broadcast (length-1) operands.
import { type BindingSpec, f32 } from './specs.js';

const N = 7;
const specs: Record<string, BindingSpec> = {};
for (const name of ['compareEq', 'compareNe', 'compareLt', 'compareLe', 'compareGt', 'compareGe', 'maximumFwd', 'minimumFwd']) {
  specs[name] = { op: name, valid: () => [f32(N), f32(N), f32(N)], kinds: ['f32', 'f32', 'f32'] };
}
specs.whereSelect = { op: 'whereSelect', valid: () => [f32(N), f32(N), f32(N), f32(N)], kinds: ['f32', 'f32', 'f32', 'f32'] };
for (const name of ['maximumBwd', 'minimumBwd']) {
  specs[name] = { op: name, valid: () => [f32(N), f32(N), f32(N), f32(N), f32(N)], kinds: ['f32', 'f32', 'f32', 'f32', 'f32'] };
}

export const selectSpecs: Record<string, BindingSpec> = specs;
