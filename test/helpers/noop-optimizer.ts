/** An optimizer that changes nothing: for testing the Optimizer base and schedulers. */
import { optim } from '../../src/index.js';

export interface NoopHyper extends optim.GroupHyper {
  lr: number;
  momentum?: number;
  betas?: [number, number];
}

export class NoopOptimizer extends optim.Optimizer<NoopHyper> {
  updates = 0;
  protected validateGroup(group: optim.ParamGroup<NoopHyper>): void {
    if (!(group.lr >= 0)) throw new RangeError(`NoopOptimizer: lr must be >= 0, but received ${group.lr}`);
  }
  protected updateGroup(group: optim.ParamGroup<NoopHyper>): void {
    this.updates += group.params.length;
    for (const p of group.params) {
      const s = this.stateOf(p);
      s.step = ((s.step as number | undefined) ?? 0) + 1;
    }
  }
}
