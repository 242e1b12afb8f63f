/** The buffer pool of each model's loops, and the forward pass evaluate and predict run in it. */
import { noGrad } from '../autograd/grad-mode.js';
import { BufferPool } from '../memory.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';

// Each model's loops share one pool: a service calling predict per request reuses
// the intermediate activations of the previous request; the pool goes with the model.
const pools = new WeakMap<Module, BufferPool>();
export function poolFor(model: Module): BufferPool {
  let p = pools.get(model);
  if (p === undefined) pools.set(model, (p = new BufferPool()));
  return p;
}

/** model.forward(x) in the model's pool and without gradients (the caller sets eval mode). */
export function inferenceForward(model: Module, x: Tensor): Tensor {
  return poolFor(model).run(() => noGrad(() => model.forward(x) as Tensor));
}
