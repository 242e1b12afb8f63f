/**
 * Copies between a contiguous row-major array and its leading corner (a "box": the
 * elements whose every index is below box[d]). gather and scatterAdd use them when an
 * index is smaller than the data outside the gathered dimension, as PyTorch allows.
 */
import { shapeSize } from '../shape.js';

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = acc;
    acc *= shape[i]!;
  }
  return out;
}

/** Calls f(fullOffset, boxOffset, rowLength) for every last-dim row of the box. */
function forEachRow(shape: readonly number[], box: readonly number[], f: (full: number, part: number, len: number) => void): void {
  const nd = shape.length;
  if (nd === 0) {
    f(0, 0, 1);
    return;
  }
  if (shapeSize(box) === 0) return;
  const fs = strides(shape);
  const len = box[nd - 1]!;
  const rows = shapeSize(box.slice(0, nd - 1));
  const idx = new Array<number>(Math.max(0, nd - 1)).fill(0);
  for (let r = 0, part = 0; r < rows; r++, part += len) {
    let full = 0;
    for (let d = 0; d < nd - 1; d++) full += idx[d]! * fs[d]!;
    f(full, part, len);
    for (let d = nd - 2; d >= 0; d--) {
      if (++idx[d]! < box[d]!) break;
      idx[d] = 0;
    }
  }
}

/** The box of `data` (of `shape`) as a new contiguous array; box[d] <= shape[d]. */
export function narrowBox(data: Float32Array, shape: readonly number[], box: readonly number[]): Float32Array {
  const out = new Float32Array(shapeSize(box));
  forEachRow(shape, box, (full, part, len) => out.set(data.subarray(full, full + len), part));
  return out;
}

/** Writes `part` (contiguous, of shape `box`) into the box of `target` (of `shape`). */
export function embedBox(target: Float32Array, shape: readonly number[], part: Float32Array, box: readonly number[]): void {
  forEachRow(shape, box, (full, p, len) => target.set(part.subarray(p, p + len), full));
}
