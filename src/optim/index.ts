/** optim: optimizers and learning-rate schedulers (PyTorch's torch.optim). */
export { Optimizer } from './optimizer.js';
export type { GroupHyper, OptimizerParams, OptimizerStateDict, ParamGroup, ParamGroupInput, ParamState } from './optimizer.js';
export { Adagrad, Adam, Adamax, AdamW, NAdam, RAdam, RMSprop, SGD } from './optimizers.js';
export type { AdagradOptions, AdamaxOptions, AdamOptions, NAdamOptions, RAdamOptions, RMSpropOptions, SGDOptions } from './optimizers.js';
export * as lrScheduler from './lr-scheduler.js';
