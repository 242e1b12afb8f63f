// Bad-input specs for the norm bindings (native/binding/norm_binding.cpp).
import type { BindingSpec } from './specs.js';

export const normSpecs: Record<string, BindingSpec> = {};
