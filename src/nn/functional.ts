/** nn.functional: the stateless forms of the layers, each recorded for autograd. */
export { linear } from '../ops/linear.js';
export { bilinear } from '../ops/bilinear.js';
export {
  elu, gelu, hardsigmoid, hardswish, hardtanh, leakyRelu, logSoftmax, mish, relu, selu, sigmoid, silu, softmax, softplus, tanh,
} from './activation.js';
export {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, cosineEmbeddingLoss, crossEntropy, huberLoss, klDiv, l1Loss, marginRankingLoss, mseLoss,
  nllLoss, smoothL1Loss,
} from './loss.js';
export { dropout, dropout2d } from './dropout.js';
export { oneHot, pad } from './functional-extra.js';
export { batchNorm, groupNorm, layerNorm } from './normalization.js';
export type { BatchNormFunctionalOptions, GroupNormFunctionalOptions, LayerNormFunctionalOptions } from './normalization.js';
export { adaptiveAvgPool2d, avgPool1d, avgPool2d, conv1d, conv2d, convTranspose2d, maxPool1d, maxPool2d } from '../ops/conv.js';
export { celu, glu, logsigmoid, prelu, relu6, softmin, softsign, threshold } from './activation-extra.js';
export type { CELUOptions } from './activation-extra.js';
export { interpolate } from './upsample.js';
export type { InterpolateMode, InterpolateOptions } from './upsample.js';
export { pixelShuffle, pixelUnshuffle } from './pixel-shuffle.js';
