/** Plain SGD in TypeScript, for testing the training loop independently of native optimizers. */
import { optim } from '../../src/index.js';

export interface PlainSgdHyper extends optim.GroupHyper {
  lr: number;
  momentum: number;
}

export class PlainSGD extends optim.Optimizer<PlainSgdHyper> {
  constructor(params: optim.OptimizerParams<PlainSgdHyper>, lr: number) {
    super(params, { lr, momentum: 0 });
  }
  protected validateGroup(): void {}
  protected updateGroup(group: optim.ParamGroup<PlainSgdHyper>): void {
    for (const p of group.params) {
      if (!p.grad) continue;
      for (let i = 0; i < p.size; i++) p.data[i]! -= group.lr * p.grad.data[i]!;
    }
  }
}
