// Bad-input specs for the optim bindings (native/binding/optim_binding.cpp).
import type { BindingSpec } from './specs.js';

export const optimSpecs: Record<string, BindingSpec> = {};
