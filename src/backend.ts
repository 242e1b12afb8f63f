/** What the native backend is running on, and its thread count. */
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { AxonalError, ErrorCode } from './errors.js';
import { type IsaName, native, packageRoot } from './native.js';
import { expectInteger } from './validate.js';

const version: string = (createRequire(import.meta.url)(join(packageRoot, 'package.json')) as { version: string }).version;

export interface BackendInfo {
  /** The package version. */
  version: string;
  /** The instruction set in use: the best the CPU has, or AXONAL_ISA. */
  isa: IsaName;
  /** Every instruction set this CPU and build can run, lowest first. */
  isaAvailable: IsaName[];
  /** Threads native kernels use (the caller's thread included). */
  threads: number;
  /** Floats per SIMD register of the ISA in use (16 for avx512, 8 for avx2, 4 for neon, 1 for scalar). */
  simdWidthFloats: number;
}

/** The backend's state: `{ version, isa, isaAvailable, threads, simdWidthFloats }`. */
export function info(): BackendInfo {
  const n = native.info();
  if (n.nativeVersion !== version) {
    throw new AxonalError(
      `backend.info: the native addon is version ${n.nativeVersion} but the package is ${version}; rebuild it with \`npm rebuild axonal\``,
      ErrorCode.Load,
    );
  }
  return { version, isa: n.isa, isaAvailable: n.isaAvailable, threads: n.threads, simdWidthFloats: n.simdWidthFloats };
}

/**
 * Sets the threads native kernels use, process-wide (every worker_thread shares
 * one pool). Results do not depend on it. Defaults to AXONAL_NUM_THREADS or the
 * CPUs this process may use (affinity mask and cgroup quota).
 */
export function setNumThreads(n: number): void {
  native.setNumThreads(expectInteger('backend.setNumThreads', 'n', n, 1, 256));
}

export function getNumThreads(): number {
  return native.getNumThreads();
}

/** CPUs this process may use (affinity mask capped by a cgroup CPU quota). */
export function hardwareThreads(): number {
  return native.info().hardwareThreads;
}

/**
 * Switches the kernels in use to a lower instruction set, as AXONAL_ISA does at
 * start-up. Meant for tests and benchmarks that compare ISAs in one process.
 */
export function setIsa(isa: IsaName): void {
  native.setIsa(isa);
}

export type { IsaName };
