/**
 * Cross-entropy against class probabilities (PyTorch 1.13's cross_entropy when the
 * target has the input's shape): rows of logits [M, C] and targets [M, C],
 *   loss_m = -sum_c w_c t'_c log_softmax(x_m)_c,  t' = t (1 - ls) + ls / C.
 * 'mean' divides by M (not by the weights, unlike class indices). The log-softmax and
 * its backward run on the native row kernels: with a = w t' scaled by the reduction,
 * dx = logSoftmaxBwd(dy = -a) = -a + softmax(x) sum(a); d/dt = -(1 - ls) w log_softmax(x).
 */
import { native } from '../native.js';
import { Tensor } from '../tensor.js';
import type { LossReduction, LossResult } from './loss.js';
import { floats } from '../memory.js';

export interface ProbLossResult extends LossResult {
  /** d(value)/d(target), shaped like the target (for 'none': of the sum of the losses). */
  targetGrad: Tensor;
}

/** input and target [M, C]; weight has C values or is null; labelSmoothing in [0, 1]. Arguments are checked by the caller. */
export function crossEntropyProbLoss(
  input: Tensor,
  target: Tensor,
  weight: Float32Array | null,
  labelSmoothing: number,
  reduction: LossReduction,
): ProbLossResult {
  const [M, C] = input.shape as [number, number];
  const logp = floats(M * C);
  if (logp.length > 0) native.logSoftmaxFwd(input.data, logp, M, C);
  const scale = reduction === 'mean' ? 1 / M : 1;
  const keep = 1 - labelSmoothing;
  const spread = labelSmoothing / C;
  const t = target.data;
  const dlogp = floats(M * C); // d(value)/d(log_softmax): -w t' scaled
  const dt = floats(M * C);
  const losses = floats(reduction === 'none' ? M : 0);
  let total = 0;
  for (let m = 0; m < M; m++) {
    let row = 0;
    for (let c = 0; c < C; c++) {
      const i = m * C + c;
      const w = weight ? weight[c]! : 1;
      const wt = w * (t[i]! * keep + spread);
      row -= wt * logp[i]!;
      dlogp[i] = -wt * scale;
      dt[i] = -keep * w * logp[i]! * scale;
    }
    if (reduction === 'none') losses[m] = row;
    total += row;
  }
  const grad = floats(M * C);
  if (grad.length > 0) native.logSoftmaxBwd(logp, dlogp, grad, M, C);
  // mean over no rows is NaN, as in PyTorch
  const result: ProbLossResult = { value: total * scale, grad: new Tensor(grad, input.shape), targetGrad: new Tensor(dt, target.shape) };
  if (reduction === 'none') result.losses = new Tensor(losses, [M]);
  return result;
}
