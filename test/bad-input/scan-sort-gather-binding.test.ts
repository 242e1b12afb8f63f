// The scan, gather-along-dim and sort bindings' own messages and aliasing rules
// (native/binding/scan_binding.cpp, gather_dim_binding.cpp, sort_binding.cpp): lengths
// named with their [outer, size, inner] view, the first out-of-range index named by
// position (never read by the kernel), k within the dimension, outputs disjoint.
import { describe, expect, it } from 'vitest';

import { native } from '../../src/native.js';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('scan, gather-along-dim and sort bindings', () => {
  it('name the argument, the length its view needs and what it has', () => {
    expect(() => native.cumsumFwd(new Float32Array(6), 2, 3, 1, new Float32Array(5))).toThrow(
      'cumsumFwd: out must have 6 elements for a [2, 3, 1] array (outer, size, inner), but has 5',
    );
    expect(() => native.cumprodBwd(f32(1, 2), f32(1, 2), f32(1), 1, 2, 1, new Float32Array(2))).toThrow(
      'cumprodBwd: grad must have 2 elements for a [1, 2, 1] array (outer, size, inner), but has 1',
    );
    expect(() => native.gatherDim(new Float32Array(6), 2, 3, 1, 2, new Int32Array(3), new Float32Array(4))).toThrow(
      'gatherDim: index must have 4 elements (a [2, 2, 1] array (outer, n, inner)), but has 3',
    );
    expect(() => native.sortFwd(new Float32Array(6), 2, 3, 1, 2, false, new Float32Array(4), new Int32Array(6))).toThrow(
      'sortFwd: indices must have 4 elements (a [2, 2, 1] array (outer, k, inner)), but has 6',
    );
    expect(() => native.sortFwd(new Float32Array(6), 2, 3, 1, 4, false, new Float32Array(8), new Int32Array(8))).toThrow(
      'sortFwd: k must be an integer in [0, 3], but received 4',
    );
  });

  it('name the first out-of-range index and write nothing', () => {
    const out = f32(9, 9, 9, 9);
    expect(() => native.gatherDim(f32(1, 2, 3, 4, 5, 6), 2, 3, 1, 2, Int32Array.of(0, 2, 3, -1), out)).toThrow(
      'gatherDim: index[2] must be in [0, 3), but received 3',
    );
    expect(() => native.scatterAddDim(f32(1, 1, 1, 1), 2, 3, 1, 2, Int32Array.of(0, -1, 0, 0), new Float32Array(6))).toThrow(
      'scatterAddDim: index[1] must be in [0, 3), but received -1',
    );
    expect(Array.from(out)).toEqual([9, 9, 9, 9]);
    native.gatherDim(f32(1, 2, 3, 4, 5, 6), 2, 3, 1, 2, Int32Array.of(2, 2, 0, 1), out);
    expect(Array.from(out)).toEqual([3, 3, 4, 5]);
  });

  it('refuse outputs that overlap an input or each other', () => {
    const buf = new Float32Array(8);
    expect(() => native.cumsumFwd(buf.subarray(0, 4), 1, 4, 1, buf.subarray(2, 6))).toThrow(
      'cumsumFwd: out must not share memory with x (pass a separate output buffer)',
    );
    expect(() => native.cumsumBwd(buf.subarray(0, 4), 1, 4, 1, buf.subarray(0, 4))).toThrow(
      'cumsumBwd: gradX must not share memory with grad (pass a separate output buffer)',
    );
    expect(() => native.cumprodBwd(f32(1, 2), buf.subarray(0, 2), f32(1, 1), 1, 2, 1, buf.subarray(1, 3))).toThrow(
      'cumprodBwd: gradX must not share memory with out (pass a separate output buffer)',
    );
    const idx = new Int32Array(buf.buffer, 0, 2);
    expect(() => native.gatherDim(f32(1, 2), 1, 2, 1, 2, idx, buf.subarray(1, 3))).toThrow(
      'gatherDim: out must not share memory with index (pass a separate output buffer)',
    );
    expect(() => native.sortFwd(buf.subarray(0, 2), 1, 2, 1, 2, true, buf.subarray(1, 3), new Int32Array(2))).toThrow(
      'sortFwd: values must not share memory with x (pass a separate output buffer)',
    );
    expect(() => native.sortFwd(f32(1, 2), 1, 2, 1, 2, true, buf.subarray(4, 6), new Int32Array(buf.buffer, 20, 2))).toThrow(
      'sortFwd: values must not share memory with indices (pass a separate output buffer)',
    );
  });
});
