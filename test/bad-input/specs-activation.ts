// Bad-input specs for the activation bindings (native/binding/activation_binding.cpp).
import { type ArgKind, type BindingSpec, f32 } from './specs.js';

const N = 7;
// [name, a valid value for each param, their kinds (default 'finite')]
const pointOps: [string, number[], ArgKind[]?][] = [
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
  ['exp', []],
  ['log', []],
  ['sqrt', []],
  ['abs', []],
  ['log1p', []],
  ['expm1', []],
  ['reciprocal', []],
  ['square', []],
  ['pow', [2.5]],
  ['clamp', [-1, Infinity], ['number', 'number']], // a missing bound is +-Infinity
  ['identity', []],
];

const specs: Record<string, BindingSpec> = {};
for (const [name, params, kinds] of pointOps) {
  const finite = kinds ?? params.map((): ArgKind => 'finite');
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
