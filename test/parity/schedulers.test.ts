// Learning-rate schedules match PyTorch 1.13 step for step
// (fixture: scripts/fixtures/schedulers.py; two parameter groups).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { nn, optim, zeros } from '../../src/index.js';
import { NoopOptimizer } from '../helpers/noop-optimizer.js';

const S = optim.lrScheduler;

interface Case {
  name: string;
  optimizer: 'sgd' | 'adam';
  config: Record<string, unknown>;
  lrs: number[][];
  momenta: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/schedulers.json', import.meta.url), 'utf8')) as {
  steps: number;
  plateauMetrics: number[];
  cases: Case[];
};

function makeOptimizer(kind: 'sgd' | 'adam') {
  const groups = [
    { params: [new nn.Parameter(zeros(2))], lr: 0.1 },
    { params: [new nn.Parameter(zeros(3))], lr: 0.05 },
  ];
  return kind === 'adam'
    ? new NoopOptimizer(groups, { lr: 0.1, betas: [0.9, 0.99] })
    : new NoopOptimizer(groups, { lr: 0.1, momentum: 0.9 });
}

type Sched = { step(metric?: number): void };

function build(c: Case, o: NoopOptimizer): Sched {
  const k = c.config as Record<string, never>;
  switch (c.name) {
    case 'StepLR':
      return new S.StepLR(o, k.stepSize, { gamma: k.gamma });
    case 'MultiStepLR':
      return new S.MultiStepLR(o, k.milestones, { gamma: k.gamma });
    case 'ConstantLR':
      return new S.ConstantLR(o, { factor: k.factor, totalIters: k.totalIters });
    case 'LinearLR':
      return new S.LinearLR(o, { startFactor: k.startFactor, endFactor: k.endFactor, totalIters: k.totalIters });
    case 'ExponentialLR':
      return new S.ExponentialLR(o, k.gamma);
    case 'CosineAnnealingLR':
      return new S.CosineAnnealingLR(o, k.TMax, { etaMin: k.etaMin });
    case 'CosineAnnealingWarmRestarts':
      return new S.CosineAnnealingWarmRestarts(o, k.T0, { TMult: k.TMult, etaMin: k.etaMin });
    case 'LambdaLR':
      return new S.LambdaLR(o, (e) => 1 / (1 + e));
    case 'OneCycleLR_cos_sgd':
      return new S.OneCycleLR(o, k.maxLr, { totalSteps: k.totalSteps, pctStart: k.pctStart, divFactor: k.divFactor, finalDivFactor: k.finalDivFactor });
    case 'OneCycleLR_linear_three_phase_adam':
      return new S.OneCycleLR(o, k.maxLr, {
        epochs: k.epochs, stepsPerEpoch: k.stepsPerEpoch, annealStrategy: k.annealStrategy, threePhase: k.threePhase,
        baseMomentum: k.baseMomentum, maxMomentum: k.maxMomentum,
      });
    case 'ReduceLROnPlateau':
      return new S.ReduceLROnPlateau(o, { factor: k.factor, patience: k.patience, threshold: k.threshold, cooldown: k.cooldown, minLr: k.minLr });
    case 'ReduceLROnPlateau_max_abs':
      return new S.ReduceLROnPlateau(o, { mode: k.mode, thresholdMode: k.thresholdMode, threshold: k.threshold, patience: k.patience });
    case 'SequentialLR': {
      const s1 = new S.ConstantLR(o, { factor: 0.1, totalIters: 2 });
      const s2 = new S.ExponentialLR(o, 0.9);
      const s3 = new S.StepLR(o, 3, { gamma: 0.5 });
      return new S.SequentialLR(o, [s1, s2, s3], [4, 10]);
    }
    default:
      throw new Error(`no builder for ${c.name}`);
  }
}

describe('lrScheduler matches PyTorch 1.13', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const o = makeOptimizer(c.optimizer);
      const s = build(c, o);
      const lrs = [o.paramGroups.map((g) => g.lr)];
      const momenta: number[][] = [];
      for (let i = 0; i < fixture.steps; i++) {
        o.step();
        if (c.name.startsWith('ReduceLROnPlateau')) s.step(fixture.plateauMetrics[i]);
        else s.step();
        lrs.push(o.paramGroups.map((g) => g.lr));
        momenta.push(o.paramGroups.map((g) => (c.optimizer === 'adam' ? g.betas![0] : g.momentum!)));
      }
      for (let i = 0; i < lrs.length; i++) {
        for (let j = 0; j < 2; j++) expect(lrs[i]![j], `step ${i} group ${j}`).toBeCloseTo(c.lrs[i]![j]!, 12);
      }
      for (let i = 0; i < momenta.length; i++) {
        for (let j = 0; j < 2; j++) expect(momenta[i]![j], `momentum step ${i} group ${j}`).toBeCloseTo(c.momenta[i]![j]!, 12);
      }
    });
  }
});
