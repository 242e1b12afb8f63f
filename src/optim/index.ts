/** optim: optimizers and learning-rate schedulers (PyTorch's torch.optim). */
export { Optimizer } from './optimizer.js';
export type { GroupHyper, OptimizerParams, OptimizerStateDict, ParamGroup, ParamGroupInput, ParamState } from './optimizer.js';
export * as lrScheduler from './lr-scheduler.js';
