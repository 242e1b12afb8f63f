// Bad-input specs for the activation bindings (native/binding/activation_binding.cpp).
import type { BindingSpec } from './specs.js';

export const activationSpecs: Record<string, BindingSpec> = {};
