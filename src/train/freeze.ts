/**
 * freeze(model): an inference-only snapshot of a model, as torch.jit.freeze makes one.
 * Its weights are copied once and its Linear layers' weights are packed for the GEMM
 * on first use and kept packed (an inference session's prepacking, as onnxruntime does at
 * session creation), where a live model repacks them on every call because training or
 * the caller may have changed them. Later changes to the original model do not reach
 * the snapshot; to serve newer weights, freeze again.
 */
import { typeError } from '../errors.js';
import { buildModel, modelConfig } from '../io/model.js';
import { frozenModules } from '../nn/frozen.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
import { keepPackedWeight } from '../ops/linear.js';
import { describe } from '../validate.js';

/**
 * A copy of `model` for inference: rebuilt from its architecture (built-in modules and
 * containers, as io.saveModel describes them), its parameters and buffers copied, in
 * eval mode, without gradients. Pass it to predict() or call its forward. The copy's
 * weights must not be written (loadStateDict and fit refuse it); the original model is
 * untouched and may go on training.
 */
export function freeze<M extends Module>(model: M): M {
  const op = 'freeze';
  if (!(model instanceof Module)) throw typeError(op, `model must be an nn.Module, but received ${describe(model)}`);
  const copy = buildModel(modelConfig(model, 'model', op)) as M;
  copy.loadStateDict(model.stateDict());  // copies every value
  copy.eval();
  for (const p of copy.parameters()) p.requiresGrad = false;
  for (const m of copy.modules()) {
    if (m instanceof Linear) keepPackedWeight(m.weight);
    frozenModules.add(m);
  }
  return copy;
}
