/**
 * The one typed seam to the native addon. Every export of native/binding is
 * declared here with its exact signature; the rest of src/ imports `native`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AxonalError, ErrorCode } from './errors.js';

export type IsaName = 'scalar' | 'neon' | 'avx2' | 'avx512';

export interface NativeInfo {
  nativeVersion: string;
  isa: IsaName;
  isaAvailable: IsaName[];
  threads: number;
  hardwareThreads: number;
  simdWidthFloats: number;
}

// One interface per op family (one binding file each in native/binding/).

export interface BackendBinding {
  info(): NativeInfo;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  setIsa(isa: string): void;
  setErrorClass(cls: new (message: string, code: string) => Error): void;
}

export interface GemmBinding {
  /** C = alpha * op(A) op(B) + beta * C, row-major with leading dimensions. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
  /**
   * C = act(alpha * op(A) op(B) + beta * C + bias) with the epilogue fused into the
   * kernel: bias (n values, broadcast over rows) or null; activation 0 = none, 1 = relu.
   */
  sgemmEx(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
    bias: Float32Array | null,
    activation: number,
  ): void;
}

export interface RandomBinding {
  /** Fills `out` and returns the number of 32-bit counter words consumed. */
  fillUniform(out: Float32Array, seed: number, offset: number, low: number, high: number): number;
  fillNormal(out: Float32Array, seed: number, offset: number, mean: number, std: number): number;
}

/** Activations forward/backward, softmax, log-softmax (native/binding/activation_binding.cpp). */
export interface ActivationBinding {}

/** Fused loss value + gradient (native/binding/loss_binding.cpp). */
export interface LossBinding {}

/** Elementwise arithmetic, broadcasting, reductions (native/binding/reduce_binding.cpp). */
export interface ReduceBinding {}

/** Optimizer steps, gradient clipping, dropout masks (native/binding/optim_binding.cpp). */
export interface OptimBinding {}

export interface NativeBinding
  extends BackendBinding,
    GemmBinding,
    RandomBinding,
    ActivationBinding,
    LossBinding,
    ReduceBinding,
    OptimBinding {}

/** The package root: src/ and dist/ both sit one level below it. */
export const packageRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function libcName(): string {
  if (platform() !== 'linux') return 'n/a';
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const glibc = report?.header?.glibcVersionRuntime;
  return glibc ? `glibc ${glibc}` : 'musl (no glibc detected)';
}

function cpuFlags(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => l.startsWith('flags') || l.startsWith('Features'));
    if (!line) return 'unknown';
    const wanted = ['avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'asimd'];
    const have = new Set(line.split(':')[1]?.trim().split(/\s+/));
    return wanted.filter((f) => have.has(f)).join(' ') || 'none of avx2/avx512/asimd';
  } catch {
    return 'unknown (no /proc/cpuinfo)';
  }
}

function loadFailure(cause: unknown): AxonalError {
  const tried = [
    join(packageRoot, 'build', 'Release', 'axonal.node'),
    join(packageRoot, 'build', 'Debug', 'axonal.node'),
    join(packageRoot, 'prebuilds', `${platform()}-${arch()}`),
  ];
  const lines = [
    'axonal: could not load the native addon.',
    `  tried: ${tried.map((p) => `${p}${existsSync(p) ? '' : ' (missing)'}`).join('\n         ')}`,
    `  platform: ${platform()}, arch: ${arch()}, libc: ${libcName()}, node: ${process.version} (N-API ${process.versions.napi})`,
    `  cpu features: ${cpuFlags()}`,
    `  cause: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
    '  fix: build it from source with `npm rebuild axonal` (needs python3, make and a C++17 compiler),',
    '       or install on a platform with a bundled prebuild (linux/darwin, x64/arm64).',
  ];
  return new AxonalError(lines.join('\n'), ErrorCode.Load, { cause });
}

function load(): NativeBinding {
  const localRequire = createRequire(import.meta.url);
  let binding: NativeBinding;
  try {
    const nodeGypBuild = localRequire('node-gyp-build') as (dir: string) => unknown;
    binding = nodeGypBuild(packageRoot) as NativeBinding;
  } catch (err) {
    // An AXONAL_ISA error comes from a loaded addon: pass its own sentence through.
    if ((err as { code?: string }).code === ErrorCode.Isa) {
      throw new AxonalError((err as Error).message, ErrorCode.Isa);
    }
    throw loadFailure(err);
  }
  binding.setErrorClass(AxonalError);
  return binding;
}

export const native: NativeBinding = load();
