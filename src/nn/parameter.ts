/** nn.Parameter: a tensor a Module owns and an optimizer updates. */
import { keepBuffer } from '../memory.js';
import { Tensor, expectTensor } from '../tensor.js';

export class Parameter extends Tensor {
  /** Wraps `data`'s memory (no copy) as a leaf that requires grad by default. */
  constructor(data: Tensor, requiresGrad = true) {
    expectTensor('Parameter', 'data', data);
    super(data.data, data.shape);
    keepBuffer(data.data);
    this.requiresGrad = requiresGrad;
  }
}
