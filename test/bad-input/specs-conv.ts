// Bad-input specs for the conv bindings (native/binding/conv_binding.cpp).
import type { BindingSpec } from './specs.js';

export const convSpecs: Record<string, BindingSpec> = {};
