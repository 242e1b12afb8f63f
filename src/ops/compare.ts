/**
 * Elementwise comparisons with NumPy/PyTorch broadcasting: eq, ne, lt, le, gt, ge,
 * as torch.eq & co. in PyTorch 1.13. axonal has only float32, so the result is a
 * float32 tensor of 0 and 1 where PyTorch returns a bool tensor. Comparisons follow
 * IEEE 754: a NaN on either side makes ne true and every other op false, and
 * -0 equals +0. The result never requires grad (there is no gradient).
 */
import { native } from '../native.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { floatsForOverwrite } from '../memory.js';
import { type Operand, broadcastNamed, operandData, operandPair } from './broadcast-operands.js';

type CompareName = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const KERNEL = {
  eq: 'compareEq',
  ne: 'compareNe',
  lt: 'compareLt',
  le: 'compareLe',
  gt: 'compareGt',
  ge: 'compareGe',
} as const satisfies Record<CompareName, string>;

function compare(op: CompareName, a: Operand, b: Operand): Tensor {
  const [ta, tb] = operandPair(op, a, b);
  const shape = broadcastNamed(op, [['a', ta.shape], ['b', tb.shape]]);
  const out = floatsForOverwrite(shapeSize(shape));
  native[KERNEL[op]](operandData(ta, shape), operandData(tb, shape), out);
  return new Tensor(out, shape);
}

/** a == b elementwise, broadcast (either may be a number): 1 where equal, else 0 (PyTorch: a bool tensor). NaN equals nothing. */
export const eq = (a: Operand, b: Operand): Tensor => compare('eq', a, b);
/** a != b elementwise, broadcast: 1 where unequal (and wherever a NaN is), else 0 (PyTorch: a bool tensor). */
export const ne = (a: Operand, b: Operand): Tensor => compare('ne', a, b);
/** a < b elementwise, broadcast: 1 or 0 (PyTorch: a bool tensor); 0 where a NaN is. */
export const lt = (a: Operand, b: Operand): Tensor => compare('lt', a, b);
/** a <= b elementwise, broadcast: 1 or 0 (PyTorch: a bool tensor); 0 where a NaN is. */
export const le = (a: Operand, b: Operand): Tensor => compare('le', a, b);
/** a > b elementwise, broadcast: 1 or 0 (PyTorch: a bool tensor); 0 where a NaN is. */
export const gt = (a: Operand, b: Operand): Tensor => compare('gt', a, b);
/** a >= b elementwise, broadcast: 1 or 0 (PyTorch: a bool tensor); 0 where a NaN is. */
export const ge = (a: Operand, b: Operand): Tensor => compare('ge', a, b);
