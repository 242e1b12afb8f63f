/**
 * Operands of the elementwise comparison and selection ops (compare.ts, where.ts,
 * maximum.ts): a Tensor or a number, broadcast together with NumPy/PyTorch rules.
 * The native select kernels take each operand as n elements or 1 (a broadcast
 * scalar); any other broadcast is expanded here first.
 */
import { rangeError, shapeError, typeError } from '../errors.js';
import { formatShape, MAX_ELEMENTS, shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { expandData } from './arith.js';

/** A tensor operand, or a number standing for a 0-d tensor. */
export type Operand = Tensor | number;

/** The operand as a tensor (a number becomes a 0-d one), or a TypeError naming op and argument. */
export function operandTensor(op: string, name: string, v: unknown): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number') return new Tensor(Float32Array.of(v), []);
  throw typeError(op, `${name} must be a Tensor or a number, but received ${describe(v)}`);
}

/** Two operands, at least one of them a Tensor (PyTorch has no op on two Python numbers here). */
export function operandPair(op: string, a: unknown, b: unknown): [Tensor, Tensor] {
  const ta = operandTensor(op, 'a', a);
  const tb = operandTensor(op, 'b', b);
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    throw typeError(op, `a or b must be a Tensor, but received ${describe(a)} and ${describe(b)}`);
  }
  return [ta, tb];
}

/**
 * The broadcast shape of named operands, or a RangeError naming each argument with its
 * shape and the first dimension that does not fit.
 */
export function broadcastNamed(op: string, operands: readonly (readonly [string, readonly number[]])[]): number[] {
  const nd = Math.max(...operands.map(([, s]) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (let i = 0; i < nd; i++) {
    for (const [, s] of operands) {
      const d = s[s.length - nd + i] ?? 1;
      if (d === 1 || d === out[i]) continue;
      if (out[i] !== 1) {
        const dims = operands.map(([n, t]) => `${t[t.length - nd + i] ?? 1} (${n})`).join(' vs ');
        const shapes = operands.map(([n, t]) => `${n} of shape ${formatShape(t)}`);
        const list = shapes.length === 2 ? shapes.join(' and ') : `${shapes.slice(0, -1).join(', ')} and ${shapes[shapes.length - 1]}`;
        throw shapeError(op, `${list} cannot be broadcast together (dimension ${i} of the result: ${dims})`);
      }
      out[i] = d;
    }
  }
  const size = shapeSize(out);
  if (size > MAX_ELEMENTS) {
    throw rangeError(op, `the operands broadcast to ${formatShape(out)}: ${size} elements, more than the ${MAX_ELEMENTS} a tensor can hold`);
  }
  return out;
}

/**
 * What a select kernel reads for `t` broadcast to `shape`: its own data when it already
 * has every element (the same size means the same layout) or a single one, else a copy
 * expanded to the full shape.
 */
export function operandData(t: Tensor, shape: readonly number[]): Float32Array {
  const n = shapeSize(shape);
  if (t.size === n || t.size === 1) return t.data;
  return expandData(t, shape);
}
