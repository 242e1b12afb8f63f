// The select bindings' own messages and aliasing rules (native/binding/select_binding.cpp):
// operands of n elements or 1, outputs in place or disjoint, backward outputs disjoint.
import { describe, expect, it } from 'vitest';

import { native } from '../../src/native.js';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('select bindings', () => {
  it('name the operand, the lengths it may have and what it has', () => {
    expect(() => native.compareEq(new Float32Array(6), new Float32Array(7), new Float32Array(7))).toThrow(
      'compareEq: a must have 7 elements (the length of out) or 1 (a broadcast scalar), but has 6',
    );
    expect(() => native.whereSelect(new Float32Array(2), new Float32Array(3), new Float32Array(3), new Float32Array(3))).toThrow(
      'whereSelect: cond must have 3 elements (the length of out) or 1 (a broadcast scalar), but has 2',
    );
    expect(() => native.maximumBwd(new Float32Array(4), new Float32Array(1), new Float32Array(4), new Float32Array(4), new Float32Array(3))).toThrow(
      'maximumBwd: gradB must have 4 elements for grad of 4 elements, but has 3',
    );
    expect(() => native.minimumFwd(new Float64Array(2) as never, f32(1), f32(0, 0))).toThrow(
      'minimumFwd: a must be a Float32Array, but received a Float64Array of length 2',
    );
  });

  it('broadcast a length-1 operand and compute in place', () => {
    const x = f32(1, NaN, 3);
    native.compareLt(x, f32(2), x);
    expect(Array.from(x)).toEqual([1, 0, 0]);
    const out = new Float32Array(3);
    native.whereSelect(f32(0, NaN, -0), f32(5), f32(7, 8, 9), out);
    expect(Array.from(out)).toEqual([7, 5, 9]);
  });

  it('refuse outputs that partly overlap an input', () => {
    const buf = new Float32Array(8);
    expect(() => native.maximumFwd(buf.subarray(0, 4), f32(1), buf.subarray(2, 6))).toThrow(
      'maximumFwd: out must not share memory with a (pass a separate output buffer)',
    );
    // a length-1 operand inside out would change while out is written
    expect(() => native.compareGe(f32(1, 2, 3, 4), buf.subarray(1, 2), buf.subarray(0, 4))).toThrow(
      'compareGe: out must not share memory with b (pass a separate output buffer)',
    );
    expect(() => native.minimumBwd(f32(1, 2), f32(2, 1), buf.subarray(0, 2), buf.subarray(0, 2), new Float32Array(2))).toThrow(
      'minimumBwd: gradA must not share memory with grad (pass a separate output buffer)',
    );
  });
});
