// Bad-input specs for the rnn bindings (native/binding/rnn_binding.cpp).
import type { BindingSpec } from './specs.js';

export const rnnSpecs: Record<string, BindingSpec> = {};
