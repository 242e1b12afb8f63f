/**
 * Dropout and Dropout2d: in training, zero elements (or whole channels) with
 * probability p and scale the rest by 1/(1-p); identity in eval mode. Masks come
 * from the counter-based generator, so they are the same at any thread count.
 */
import { record } from '../autograd/engine.js';
import { rangeError } from '../errors.js';
import { dropout as dropoutKernel, dropoutBackward, dropoutChannels, dropoutChannelsBackward } from '../ops/dropout.js';
import { defaultGenerator, type Generator } from '../random.js';
import { expectTensor, type Tensor } from '../tensor.js';
import { expectBoolean, expectFinite, readOptions } from '../validate.js';
import { Module } from './module.js';

export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Apply the dropout (default true; modules pass their training flag). */
  training?: boolean;
  /** Draw the mask from this generator (default: the default generator). */
  generator?: Generator;
}

function readP(op: string, p: unknown): number {
  const v = p === undefined ? 0.5 : expectFinite(op, 'options.p', p);
  if (v < 0 || v > 1) throw rangeError(op, `options.p must be in [0, 1], but received ${v}`);
  return v;
}

export function dropout(x: Tensor, options?: DropoutOptions): Tensor {
  const op = 'dropout';
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, ['p', 'training', 'generator'] as const);
  const p = readP(op, o.p);
  const training = o.training === undefined ? true : expectBoolean(op, 'options.training', o.training);
  if (!training || p === 0) return x;
  const { output, mask } = dropoutKernel(x, p, (o.generator as Generator | undefined) ?? defaultGenerator);
  record('DropoutBackward', [x], [output], ([g]) => [dropoutBackward(g!, mask)]);
  return output;
}

/** Zeroes whole channels of [N, C, ...] inputs. */
export function dropout2d(x: Tensor, options?: DropoutOptions): Tensor {
  const op = 'dropout2d';
  expectTensor(op, 'input', x);
  const o = readOptions(op, options, ['p', 'training', 'generator'] as const);
  const p = readP(op, o.p);
  const training = o.training === undefined ? true : expectBoolean(op, 'options.training', o.training);
  if (!training || p === 0) return x;
  const { output, mask } = dropoutChannels(x, p, (o.generator as Generator | undefined) ?? defaultGenerator);
  record('FeatureDropoutBackward', [x], [output], ([g]) => [dropoutChannelsBackward(g!, mask)]);
  return output;
}

export class Dropout extends Module {
  readonly p: number;
  constructor(options?: { p?: number }) {
    super();
    this.p = readP('Dropout', readOptions('Dropout', options, ['p'] as const).p);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training });
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

export class Dropout2d extends Module {
  readonly p: number;
  constructor(options?: { p?: number }) {
    super();
    this.p = readP('Dropout2d', readOptions('Dropout2d', options, ['p'] as const).p);
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, { p: this.p, training: this.training });
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
