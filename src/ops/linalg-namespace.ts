/** The `linalg` namespace of the public API (re-exports only). */
export { gemm } from './linalg.js';
