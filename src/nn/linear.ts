/** nn.Linear: y = x W^T + b, weight [outFeatures, inFeatures] as in PyTorch. */
import { zeros } from '../factories.js';
import { linear } from '../ops/linear.js';
import type { Tensor } from '../tensor.js';
import { expectBoolean, expectInteger, readOptions } from '../validate.js';
import { kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions) {
    super();
    const op = 'Linear';
    this.inFeatures = expectInteger(op, 'inFeatures', inFeatures, 0);
    this.outFeatures = expectInteger(op, 'outFeatures', outFeatures, 0);
    const o = readOptions(op, options, ['bias'] as const);
    const hasBias = o.bias === undefined ? true : expectBoolean(op, 'options.bias', o.bias);
    this.weight = this.registerParameter('weight', new Parameter(zeros(outFeatures, inFeatures)));
    this.bias = this.registerParameter('bias', hasBias ? new Parameter(zeros(outFeatures)) : null);
    this.resetParameters();
  }

  /** PyTorch's default: kaiming_uniform_(a=sqrt(5)) for the weight, U(-1/sqrt(in), 1/sqrt(in)) for the bias. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, { a: -bound, b: bound });
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
