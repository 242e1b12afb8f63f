// Bad-input specs for the activation bindings (native/binding/activation_binding.cpp).
import { type ArgKind, type BindingSpec, f32 } from './specs.js';

const N = 7;
// [name, number of params, a valid value for each]
const pointOps: [string, number[]][] = [
  ['relu', []],
  ['leakyRelu', [0.01]],
  ['elu', [1]],
  ['selu', []],
  ['gelu', []],
  ['geluTanh', []],
  ['silu', []],
  ['mish', []],
  ['sigmoid', []],
  ['tanh', []],
  ['softplus', [1, 20]],
  ['hardtanh', [-1, 1]],
  ['hardsigmoid', []],
  ['hardswish', []],
  ['identity', []],
];

const specs: Record<string, BindingSpec> = {};
for (const [name, params] of pointOps) {
  const finite = params.map((): ArgKind => 'finite');
  specs[`${name}Fwd`] = { op: `${name}Fwd`, valid: () => [f32(N), f32(N), ...params], kinds: ['f32', 'f32', ...finite] };
  specs[`${name}Bwd`] = {
    op: `${name}Bwd`,
    valid: () => [f32(N), f32(N), f32(N), ...params],
    kinds: ['f32', 'f32', 'f32', ...finite],
  };
}
for (const name of ['softmax', 'logSoftmax']) {
  specs[`${name}Fwd`] = { op: `${name}Fwd`, valid: () => [f32(12), f32(12), 3, 4], kinds: ['f32', 'f32', 'dim', 'dim'] };
  specs[`${name}Bwd`] = {
    op: `${name}Bwd`,
    valid: () => [f32(12), f32(12), f32(12), 3, 4],
    kinds: ['f32', 'f32', 'f32', 'dim', 'dim'],
  };
}

export const activationSpecs: Record<string, BindingSpec> = specs;
