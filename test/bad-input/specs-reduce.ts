// Bad-input specs for the reduce bindings (native/binding/reduce_binding.cpp).
import type { BindingSpec } from './specs.js';

export const reduceSpecs: Record<string, BindingSpec> = {};
