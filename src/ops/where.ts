/**
 * Selection by a condition with gradients, as PyTorch 1.13: where(condition, a, b)
 * and maskedFill(x, mask, value). A condition or mask is a float tensor whose
 * nonzero elements are true: a NaN is true and -0 false, as torch.where(c.bool(), ...)
 * reads it. All operands broadcast together (NumPy/PyTorch rules); a gradient flows
 * to what was selected, summed back to each operand's shape, and never to the
 * condition.
 */
import { record } from '../autograd/engine.js';
import { typeError } from '../errors.js';
import { floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';
import { shapeSize } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { reduceToShape } from './arith.js';
import { type Operand, broadcastNamed, operandData, operandTensor } from './broadcast-operands.js';

const ZERO = Float32Array.of(0);

/** cond ? a : b over `shape` by the native kernel (each operand n elements or 1). */
function select(cond: Float32Array, a: Float32Array, b: Float32Array, shape: readonly number[]): Tensor {
  const out = floatsForOverwrite(shapeSize(shape));
  native.whereSelect(cond, a, b, out);
  return new Tensor(out, shape);
}

/**
 * Elementwise `condition ? a : b` (torch.where(condition, a, b)), the three broadcast
 * together. condition is a Tensor read as nonzero = true (PyTorch takes a bool tensor;
 * a NaN counts as true, as condition.bool() would make it); a and b are Tensors or
 * numbers. The gradient flows to a where the condition is true and to b where it is
 * false, summed back to each one's shape; none flows to condition.
 */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  const c = expectTensor('where', 'condition', condition);
  const ta = operandTensor('where', 'a', a);
  const tb = operandTensor('where', 'b', b);
  const shape = broadcastNamed('where', [['condition', c.shape], ['a', ta.shape], ['b', tb.shape]]);
  const cData = operandData(c, shape);
  const out = select(cData, operandData(ta, shape), operandData(tb, shape), shape);
  record('WhereBackward', [ta, tb], [out], ([g]) => [
    ta.requiresGrad ? reduceToShape(select(cData, g!.data, ZERO, shape), ta.shape) : null,
    tb.requiresGrad ? reduceToShape(select(cData, ZERO, g!.data, shape), tb.shape) : null,
  ], [c]);
  return out;
}

/**
 * x with `value` wherever mask is nonzero (torch.masked_fill(x, mask, value)): mask is a
 * Tensor (nonzero = true, NaN included), value a number. As PyTorch 1.13's out-of-place
 * masked_fill, x and mask broadcast together, so the result has the broadcast shape
 * (x's own shape whenever mask broadcasts to it). The gradient of x is the upstream
 * gradient with zeros where the value was filled in, summed back to x's shape.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  expectTensor('maskedFill', 'x', x);
  expectTensor('maskedFill', 'mask', mask);
  if (typeof value !== 'number') throw typeError('maskedFill', `value must be a number, but received ${describe(value)}`);
  const shape = broadcastNamed('maskedFill', [['x', x.shape], ['mask', mask.shape]]);
  const m = operandData(mask, shape);
  const out = select(m, Float32Array.of(value), operandData(x, shape), shape);
  record('MaskedFillBackward', [x], [out], ([g]) => [reduceToShape(select(m, ZERO, g!.data, shape), x.shape)], [mask]);
  return out;
}
