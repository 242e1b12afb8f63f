import { TensorDataset } from '../data/dataset.js';
import { DataLoader } from '../data/dataloader.js';
import { rangeError, typeError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import { describe, expectInteger, readOptions } from '../validate.js';
import { enterEval } from './eval-mode.js';
import { expectModel } from './expect-model.js';
import { inferenceForward } from './model-pool.js';

/** Model outputs for every row of x, batched, in eval mode and without gradients. */
export async function predict(model: Module, x: Tensor, options: { batchSize?: number } = {}): Promise<Tensor> {
  const op = 'predict';
  expectModel(op, model);
  if (!(x instanceof Tensor)) throw typeError(op, `x must be a Tensor, but received ${describe(x)}`);
  const o = readOptions(op, options, ['batchSize'] as const);
  const batchSize = o.batchSize === undefined ? 256 : expectInteger(op, 'options.batchSize', o.batchSize, 1);
  // Checked before the model changes mode: a throw below restores it.
  if (x.ndim === 0) throw rangeError(op, 'x must have a batch dimension (shape [N, ...]), but received a 0-d tensor');
  if (x.shape[0] === 0) throw rangeError(op, 'x has no rows');
  const restore = enterEval(model);
  const outs: Tensor[] = [];
  try {
    // One batch (a request in a service): no loader, no copies.
    if (x.shape[0]! <= batchSize) return inferenceForward(model, x);
    const loader = new DataLoader(new TensorDataset(x), { batchSize });
    for await (const [xb] of loader) outs.push(inferenceForward(model, xb!));
  } finally {
    restore();
  }
  const row = outs[0]!.size / outs[0]!.shape[0]!;
  const data = new Float32Array(x.shape[0]! * row);
  let off = 0;
  for (const t of outs) {
    data.set(t.data, off);
    off += t.size;
  }
  return new Tensor(data, [x.shape[0]!, ...outs[0]!.shape.slice(1)]);
}
