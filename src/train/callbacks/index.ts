/** Training callbacks: the hook interface fit calls, and Keras's stock callbacks, one file each. */
export { type Callback, dispatch, type Logs, type TrainingContext } from './callback.js';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { LRSchedulerCallback, type LRSchedulerCallbackOptions } from './lr-scheduler-callback.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
export { expectScheduler } from './scheduler-checks.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
