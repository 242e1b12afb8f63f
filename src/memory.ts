/**
 * Buffer reuse for steady-state loops. Every training step makes the same
 * activations and gradients with the same sizes; allocating them afresh costs a
 * zeroing pass, page faults on memory the allocator just returned to the kernel
 * (tens of microseconds per megabyte on a virtual machine) and garbage-collector
 * work. Inside `pool.run(fn)` the tensors that ops, factories and backward passes
 * create draw their Float32Arrays from the pool, and when `fn` returns every one of
 * them that `fn` did not return goes back to it for the next run.
 *
 * The contract (as tf.tidy's): a tensor created inside run() must not be used after
 * run() returns unless it was returned (or copied out with clone(), which always
 * makes independent memory). Parameters, their .grad, optimizer state and module
 * buffers are never drawn from a pool.
 */
import { rangeError, typeError } from './errors.js';
import { describe } from './validate.js';

/** Counters of a BufferPool (cumulative since it was made or cleared). */
export interface BufferPoolStats {
  /** Float32Arrays the pool had to allocate because none of that length was free. */
  allocated: number;
  /** Requests served with a recycled buffer. */
  reused: number;
  /** Bytes held for reuse right now (free between runs). */
  pooledBytes: number;
}

export interface BufferPoolOptions {
  /**
   * Fill every recycled buffer handed to an op that promised to overwrite it with NaN
   * first, so an op that reads before writing shows up as NaN results (for tests of
   * ops; costs a pass over memory). Default false.
   */
  poison?: boolean;
}

/** Buffers currently handed out, per run depth, and the free lists by length. */
export class BufferPool {
  private readonly poison: boolean;
  private readonly free = new Map<number, Float32Array[]>();
  private readonly handed: Float32Array[][] = [];
  private allocatedCount = 0;
  private reusedCount = 0;
  private freeBytes = 0;

  constructor(options: BufferPoolOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw typeError('BufferPool', `options must be an object, but received ${describe(options)}`);
    }
    this.poison = options.poison === true;
  }

  /**
   * Runs `fn` synchronously with this pool active and recycles what it made, except
   * the tensors in its return value (a Tensor, or an array or plain object of them).
   */
  run<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw typeError('BufferPool.run', `fn must be a function, but received ${describe(fn)}`);
    this.handed.push([]);
    const outer = active;
    active = this;
    let result: T;
    try {
      result = fn();
    } catch (e) {
      active = outer;
      this.release(this.handed.pop()!, null);
      throw e;
    }
    active = outer;
    if (result instanceof Promise) {
      this.handed.pop();
      throw rangeError('BufferPool.run', 'fn must be synchronous (it returned a Promise); run each synchronous step inside its own run()');
    }
    this.release(this.handed.pop()!, result);
    return result;
  }

  /** Counters of allocations and reuses. */
  stats(): BufferPoolStats {
    return { allocated: this.allocatedCount, reused: this.reusedCount, pooledBytes: this.freeBytes };
  }

  /** Drops every free buffer (memory goes back to the garbage collector). */
  clear(): void {
    this.free.clear();
    this.freeBytes = 0;
  }

  /** @internal A zero-filled buffer of `n` floats, recycled when the innermost run ends. */
  take(n: number, zero: boolean): Float32Array {
    const list = this.free.get(n);
    let buf: Float32Array;
    if (list !== undefined && list.length > 0) {
      buf = list.pop()!;
      this.freeBytes -= n * 4;
      if (zero) buf.fill(0);
      else if (this.poison) buf.fill(Number.NaN);
      this.reusedCount++;
    } else {
      buf = new Float32Array(n);
      this.allocatedCount++;
    }
    this.handed[this.handed.length - 1]!.push(buf);
    return buf;
  }

  /** @internal Stops recycling the buffer over `buffer` in every open run. */
  keep(buffer: ArrayBufferLike): void {
    for (const list of this.handed) {
      const i = list.findIndex((b) => b.buffer === buffer);
      if (i >= 0) list.splice(i, 1);
    }
  }

  private release(bufs: Float32Array[], keep: unknown): void {
    const kept = new Set<ArrayBufferLike>();
    collectBuffers(keep, kept);
    // A buffer kept from an inner run belongs to the enclosing run from now on.
    const outer = this.handed.length > 0 ? this.handed[this.handed.length - 1]! : null;
    for (const b of bufs) {
      if (kept.has(b.buffer)) {
        outer?.push(b);
        continue;
      }
      let list = this.free.get(b.length);
      if (list === undefined) this.free.set(b.length, (list = []));
      list.push(b);
      this.freeBytes += b.length * 4;
    }
  }
}

/** The ArrayBuffers of the tensors in `value` (a tensor, or arrays / plain objects of them). */
function collectBuffers(value: unknown, out: Set<ArrayBufferLike>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 4) return;
  const data = (value as { data?: unknown }).data;
  if (data instanceof Float32Array) {
    out.add(data.buffer);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectBuffers(v, out, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectBuffers(v, out, depth + 1);
  }
}

let active: BufferPool | null = null;

/** n zero-filled floats: from the active pool inside BufferPool.run, else a new Float32Array. */
export function floats(n: number): Float32Array {
  return active === null ? new Float32Array(n) : active.take(n, true);
}

/**
 * n floats whose contents are unspecified: only for a caller that overwrites every
 * element (a native kernel writing its whole output) before anyone reads them.
 */
export function floatsForOverwrite(n: number): Float32Array {
  return active === null ? new Float32Array(n) : active.take(n, false);
}

/** A copy of `src`, drawn from the active pool when there is one. */
export function copyOf(src: Float32Array): Float32Array {
  if (active === null) return src.slice();
  const out = active.take(src.length, false);
  out.set(src);
  return out;
}

/**
 * Takes `data` out of the active pool's recycling for good: a parameter, a module
 * buffer or a .grad made inside run() must outlive it.
 */
export function keepBuffer(data: Float32Array): void {
  if (active !== null) active.keep(data.buffer);
}
