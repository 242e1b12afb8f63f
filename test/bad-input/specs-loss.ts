// Bad-input specs for the loss bindings (native/binding/loss_binding.cpp).
import type { BindingSpec } from './specs.js';

export const lossSpecs: Record<string, BindingSpec> = {};
