/** oneHot and pad (constant padding), as torch.nn.functional's. */
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

export interface PadOptions {
  /** Only 'constant' is supported. */
  mode?: 'constant';
  /** Fill value (default 0). */
  value?: number;
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
  if (o.mode !== undefined && o.mode !== 'constant') throw rangeError(op, `options.mode must be "constant", but received ${describe(o.mode)}`);
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
