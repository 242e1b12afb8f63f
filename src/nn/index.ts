/** nn: modules, parameters and initializers (PyTorch's torch.nn). */
export { Module } from './module.js';
export type { LoadStateDictOptions, LoadStateDictResult, ZeroGradOptions } from './module.js';
export { Parameter } from './parameter.js';
export { ModuleDict, ModuleList, Sequential } from './containers.js';
export { Linear } from './linear.js';
export type { LinearOptions } from './linear.js';
export { Embedding } from './embedding.js';
export type { EmbeddingOptions } from './embedding.js';
export { Flatten, Identity, Unflatten } from './shape-modules.js';
export type { FlattenOptions } from './shape-modules.js';
export {
  ELU, GELU, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSoftmax, Mish, ReLU, SELU, SiLU, Sigmoid, Softmax, Softplus, Tanh,
} from './activation.js';
export type { ELUOptions, GELUOptions, HardtanhOptions, LeakyReLUOptions, SoftmaxOptions, SoftplusOptions } from './activation.js';
export {
  BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MarginRankingLoss, MSELoss, NLLLoss, SmoothL1Loss,
} from './loss.js';
export type {
  BCEWithLogitsLossOptions, CosineEmbeddingLossOptions, CrossEntropyLossOptions, HuberLossOptions, KLDivLossOptions, MarginRankingLossOptions,
  NLLLossOptions, Reduction, ReductionOptions, SmoothL1LossOptions,
} from './loss.js';
export { Dropout, Dropout2d } from './dropout.js';
export type { DropoutOptions } from './dropout.js';
export * as init from './init.js';
export * as functional from './functional.js';
export * as utils from './utils.js';
export { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm } from './normalization.js';
export type { BatchNormOptions, GroupNormOptions, LayerNormOptions } from './normalization.js';
export { Conv1d, Conv2d, ConvTranspose2d } from './conv.js';
export type { Conv1dOptions, Conv2dOptions, ConvNdOptions, ConvTranspose2dOptions } from './conv.js';
export { AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d } from './pooling.js';
export type { AvgPool1dOptions, AvgPool2dOptions, MaxPool1dOptions, MaxPool2dOptions } from './pooling.js';
export { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, RNNCellBase } from './rnn.js';
export type { GRUOptions, LSTMOptions, RNNBaseOptions, RNNCellBaseOptions, RNNCellOptions, RNNOptions } from './rnn.js';
export { MultiheadAttention } from './attention.js';
export type { AttentionMask, MultiheadAttentionForwardOptions, MultiheadAttentionOptions } from './attention.js';
export { TransformerEncoderLayer } from './transformer.js';
export type { TransformerEncoderLayerForwardOptions, TransformerEncoderLayerOptions } from './transformer.js';
