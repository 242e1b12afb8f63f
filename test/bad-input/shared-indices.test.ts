// Index arrays in a SharedArrayBuffer that another thread rewrites while the binding runs.
// The binding checks the indices and a kernel then reads them: between the two a racing
// write could put an index out of range and send the kernel outside its buffers (the
// class-loss kernels wrote past grad; gather and scatter-add check again in the core, and
// read again after that). So the binding copies shared indices and checks and passes the
// copy (maxAxisBackward and maxPool2dBackward do too; their kernels also bound each index
// they read). Every call must either throw the range error or succeed on checked indices;
// the buffers sit between guard values that must survive.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

import { native } from '../../src/native.js';

const GUARD = 64; // floats either side of an output
const ROUNDS = 20_000;

/** A Float32Array of n zeros with GUARD floats of 7 either side, and a check of those. */
function guarded(n: number) {
  const all = new Float32Array(n + 2 * GUARD).fill(7);
  const view = all.subarray(GUARD, GUARD + n).fill(0);
  const intact = () => all.subarray(0, GUARD).every((v) => v === 7) && all.subarray(GUARD + n).every((v) => v === 7);
  return { view, intact };
}

/** Runs body while a worker flips every index between `good` and `bad` as fast as it can. */
async function whileRacing(indices: Int32Array, good: number, bad: number, body: () => void) {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData: { indices, stop, good, bad } } = require('node:worker_threads');
     while (Atomics.load(stop, 0) === 0) {
       for (let i = 0; i < indices.length; i++) Atomics.store(indices, i, bad);
       for (let i = 0; i < indices.length; i++) Atomics.store(indices, i, good);
     }`,
    { eval: true, workerData: { indices, stop, good, bad } },
  );
  await once(worker, 'online');
  try {
    body();
  } finally {
    Atomics.store(stop, 0, 1);
    await worker.terminate();
  }
}

/** ROUNDS calls: each succeeds or throws a RangeError starting with op, and some succeed. */
function race(op: string, call: () => void) {
  let ok = 0;
  for (let r = 0; r < ROUNDS; r++) {
    try {
      call();
      ok++;
    } catch (err) {
      expect(err instanceof RangeError && (err as Error).message.startsWith(`${op}: `), String(err)).toBe(true);
    }
  }
  expect(ok, `${op}: calls that saw checked indices`).toBeGreaterThan(0);
}

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));
// Out of range by a little, so a kernel that used it would land in the guards.
const BAD = 9;

describe('indices in shared memory rewritten during the call', () => {
  it('gatherRows and scatterAddRows', async () => {
    const indices = shared(3);
    const src = guarded(5 * 4);
    src.view.fill(1);
    const gathered = new Float32Array(3 * 4);
    const out = guarded(5 * 4);
    await whileRacing(indices, 2, 5 + BAD, () => {
      race('gatherRows', () => {
        native.gatherRows(src.view, 1, 5, 4, indices, gathered);
        // a row read from outside src would bring the guards' 7s along
        expect(gathered.every((v) => v === 1)).toBe(true);
      });
      race('scatterAddRows', () => native.scatterAddRows(new Float32Array(3 * 4), 1, 5, 4, indices, -1, out.view));
    });
    expect(src.intact() && out.intact()).toBe(true);
  });

  it('crossEntropyLoss and nllLoss', async () => {
    const target = shared(8);
    const grad = guarded(8 * 4);
    const empty = new Float32Array(0);
    await whileRacing(target, 3, 4 + BAD, () => {
      race('crossEntropyLoss', () => native.crossEntropyLoss(new Float32Array(32), 8, 4, target, empty, -100, 0, grad.view, empty, 'sum'));
      race('nllLoss', () => native.nllLoss(new Float32Array(32), 8, 4, target, empty, -100, grad.view, empty, 'sum'));
    });
    expect(grad.intact()).toBe(true);
  });
});
