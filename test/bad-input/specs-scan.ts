// Bad-input specs for the scan bindings (native/binding/scan_binding.cpp): arrays of
// [outer 2, size 5, inner 3] = 30 floats.
import { type BindingSpec, f32 } from './specs.js';

const N = 2 * 5 * 3;
const specs: Record<string, BindingSpec> = {};
for (const name of ['cumsumFwd', 'cumprodFwd', 'cumsumBwd']) {
  specs[name] = { op: name, valid: () => [f32(N), 2, 5, 3, f32(N)], kinds: ['f32', 'dim', 'dim', 'dim', 'f32'] };
}
specs.cumprodBwd = {
  op: 'cumprodBwd',
  valid: () => [f32(N), f32(N), f32(N), 2, 5, 3, f32(N)],
  kinds: ['f32', 'f32', 'f32', 'dim', 'dim', 'dim', 'f32'],
};

export const scanSpecs: Record<string, BindingSpec> = specs;
