/**
 * Dropout with counter-based masks: the mask depends only on the generator's
 * (seed, offset) and the shape, never on the thread count. Wrappers on the native
 * dropout in native/binding/optim_binding.cpp; the mask holds 0 or 1 / (1 - p) and
 * is what the backward pass multiplies by.
 */
import { rangeError, shapeError } from '../errors.js';
import { native } from '../native.js';
import { defaultGenerator, type Generator } from '../random.js';
import { formatShape } from '../shape.js';
import { expectTensor, Tensor } from '../tensor.js';
import { expectFinite } from '../validate.js';
import { floats } from '../memory.js';

function readP(op: string, p: number): number {
  const v = expectFinite(op, 'p', p);
  if (v < 0 || v > 1) throw rangeError(op, `p must be in [0, 1], but received ${v}`);
  return v;
}

function advance(gen: Generator, words: number): void {
  const s = gen.getState();
  gen.setState({ seed: s.seed, offset: s.offset + words });
}

/** Zeroes each element with probability p and scales the rest by 1 / (1 - p). */
export function dropout(x: Tensor, p: number, generator: Generator = defaultGenerator): { output: Tensor; mask: Float32Array } {
  const op = 'dropout';
  expectTensor(op, 'x', x);
  const prob = readP(op, p);
  const out = floats(x.size);
  const mask = floats(x.size);
  const { seed, offset } = generator.getState();
  advance(generator, native.dropoutForward(x.data, out, mask, prob, seed, offset));
  return { output: new Tensor(out, x.shape), mask };
}

export function dropoutBackward(grad: Tensor, mask: Float32Array): Tensor {
  expectTensor('dropoutBackward', 'grad', grad);
  const gx = floats(grad.size);
  native.dropoutBackward(grad.data, mask, gx);
  return new Tensor(gx, grad.shape);
}

function channelDims(op: string, x: Tensor): [number, number, number] {
  if (x.ndim < 2) throw shapeError(op, `x must have at least 2 dimensions [N, C, ...], but has shape ${formatShape(x.shape)}`);
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  return [n, c, n * c === 0 ? 0 : x.size / (n * c)];
}

/** Dropout2d/3d: zeroes whole channels of an [N, C, ...] tensor, one draw per (n, c). */
export function dropoutChannels(x: Tensor, p: number, generator: Generator = defaultGenerator): { output: Tensor; mask: Float32Array } {
  const op = 'dropoutChannels';
  expectTensor(op, 'x', x);
  const prob = readP(op, p);
  const [n, c, s] = channelDims(op, x);
  const out = floats(x.size);
  const mask = floats(n * c);
  const { seed, offset } = generator.getState();
  advance(generator, native.dropout2dForward(n, c, s, x.data, out, mask, prob, seed, offset));
  return { output: new Tensor(out, x.shape), mask };
}

export function dropoutChannelsBackward(grad: Tensor, mask: Float32Array): Tensor {
  const op = 'dropoutChannelsBackward';
  expectTensor(op, 'grad', grad);
  const [n, c, s] = channelDims(op, grad);
  const gx = floats(grad.size);
  native.dropout2dBackward(n, c, s, grad.data, mask, gx);
  return new Tensor(gx, grad.shape);
}
