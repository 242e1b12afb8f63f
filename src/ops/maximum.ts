/**
 * Elementwise maximum and minimum with broadcasting and gradients, as torch.maximum /
 * torch.minimum in PyTorch 1.13: a NaN on either side gives NaN. The gradient is
 * PyTorch's, ties included (measured on 1.13): the larger operand (the smaller, for
 * minimum) gets the upstream gradient and the other 0; at a tie (-0 and +0 included)
 * each gets half; where either is NaN, both get all of it. Gradients of broadcast
 * operands are summed back to their shapes.
 */
import { record } from '../autograd/engine.js';
import { floats, floatsForOverwrite } from '../memory.js';
import { native } from '../native.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reduceToShape } from './arith.js';
import { type Operand, broadcastNamed, operandData, operandPair } from './broadcast-operands.js';

function extremum(op: 'maximum' | 'minimum', a: Operand, b: Operand): Tensor {
  const [ta, tb] = operandPair(op, a, b);
  const shape = broadcastNamed(op, [['a', ta.shape], ['b', tb.shape]]);
  const n = shapeSize(shape);
  const aData = operandData(ta, shape);
  const bData = operandData(tb, shape);
  const out = new Tensor(floatsForOverwrite(n), shape);
  (op === 'maximum' ? native.maximumFwd : native.minimumFwd)(aData, bData, out.data);
  record(op === 'maximum' ? 'MaximumBackward' : 'MinimumBackward', [ta, tb], [out], ([g]) => {
    const gradA = floats(n);
    const gradB = floats(n);
    (op === 'maximum' ? native.maximumBwd : native.minimumBwd)(aData, bData, g!.data, gradA, gradB);
    return [
      ta.requiresGrad ? reduceToShape(new Tensor(gradA, shape), ta.shape) : null,
      tb.requiresGrad ? reduceToShape(new Tensor(gradB, shape), tb.shape) : null,
    ];
  }, [ta, tb]);
  return out;
}

/**
 * Elementwise max(a, b) with broadcasting (torch.maximum). a and b are Tensors or
 * numbers (at least one a Tensor; PyTorch takes tensors only, a number here acts as a
 * 0-d tensor). NaN propagates. On a tie the value is a's (which only shows in the sign
 * of a zero: maximum(0, -0) is 0, maximum(-0, 0) is -0, as PyTorch's scalar loop
 * gives; its vectorised loop returns b's). Gradients as PyTorch 1.13: see the module doc.
 */
export const maximum = (a: Operand, b: Operand): Tensor => extremum('maximum', a, b);

/** Elementwise min(a, b) with broadcasting (torch.minimum); as maximum, with the smaller operand winning. */
export const minimum = (a: Operand, b: Operand): Tensor => extremum('minimum', a, b);
