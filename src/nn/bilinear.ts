/** nn.Bilinear: y = x1^T W x2 + b, weight [outFeatures, in1Features, in2Features] as in PyTorch. */
import { zeros } from '../factories.js';
import { bilinear } from '../ops/bilinear.js';
import type { Tensor } from '../tensor.js';
import { expectBoolean, expectInteger, readOptions } from '../validate.js';
import { uniform_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface BilinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, options?: BilinearOptions) {
    super();
    const op = 'Bilinear';
    // At least one input feature: the initial bound is 1/sqrt(in1Features).
    this.in1Features = expectInteger(op, 'in1Features', in1Features, 1);
    this.in2Features = expectInteger(op, 'in2Features', in2Features, 1);
    this.outFeatures = expectInteger(op, 'outFeatures', outFeatures, 0);
    const o = readOptions(op, options, ['bias'] as const);
    const hasBias = o.bias === undefined ? true : expectBoolean(op, 'options.bias', o.bias);
    this.weight = this.registerParameter('weight', new Parameter(zeros(outFeatures, in1Features, in2Features)));
    this.bias = this.registerParameter('bias', hasBias ? new Parameter(zeros(outFeatures)) : null);
    this.resetParameters();
  }

  /** PyTorch's default: weight and bias U(-1/sqrt(in1Features), 1/sqrt(in1Features)). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, { a: -bound, b: bound });
    if (this.bias !== null) uniform_(this.bias, { a: -bound, b: bound });
  }

  /** input1 [..., in1Features], input2 [..., in2Features] with the same leading dimensions; returns [..., outFeatures]. */
  forward(input1: Tensor, input2: Tensor): Tensor {
    return bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1Features=${this.in1Features}, in2Features=${this.in2Features}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
