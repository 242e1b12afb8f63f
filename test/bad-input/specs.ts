/**
 * Argument specs for every native binding export: a valid call and the kind of
 * each argument. The bad-input suite derives wrong calls from these; every new
 * binding must add its spec here (a test fails for any export without one).
 */

export type ArgKind =
  | 'bool'
  | 'dim' // non-negative integer (size, stride)
  | 'int' // integer with a range
  | 'finite' // finite number
  | 'number' // a number other than NaN (+-Infinity accepted)
  | 'f32' // Float32Array whose length is checked against the other arguments
  | 'f32any' // Float32Array of any length
  | 'f32null' // like 'f32', or null (an optional operand)
  | 'i32' // Int32Array whose length is checked
  | 'string'
  | 'class'
  | 'index' // class indices: Int32Array or Float32Array of integers, length and range checked
  | 'i32index' // row indices: an Int32Array, length and range checked (-1 is out of range)
  | 'reduction'; // 'none' | 'mean' | 'sum'

export interface BindingSpec {
  /** The op name the errors start with ("sgemm: ..."). */
  op: string;
  /** A call that succeeds; called fresh for every derived case. */
  valid: () => unknown[];
  kinds: ArgKind[];
  /**
   * Inclusive ranges of 'int' arguments, by index: every value inside is accepted,
   * min - 1 and max + 1 are rejected.
   */
  intRanges?: Record<number, readonly [number, number]>;
  /**
   * For exports whose valid calls can be legitimately long: the inner-loop steps a call
   * with these arguments performs when it succeeds (e.g. outputs x window for pooling).
   * The fuzzer holds a call above LONG_WORK steps to no time limit: a 46341 x 2 pooling
   * window over 65536-row planes is 1e10 additions, slow but not a hang.
   */
  work?: (args: readonly unknown[]) => number;
}

/** Steps past which a successful call may take longer than the fuzzer's time limit. */
export const LONG_WORK = 2e9;

export const f32 = (n: number): Float32Array => new Float32Array(n).fill(0.5);

const coreSpecs: Record<string, BindingSpec> = {
  info: { op: 'backend.info', valid: () => [], kinds: [] },
  getNumThreads: { op: 'backend.getNumThreads', valid: () => [], kinds: [] },
  setNumThreads: { op: 'backend.setNumThreads', valid: () => [2], kinds: ['int'] },
  setIsa: { op: 'backend.setIsa', valid: () => ['scalar'], kinds: ['string'] },
  setErrorClass: { op: 'setErrorClass', valid: () => [class extends Error {}], kinds: ['class'] },
  sgemm: {
    op: 'sgemm',
    // 3x4 = op(A) 3x5 * op(B) 5x4 with padded leading dimensions
    valid: () => [false, false, 3, 4, 5, 1, f32(2 * 6 + 5), 6, f32(5 * 4), 4, 0, f32(3 * 4), 4],
    kinds: ['bool', 'bool', 'dim', 'dim', 'dim', 'finite', 'f32', 'dim', 'f32', 'dim', 'finite', 'f32', 'dim'],
  },
  sgemmEx: {
    op: 'sgemmEx',
    // sgemm's call plus a bias of n = 4 values and relu
    valid: () => [false, false, 3, 4, 5, 1, f32(2 * 6 + 5), 6, f32(5 * 4), 4, 0, f32(3 * 4), 4, f32(4), 1],
    kinds: ['bool', 'bool', 'dim', 'dim', 'dim', 'finite', 'f32', 'dim', 'f32', 'dim', 'finite', 'f32', 'dim', 'f32null', 'int'],
    // activation: 0 none, 1 relu, 2 gelu, 3 gelu tanh
    intRanges: { 14: [0, 3] },
  },
  sgemmBatched: {
    op: 'sgemmBatched',
    // sgemm's 3x4x5 product over a 2 x 3 batch, items packed one after another
    valid: () => [false, false, 3, 4, 5, 1, f32(102), 6, f32(120), 4, 0, f32(72), 4, 2, 3, 51, 17, 60, 20, 36, 12],
    kinds: ['bool', 'bool', 'dim', 'dim', 'dim', 'finite', 'f32', 'dim', 'f32', 'dim', 'finite', 'f32', 'dim', 'dim', 'dim', 'dim', 'dim', 'dim', 'dim', 'dim', 'dim'],
  },
  fillUniform: { op: 'fillUniform', valid: () => [f32(10), 1, 0, 0, 1], kinds: ['f32any', 'int', 'int', 'finite', 'finite'] },
  fillNormal: { op: 'fillNormal', valid: () => [f32(10), 1, 0, 0, 1], kinds: ['f32any', 'int', 'int', 'finite', 'finite'] },
};

import { activationSpecs } from './specs-activation.js';
import { lossSpecs } from './specs-loss.js';
import { optimSpecs } from './specs-optim.js';
import { reduceSpecs } from './specs-reduce.js';
import { convSpecs } from './specs-conv.js';
import { normSpecs } from './specs-norm.js';
import { rnnSpecs } from './specs-rnn.js';
import { gatherSpecs } from './specs-gather.js';
import { selectSpecs } from './specs-select.js';
import { scanSpecs } from './specs-scan.js';
import { gatherDimSpecs } from './specs-gather-dim.js';
import { sortSpecs } from './specs-sort.js';

export const specs: Record<string, BindingSpec> = {
  ...coreSpecs,
  ...activationSpecs,
  ...lossSpecs,
  ...reduceSpecs,
  ...optimSpecs,
  ...convSpecs,
  ...normSpecs,
  ...rnnSpecs,
  ...gatherSpecs,
  ...selectSpecs,
  ...scanSpecs,
  ...gatherDimSpecs,
  ...sortSpecs,
};
