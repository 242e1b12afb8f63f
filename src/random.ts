/**
 * Seeded random numbers. A Generator is a (seed, offset) pair over a counter-based
 * Philox stream computed in native code: the numbers depend only on the seed and
 * how many have been drawn, never on the thread count.
 */
import { rangeError } from './errors.js';
import { native } from './native.js';
import { expectFinite, expectInteger } from './validate.js';

/** PyTorch's default CPU seed, so an unseeded program is reproducible as there. */
export const DEFAULT_SEED = 67280421310721;

export class Generator {
  #seed: number = DEFAULT_SEED;
  #offset = 0;

  constructor(seed?: number) {
    if (seed !== undefined) this.manualSeed(seed);
  }

  /** Restarts the stream from `seed` (a non-negative safe integer). */
  manualSeed(seed: number): this {
    this.#seed = expectInteger('manualSeed', 'seed', seed, 0);
    this.#offset = 0;
    return this;
  }

  /** Seeds from the clock and Math.random; returns the seed. */
  seed(): number {
    const s = Math.floor(Math.random() * 2 ** 32) * 2 ** 20 + (Date.now() % 2 ** 20);
    this.manualSeed(s % Number.MAX_SAFE_INTEGER);
    return this.#seed;
  }

  initialSeed(): number {
    return this.#seed;
  }

  /** The stream position, for checkpoints. */
  getState(): { seed: number; offset: number } {
    return { seed: this.#seed, offset: this.#offset };
  }

  setState(state: { seed: number; offset: number }): void {
    const seed = expectInteger('Generator.setState', 'state.seed', state?.seed, 0);
    const offset = expectInteger('Generator.setState', 'state.offset', state?.offset, 0);
    if (offset % 4 !== 0) throw rangeError('Generator.setState', `state.offset must be a multiple of 4, but received ${offset}`);
    this.#seed = seed;
    this.#offset = offset;
  }

  /** Fills `out` with uniform values in [low, high). */
  fillUniform(out: Float32Array, low = 0, high = 1): Float32Array {
    expectFinite('uniform', 'low', low);
    expectFinite('uniform', 'high', high);
    if (!(low <= high)) throw rangeError('uniform', `low must be <= high, but received low ${low} and high ${high}`);
    this.#offset += native.fillUniform(out, this.#seed, this.#offset, low, high);
    return out;
  }

  /** Fills `out` with normal values of the given mean and standard deviation. */
  fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
    expectFinite('normal', 'mean', mean);
    expectFinite('normal', 'std', std);
    if (std < 0) throw rangeError('normal', `std must be >= 0, but received ${std}`);
    this.#offset += native.fillNormal(out, this.#seed, this.#offset, mean, std);
    return out;
  }

  /** An integer in [0, n): for shuffles and sampling. */
  randint(n: number): number {
    expectInteger('randint', 'n', n, 1, 2 ** 31);
    const u = this.fillUniform(new Float32Array(2));
    return Math.min(n - 1, Math.floor((u[0]! + u[1]! * 2 ** -24) * n));
  }

  /** A random permutation of 0..n-1 (Fisher-Yates with this generator's numbers). */
  randperm(n: number): Int32Array {
    expectInteger('randperm', 'n', n, 0, 2 ** 31 - 1);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    if (n < 2) return perm;
    // Two 24-bit uniforms per swap give 48 random bits: unbiased enough for any n < 2^31.
    const u = this.fillUniform(new Float32Array(2 * (n - 1)));
    for (let i = n - 1, d = 0; i > 0; i--, d += 2) {
      const unit = u[d]! + u[d + 1]! * 2 ** -24;
      const j = Math.min(i, Math.floor(unit * (i + 1)));
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    return perm;
  }
}

/** The generator every random factory, initializer and dropout mask uses by default. */
export const defaultGenerator = new Generator();

/** Seeds the default generator: the same seed gives the same numbers, whatever the thread count. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}

export function seed(): number {
  return defaultGenerator.seed();
}
