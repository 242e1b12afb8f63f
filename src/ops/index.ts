/**
 * ops: direct calls of the native kernels over Tensors, without autograd (no graph
 * is recorded). For custom layers and advanced use; models use nn and the
 * top-level functions, which record gradients.
 */
export {
  ACTIVATIONS, activation, activationBackward, activationSavesOutput, logSoftmax, logSoftmaxBackward, softmax, softmaxBackward,
} from './activation.js';
export type { ActivationName, ActivationOptions } from './activation.js';
export { bceLoss, bceWithLogitsLoss, crossEntropyLoss, huberLoss, klDivLoss, l1Loss, mseLoss, nllLoss, smoothL1Loss } from './loss.js';
export type {
  BceWithLogitsLossOptions, ClassLossOptions, CrossEntropyLossOptions, HuberLossOptions, KlDivLossOptions, LossOptions, LossReduction, LossResult,
  SmoothL1LossOptions,
} from './loss.js';
export * as reduce from './reduce.js';
export * as optimStep from './optim-step.js';
export { dropout, dropoutBackward, dropoutChannels, dropoutChannelsBackward } from './dropout.js';
