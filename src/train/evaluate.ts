import { noGrad } from '../autograd/grad-mode.js';
import { DataLoader } from '../data/dataloader.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { expectInteger, readOptions } from '../validate.js';
import { enterEval } from './eval-mode.js';
import { expectModel } from './expect-model.js';
import { batchTotal, callLoss, checkLoss, type LossFunction, lossReduction } from './loss-function.js';
import { type Metric, resolveMetric } from './metrics.js';
import { poolFor } from './model-pool.js';
import { toDataset, type TrainingData } from './training-data.js';

export interface EvaluateOptions {
  /** The loss to report, per sample (see LossFunction; optional: metrics alone are fine). */
  loss?: LossFunction;
  metrics?: (string | Metric)[];
  /** Samples per batch (default 256). */
  batchSize?: number;
}

/** Loss and metrics of `model` on `data`, in eval mode and without gradients. */
export async function evaluate(model: Module, data: TrainingData, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  const op = 'evaluate';
  expectModel(op, model);
  const o = readOptions(op, options, ['loss', 'metrics', 'batchSize'] as const);
  const loss = o.loss === undefined ? null : checkLoss(op, o.loss);
  const reduction = loss ? lossReduction(op, loss) : 'mean';
  const metrics = ((o.metrics as unknown[] | undefined) ?? []).map((m) => resolveMetric(op, m));
  const batchSize = o.batchSize === undefined ? 256 : expectInteger(op, 'options.batchSize', o.batchSize, 1);
  const loader = new DataLoader(toDataset(op, 'data', data), { batchSize });
  const restore = enterEval(model);
  const pool = poolFor(model);
  let lossSum = 0;
  let seen = 0;
  for (const m of metrics) m.reset();
  try {
    for await (const [x, y] of loader) {
      pool.run(() => noGrad(() => {
        const out = model.forward(x!) as Tensor;
        const n = y!.shape[0] ?? 1;
        if (loss) lossSum += batchTotal(callLoss(loss, out, y!).item(), n, reduction);
        seen += n;
        for (const m of metrics) m.update(out, y!);
      }));
    }
  } finally {
    restore();
  }
  const result: Record<string, number> = {};
  if (loss) result.loss = seen ? lossSum / seen : NaN;
  for (const m of metrics) result[m.name] = m.result();
  return result;
}
