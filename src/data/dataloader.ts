/**
 * DataLoader: batches of a dataset, optionally shuffled with a seeded generator,
 * as torch.utils.data.DataLoader. Iterate it with `for...of` (synchronous) or
 * `for await...of`, which yields to the event loop between batches.
 *
 * What overlaps with what: everything here runs on the caller's thread. While the
 * consumer holds a batch, the async iterator has the next one queued (setImmediate)
 * to be built the first time the consumer gives the event loop a turn. If the
 * consumer's step awaits real asynchronous work (I/O, a timer, a worker thread),
 * the next batch is built during that wait. A synchronous step, such as a training
 * step of fit() or any op of axonal's (native calls are synchronous; the kernels use
 * the thread pool but the calling thread waits for them), leaves no gap: the next
 * batch is built after the step, as without prefetching. There are no loader worker
 * processes as in PyTorch's num_workers.
 */
import { rangeError, typeError } from '../errors.js';
import { defaultGenerator, Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectInteger, readOptions } from '../validate.js';
import { collateSamples, type Sample } from './collate.js';
import type { Dataset } from './dataset.js';

export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle at the start of every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch if it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Generator for shuffling (default: the default generator). */
  generator?: Generator;
  /** Shorthand for `generator: new Generator(seed)`. */
  seed?: number;
  /**
   * Builds a batch from samples (default: stackSamples, which stacks each position
   * along a new first dimension: Tensors, typed arrays of one length, numbers).
   */
  collate?(samples: Sample[]): Tensor[];
}

/** The next batch, being built in a setImmediate; cancel() before it runs skips it. */
interface Prefetch {
  readonly promise: Promise<Tensor[]>;
  cancel(): void;
}

export class DataLoader implements Iterable<Tensor[]>, AsyncIterable<Tensor[]> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;
  readonly collate: ((samples: Sample[]) => Tensor[]) | null;

  constructor(dataset: Dataset, options?: DataLoaderOptions) {
    const op = 'DataLoader';
    if (typeof dataset !== 'object' || dataset === null || typeof dataset.length !== 'number' || typeof dataset.get !== 'function') {
      throw typeError(op, `dataset must have length and get(i), but received ${describe(dataset)}`);
    }
    const o = readOptions(op, options, ['batchSize', 'shuffle', 'dropLast', 'generator', 'seed', 'collate'] as const);
    this.dataset = dataset;
    this.batchSize = o.batchSize === undefined ? 1 : expectInteger(op, 'options.batchSize', o.batchSize, 1);
    this.shuffle = o.shuffle === undefined ? false : expectBoolean(op, 'options.shuffle', o.shuffle);
    this.dropLast = o.dropLast === undefined ? false : expectBoolean(op, 'options.dropLast', o.dropLast);
    if (o.generator !== undefined && o.seed !== undefined) throw rangeError(op, 'give options.generator or options.seed, not both');
    if (o.generator !== undefined && !(o.generator instanceof Generator)) {
      throw typeError(op, `options.generator must be a Generator, but received ${describe(o.generator)}`);
    }
    this.generator = (o.generator as Generator | undefined) ?? (o.seed !== undefined ? new Generator(expectInteger(op, 'options.seed', o.seed, 0)) : defaultGenerator);
    if (o.collate !== undefined && typeof o.collate !== 'function') throw typeError(op, `options.collate must be a function, but received ${describe(o.collate)}`);
    this.collate = (o.collate as DataLoader['collate'] | undefined) ?? null;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of one epoch (a new permutation per call when shuffling). */
  epochOrder(): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return this.generator.randperm(n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }

  /** Batch b of an epoch with the given order. */
  batch(order: Int32Array, b: number): Tensor[] {
    const indices = order.subarray(b * this.batchSize, Math.min(order.length, (b + 1) * this.batchSize));
    if (this.collate !== null) return this.collate(Array.from(indices, (i) => this.dataset.get(i)));
    if (this.dataset.getBatch) return this.dataset.getBatch(indices);
    return collateSamples(Array.from(indices, (i) => this.dataset.get(i)), indices);
  }

  /** Batch b, built at the next turn of the event loop. */
  #prefetch(order: Int32Array, b: number): Prefetch {
    let cancelled = false;
    let handle: ReturnType<typeof setImmediate> | undefined;
    const promise = new Promise<Tensor[]>((resolve, reject) => {
      handle = setImmediate(() => {
        if (cancelled) return;
        try {
          resolve(this.batch(order, b));
        } catch (err) {
          reject(err);
        }
      });
    });
    // A consumer that stops early never awaits this: its failure must not become an
    // unhandled rejection. One that goes on awaits `promise` and sees the error.
    promise.catch(() => {});
    return {
      promise,
      cancel: () => {
        cancelled = true;
        clearImmediate(handle);
      },
    };
  }

  *[Symbol.iterator](): Iterator<Tensor[]> {
    const order = this.epochOrder();
    const count = this.length;
    for (let b = 0; b < count; b++) yield this.batch(order, b);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Tensor[]> {
    const order = this.epochOrder();
    const count = this.length;
    let next: Tensor[] | null = count > 0 ? this.batch(order, 0) : null;
    let pending: Prefetch | null = null;
    try {
      for (let b = 0; b < count; b++) {
        const current = next!;
        pending = b + 1 < count ? this.#prefetch(order, b + 1) : null;
        yield current;
        next = pending ? await pending.promise : null;
        pending = null;
      }
    } finally {
      // The consumer broke out (or threw): the batch it will never take is not built.
      pending?.cancel();
    }
  }
}
