import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { data, tensor } from '../../src/index.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A dataset that logs every get() and throws at `failAt`. */
function logged(length: number, log: string[], failAt = -1) {
  return {
    length,
    get(i: number) {
      log.push(`get ${i}`);
      if (i === failAt) throw new Error(`sample ${i} is unreadable`);
      return [tensor([i]), tensor(i)];
    },
  };
}

describe('DataLoader async iteration: prefetch', () => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', listener);
  });
  afterEach(() => {
    process.off('unhandledRejection', listener);
  });

  it('builds the next batch while an asynchronous step waits', async () => {
    const log: string[] = [];
    for await (const [, y] of new data.DataLoader(logged(6, log), { batchSize: 2 })) {
      log.push(`step ${y!.data[0]} begins`);
      await tick(2); // real asynchronous work: the event loop is free
      log.push(`step ${y!.data[0]} ends`);
    }
    expect(log).toEqual([
      'get 0', 'get 1', 'step 0 begins', 'get 2', 'get 3', 'step 0 ends',
      'step 2 begins', 'get 4', 'get 5', 'step 2 ends', 'step 4 begins', 'step 4 ends',
    ]);
  });

  it('a failure of the next batch after the consumer broke out is not an unhandled rejection', async () => {
    const log: string[] = [];
    for await (const [, y] of new data.DataLoader(logged(6, log, 3), { batchSize: 2 })) {
      expect(y!.data[0]).toBe(0);
      await tick(2); // the prefetch of batch 1 runs here and fails
      break;
    }
    expect(log).toEqual(['get 0', 'get 1', 'get 2', 'get 3']);
    await tick(20);
    expect(unhandled).toEqual([]);
  });

  it('breaking out before the event loop turns skips the next batch', async () => {
    const log: string[] = [];
    for await (const _ of new data.DataLoader(logged(6, log, 3), { batchSize: 2 })) break;
    await tick(20);
    expect(log).toEqual(['get 0', 'get 1']);
    expect(unhandled).toEqual([]);
  });

  it('a consumer that goes on sees the failure at the batch it belongs to', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const [, y] of new data.DataLoader(logged(6, log, 3), { batchSize: 2 })) seen.push(y!.data[0]!);
      })(),
    ).rejects.toThrow(/sample 3 is unreadable/);
    expect(seen).toEqual([0]);
    await tick(20);
    expect(unhandled).toEqual([]);
  });

  it('an iterator dropped without return() leaves no unhandled rejection', async () => {
    const log: string[] = [];
    const it = new data.DataLoader(logged(4, log, 2), { batchSize: 2 })[Symbol.asyncIterator]();
    await it.next();
    await it.next().then(
      () => undefined,
      () => undefined,
    ); // batch 1 failed; handled here
    const it2 = new data.DataLoader(logged(4, log, 2), { batchSize: 2 })[Symbol.asyncIterator]();
    await it2.next(); // batch 1 is queued and fails with nobody waiting for it
    await tick(20);
    expect(unhandled).toEqual([]);
  });
});
