// The package as a user imports it: its own name, resolved through package.json exports.
export * from 'axonal';
import type { backend } from 'axonal';
export type BackendInfoLike = ReturnType<typeof backend.info>;
