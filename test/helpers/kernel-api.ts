/** The public API plus the low-level kernel wrappers of `ops`, flattened for the kernel tests. */
export * from '../../src/index.js';
export * from '../../src/ops/activation.js';
export * from '../../src/ops/loss.js';
