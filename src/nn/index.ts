/** nn: modules, parameters and initializers (PyTorch's torch.nn). */
export { Module } from './module.js';
export type { LoadStateDictOptions, LoadStateDictResult, ZeroGradOptions } from './module.js';
export { Parameter } from './parameter.js';
export { ModuleDict, ModuleList, Sequential } from './containers.js';
export { Linear } from './linear.js';
export { Embedding } from './embedding.js';
export type { EmbeddingOptions } from './embedding.js';
export type { LinearOptions } from './linear.js';
export { Flatten, Identity, Unflatten } from './shape-modules.js';
export type { FlattenOptions } from './shape-modules.js';
export * as init from './init.js';
export * as functional from './functional.js';
export * as utils from './utils.js';
