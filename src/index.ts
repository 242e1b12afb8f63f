/** axonal: neural-network training for Node.js on native SIMD kernels. */
export * as backend from './backend.js';
export { AxonalError, ErrorCode } from './errors.js';
export type { ErrorCodeValue } from './errors.js';
export { Tensor, isTensor } from './tensor.js';
export type { NestedArray } from './tensor.js';
export { arange, eye, fromArrayLike, full, ones, onesLike, rand, randn, tensor, zeros, zerosLike } from './factories.js';
export type { NestedNumbers, RandomOptions } from './factories.js';
export { DEFAULT_SEED, Generator, defaultGenerator, initialSeed, manualSeed, seed } from './random.js';
export { bmm, matmul } from './ops/matmul.js';
export * as linalg from './ops/linalg-namespace.js';
export type { GemmActivation, GemmOptions } from './ops/linalg.js';
export type { MatmulOptions } from './ops/matmul.js';
