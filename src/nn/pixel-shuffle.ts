/**
 * PixelShuffle / PixelUnshuffle as PyTorch 1.13: [*, C*r*r, H, W] <-> [*, C, H*r, W*r],
 * any number of leading batch dimensions. A reshape, a permute and a reshape (the
 * gradient goes back the same way).
 */
import { shapeError } from '../errors.js';
import { permute } from '../ops/shape-ops.js';
import { formatShape } from '../shape.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { expectInteger } from '../validate.js';
import { Module } from './module.js';

function leading(op: string, input: Tensor): { batch: number[]; c: number; h: number; w: number } {
  expectTensor(op, 'input', input);
  if (input.ndim < 3) {
    throw shapeError(op, `input must have at least 3 dimensions [*, C, H, W], but received a Tensor of shape ${formatShape(input.shape)}`);
  }
  const s = input.shape;
  return { batch: s.slice(0, -3), c: s[s.length - 3]!, h: s[s.length - 2]!, w: s[s.length - 1]! };
}

/** [*, C*r*r, H, W] -> [*, C, H*r, W*r]: out[c, h*r + i, w*r + j] = in[c*r*r + i*r + j, h, w]. */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  return pixelShuffleAs('pixelShuffle', input, upscaleFactor);
}

function pixelShuffleAs(op: string, input: Tensor, upscaleFactor: number): Tensor {
  const { batch, c, h, w } = leading(op, input);
  const r = expectInteger(op, 'upscaleFactor', upscaleFactor, 1);
  if (c % (r * r) !== 0) {
    throw shapeError(op, `the channel dimension (-3) must be divisible by upscaleFactor squared (${r * r}), but received ${c} channels (input shape ${formatShape(input.shape)})`);
  }
  const oc = c / (r * r);
  const n = batch.reduce((a, b) => a * b, 1);
  const t = permute(input.reshape([n, oc, r, r, h, w]), [0, 1, 4, 2, 5, 3]);
  return t.reshape([...batch, oc, h * r, w * r]);
}

/** [*, C, H*r, W*r] -> [*, C*r*r, H, W], the inverse of pixelShuffle. */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  return pixelUnshuffleAs('pixelUnshuffle', input, downscaleFactor);
}

function pixelUnshuffleAs(op: string, input: Tensor, downscaleFactor: number): Tensor {
  const { batch, c, h, w } = leading(op, input);
  const r = expectInteger(op, 'downscaleFactor', downscaleFactor, 1);
  if (h % r !== 0 || w % r !== 0) {
    const [which, size] = h % r !== 0 ? ['height (dimension -2)', h] : ['width (dimension -1)', w];
    throw shapeError(op, `the ${which} must be divisible by downscaleFactor (${r}), but received ${size} (input shape ${formatShape(input.shape)})`);
  }
  const oh = h / r;
  const ow = w / r;
  const n = batch.reduce((a, b) => a * b, 1);
  const t = permute(input.reshape([n, c, oh, r, ow, r]), [0, 1, 3, 5, 2, 4]);
  return t.reshape([...batch, c * r * r, oh, ow]);
}

export class PixelShuffle extends Module {
  readonly upscaleFactor: number;
  constructor(upscaleFactor: number) {
    super();
    this.upscaleFactor = expectInteger('PixelShuffle', 'upscaleFactor', upscaleFactor, 1);
  }
  forward(input: Tensor): Tensor {
    return pixelShuffleAs('PixelShuffle', input, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}

export class PixelUnshuffle extends Module {
  readonly downscaleFactor: number;
  constructor(downscaleFactor: number) {
    super();
    this.downscaleFactor = expectInteger('PixelUnshuffle', 'downscaleFactor', downscaleFactor, 1);
  }
  forward(input: Tensor): Tensor {
    return pixelUnshuffleAs('PixelUnshuffle', input, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}
