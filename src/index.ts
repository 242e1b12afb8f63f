/** axonal: neural-network training for Node.js on native SIMD kernels. */
export * as backend from './backend.js';
export { AxonalError, ErrorCode } from './errors.js';
export type { ErrorCodeValue } from './errors.js';
export { Tensor, isTensor } from './tensor.js';
export type { NestedArray } from './tensor.js';
export { arange, eye, fromArrayLike, full, ones, onesLike, rand, randn, tensor, zeros, zerosLike } from './factories.js';
export type { NestedNumbers, RandomOptions } from './factories.js';
export { DEFAULT_SEED, Generator, defaultGenerator, initialSeed, manualSeed, seed } from './random.js';
export { matmul } from './ops/matmul.js';
export type { MatmulOptions } from './ops/matmul.js';
export * as autograd from './autograd/index.js';
export { enableGrad, isGradEnabled, noGrad } from './autograd/grad-mode.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as datasets from './data/datasets.js';
export * as io from './io/index.js';
export { cat, chunk, indexSelect, narrow, permute, split, stack, transpose } from './ops/shape-ops.js';
export * as train from './train/index.js';
export { evaluate, fit, predict } from './train/fit.js';
export {
  ACTIVATIONS,
  activation,
  activationBackward,
  activationSavesOutput,
  logSoftmax,
  logSoftmaxBackward,
  softmax,
  softmaxBackward,
} from './ops/activation.js';
export type { ActivationName, ActivationOptions } from './ops/activation.js';
export { bceLoss, bceWithLogitsLoss, crossEntropyLoss, huberLoss, klDivLoss, l1Loss, mseLoss, nllLoss, smoothL1Loss } from './ops/loss.js';
export type {
  BceWithLogitsLossOptions,
  ClassLossOptions,
  CrossEntropyLossOptions,
  HuberLossOptions,
  KlDivLossOptions,
  LossOptions,
  LossReduction,
  LossResult,
  SmoothL1LossOptions,
} from './ops/loss.js';
export { add, argmax, div, max, mean, mul, neg, sub, sum } from './ops/arith.js';
export type { ReductionDimOptions } from './ops/arith.js';
