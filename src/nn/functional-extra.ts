/** oneHot and pad (constant, reflect, replicate and circular padding), as torch.nn.functional's. */
import { record } from '../autograd/engine.js';
import { rangeError, shapeError, typeError } from '../errors.js';
import { formatShape, shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe, expectFinite, expectInteger, readOptions } from '../validate.js';
import { readIndices } from './embedding.js';
import { floats } from '../memory.js';

/** [..., numClasses] with a 1 at each index (numClasses defaults to max index + 1). */
export function oneHot(indices: Tensor | Int32Array | number[], numClasses = -1): Tensor {
  const op = 'oneHot';
  expectInteger(op, 'numClasses', numClasses, -1);
  const raw = indices instanceof Tensor ? indices.data : indices;
  let max = -1;
  for (let i = 0; i < raw.length; i++) max = Math.max(max, raw[i]!);
  const classes = numClasses === -1 ? max + 1 : numClasses;
  const { ids, shape } = readIndices(op, indices, Math.max(classes, 0));
  const out = floats(ids.length * classes);
  for (let i = 0; i < ids.length; i++) out[i * classes + ids[i]!] = 1;
  return new Tensor(out, [...shape, classes]);
}

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

export interface PadOptions {
  /**
   * 'constant' (default: fill with value), 'reflect' (mirror without repeating the edge),
   * 'replicate' (repeat the edge) or 'circular' (wrap around), as torch.nn.functional.pad.
   */
  mode?: PadMode;
  /** Fill value of 'constant' (default 0). */
  value?: number;
}

/**
 * Non-constant padding of the last padding.length / 2 dimensions: each output element
 * copies one input element (per dimension: mirrored, clamped or wrapped index); the
 * backward adds each output gradient into that element.
 */
function padByIndex(op: string, x: Tensor, before: number[], after: number[], mode: Exclude<PadMode, 'constant'>, padded: number): Tensor {
  const nd = x.ndim;
  if (padded > nd - 1) {
    throw shapeError(op, `mode "${mode}" pads at most the last ${Math.max(0, nd - 1)} dimensions of a ${nd}-D input (one leading dimension is kept), but received ${padded} (before, after) pairs`);
  }
  const outShape = x.shape.map((d, i) => d + before[i]! + after[i]!);
  const maps = x.shape.map((n, d) => {
    const b = before[d]!;
    const a = after[d]!;
    if (b < 0 || a < 0) throw rangeError(op, `mode "${mode}" needs non-negative padding, but received ${b} and ${a} for dimension ${d}`);
    if (b === 0 && a === 0) return null;
    if (mode === 'reflect' && (b >= n || a >= n)) {
      throw rangeError(op, `mode "reflect" needs padding smaller than the dimension, but received ${b} and ${a} for dimension ${d} of size ${n}`);
    }
    if (mode === 'circular' && (b > n || a > n)) {
      throw rangeError(op, `mode "circular" needs padding at most the dimension, but received ${b} and ${a} for dimension ${d} of size ${n}`);
    }
    if (mode === 'replicate' && n === 0) throw rangeError(op, `mode "replicate" cannot pad dimension ${d} of size 0`);
    const m = new Int32Array(outShape[d]!);
    for (let o = 0; o < m.length; o++) {
      const i = o - b;
      m[o] = mode === 'replicate' ? Math.min(Math.max(i, 0), n - 1) : mode === 'circular' ? ((i % n) + n) % n : i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }
    return m;
  });
  const inStrides = x.shape.map((_, i) => shapeSize(x.shape.slice(i + 1)));
  const total = shapeSize(outShape);
  const src = new Int32Array(total);
  const coord = new Array<number>(nd).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let s = 0;
    for (let d = 0; d < nd; d++) s += (maps[d] ? maps[d]![coord[d]!]! : coord[d]!) * inStrides[d]!;
    src[flat] = s;
    for (let d = nd - 1; d >= 0; d--) {
      if (++coord[d]! < outShape[d]!) break;
      coord[d] = 0;
    }
  }
  const out = floats(total);
  for (let i = 0; i < total; i++) out[i] = x.data[src[i]!]!;
  const result = new Tensor(out, outShape);
  const name = mode === 'reflect' ? 'ReflectionPadBackward' : mode === 'replicate' ? 'ReplicationPadBackward' : 'CircularPadBackward';
  record(name, [x], [result], ([g]) => {
    const dx = floats(x.size);
    for (let i = 0; i < total; i++) dx[src[i]!] = dx[src[i]!]! + g!.data[i]!;
    return [new Tensor(dx, x.shape)];
  });
  return result;
}

/**
 * Pads the last dimensions: `pad` lists (before, after) pairs starting from the
 * last dimension, as torch.nn.functional.pad: [left, right, top, bottom, ...].
 * Negative amounts crop.
 */
export function pad(x: Tensor, padding: readonly number[], options?: PadOptions): Tensor {
  const op = 'pad';
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, ['mode', 'value'] as const);
  const mode = o.mode === undefined ? 'constant' : o.mode;
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') {
    throw rangeError(op, `options.mode must be "constant", "reflect", "replicate" or "circular", but received ${describe(o.mode)}`);
  }
  if (mode !== 'constant' && o.value !== undefined && o.value !== 0) {
    throw rangeError(op, `options.value only applies to mode "constant", but mode is "${mode}" and value ${describe(o.value)}`);
  }
  const value = o.value === undefined ? 0 : expectFinite(op, 'options.value', o.value);
  if (!Array.isArray(padding) || padding.length % 2 !== 0 || padding.length / 2 > x.ndim) {
    throw typeError(op, `pad must be an even-length array of at most ${2 * x.ndim} integers, but received ${describe(padding)}`);
  }
  padding.forEach((p, i) => expectInteger(op, `pad[${i}]`, p));
  const nd = x.ndim;
  const before = new Array<number>(nd).fill(0);
  const after = new Array<number>(nd).fill(0);
  for (let i = 0; i < padding.length / 2; i++) {
    before[nd - 1 - i] = padding[2 * i]!;
    after[nd - 1 - i] = padding[2 * i + 1]!;
  }
  if (mode !== 'constant') return padByIndex(op, x, before, after, mode, padding.length / 2);
  const outShape = x.shape.map((d, i) => d + before[i]! + after[i]!);
  outShape.forEach((d, i) => {
    if (d < 0) throw shapeError(op, `padding ${formatShape(padding)} crops dimension ${i} of ${formatShape(x.shape)} below zero`);
  });
  const out = floats(shapeSize(outShape)).fill(value);
  // Walk every input element that survives cropping and place it.
  const inStrides = x.shape.map((_, i) => shapeSize(x.shape.slice(i + 1)));
  const outStrides = outShape.map((_, i) => shapeSize(outShape.slice(i + 1)));
  const map = new Int32Array(x.size).fill(-1);
  for (let flat = 0; flat < x.size; flat++) {
    let rem = flat;
    let o2 = 0;
    let inside = true;
    for (let d = 0; d < nd; d++) {
      const c = Math.floor(rem / inStrides[d]!);
      rem -= c * inStrides[d]!;
      const oc = c + before[d]!;
      if (oc < 0 || oc >= outShape[d]!) {
        inside = false;
        break;
      }
      o2 += oc * outStrides[d]!;
    }
    if (inside) {
      out[o2] = x.data[flat]!;
      map[flat] = o2;
    }
  }
  const result = new Tensor(out, outShape);
  record('ConstantPadBackward', [x], [result], ([g]) => {
    const dx = floats(x.size);
    for (let i = 0; i < map.length; i++) if (map[i]! >= 0) dx[i] = g!.data[map[i]!]!;
    return [new Tensor(dx, x.shape)];
  });
  return result;
}
