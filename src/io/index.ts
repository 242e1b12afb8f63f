/** io: safetensors persistence with atomic writes. */
export { deserialize, load, loadSync, loadWithMetadata, loadWithMetadataSync, save, saveSync, serialize } from './safetensors.js';
export type { Metadata, SafetensorsContents, TensorMap } from './safetensors.js';
export { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
export { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
export type { CheckpointParts, LoadedCheckpoint } from './checkpoint.js';
export { buildModel, loadModel, modelConfig, saveModel } from './model.js';
export type { ModelConfig } from './model.js';
