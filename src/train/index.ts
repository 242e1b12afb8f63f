/** train: fit / evaluate / predict, callbacks and metrics. */
export { evaluate, fit, predict } from './fit.js';
export { freeze } from './freeze.js';
export type { EvaluateOptions, FitOptions, History, LossFunction, TrainingData } from './fit.js';
export { CSVLogger, EarlyStopping, LRSchedulerCallback, ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN } from './callbacks/index.js';
export type { Callback, CSVLoggerOptions, EarlyStoppingOptions, Logs, LRSchedulerCallbackOptions, ModelCheckpointOptions, TrainingContext } from './callbacks/index.js';
export * as metrics from './metrics.js';
