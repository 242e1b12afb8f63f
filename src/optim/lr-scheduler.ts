/**
 * Learning-rate schedulers with PyTorch 1.13's recurrences (torch/optim/lr_scheduler.py):
 * the chainable form on step(), the closed form where PyTorch uses it for
 * step(epoch). Construction performs the initial step, as in PyTorch.
 */
import { rangeError, typeError } from '../errors.js';
import { describe, expectBoolean, expectFinite, expectInteger, readOptions } from '../validate.js';
import type { GroupHyper, Optimizer } from './optimizer.js';

type AnyOptimizer = Optimizer<GroupHyper>;

function expectOptimizer(op: string, value: unknown): AnyOptimizer {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as AnyOptimizer).paramGroups)) {
    throw typeError(op, `optimizer must be an Optimizer, but received ${describe(value)}`);
  }
  return value as AnyOptimizer;
}

/** Serializable scheduler state (everything but the optimizer and functions). */
export type SchedulerState = Record<string, unknown>;

function holdsFunctions(v: unknown): boolean {
  return typeof v === 'function' || (Array.isArray(v) && v.some((x) => typeof x === 'function'));
}

export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  baseLrs: number[];
  lastEpoch: number;
  protected stepCount = 0;
  protected lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    const op = new.target.name;
    this.optimizer = expectOptimizer(op, optimizer);
    this.lastEpoch = expectInteger(op, 'options.lastEpoch', lastEpoch, -1);
    if (lastEpoch === -1) {
      for (const g of optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      optimizer.paramGroups.forEach((g, i) => {
        if (g.initialLr === undefined) throw rangeError(op, `paramGroups[${i}] has no initialLr, needed to resume at lastEpoch ${lastEpoch}`);
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** Subclass constructors end with this: PyTorch's initial step. */
  protected initialStep(): void {
    this.optimizer.stepCount = 0;
    this.stepCount = 0;
    this.step();
  }

  /** The next learning rates, from the current ones (chainable form). */
  protected abstract getLr(): number[];

  /** The learning rates at lastEpoch from the base ones, where a closed form exists. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Advances the schedule one epoch (or, deprecated as in PyTorch, to `epoch`). */
  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = expectInteger(`${this.constructor.name}.step`, 'epoch', epoch, 0);
      values = this.closedFormLr() ?? this.getLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rates set by the last step, one per parameter group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): SchedulerState {
    const out: SchedulerState = {};
    for (const [k, v] of Object.entries(this)) {
      if (k !== 'optimizer' && !holdsFunctions(v)) out[k] = Array.isArray(v) ? v.slice() : v;
    }
    return out;
  }

  loadStateDict(state: SchedulerState): void {
    if (typeof state !== 'object' || state === null) throw typeError(`${this.constructor.name}.loadStateDict`, `state must be an object, but received ${describe(state)}`);
    const self = this as Record<string, unknown>;
    for (const [k, v] of Object.entries(state)) {
      // Functions (LambdaLR's lrLambdas) are code, not state: a saved copy (null in JSON) must not replace them.
      if (k === 'optimizer' || holdsFunctions(self[k])) continue;
      self[k] = Array.isArray(v) ? v.slice() : v;
    }
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

export interface StepLROptions {
  /** Multiplicative factor of decay (default 0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/** Multiplies the learning rate by gamma every stepSize epochs. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, stepSize: number, options?: StepLROptions) {
    const o = readOptions('StepLR', options, ['gamma', 'lastEpoch'] as const);
    super(optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.stepSize = expectInteger('StepLR', 'stepSize', stepSize, 1);
    this.gamma = o.gamma === undefined ? 0.1 : expectFinite('StepLR', 'options.gamma', o.gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** Multiplies the learning rate by gamma at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, milestones: readonly number[], options?: StepLROptions) {
    const o = readOptions('MultiStepLR', options, ['gamma', 'lastEpoch'] as const);
    super(optimizer, (o.lastEpoch as number | undefined) ?? -1);
    if (!Array.isArray(milestones)) throw typeError('MultiStepLR', `milestones must be an array of integers, but received ${describe(milestones)}`);
    milestones.forEach((m, i) => expectInteger('MultiStepLR', `milestones[${i}]`, m, 0));
    this.milestones = Object.freeze(milestones.slice().sort((a, b) => a - b));
    this.gamma = o.gamma === undefined ? 0.1 : expectFinite('MultiStepLR', 'options.gamma', o.gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

export interface ConstantLROptions {
  /** Factor applied until totalIters (default 1/3). */
  factor?: number;
  /** Epochs the factor applies for (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/** Scales the learning rate by a constant factor for the first totalIters epochs. */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: AnyOptimizer, options?: ConstantLROptions) {
    const o = readOptions('ConstantLR', options, ['factor', 'totalIters', 'lastEpoch'] as const);
    super(optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.factor = o.factor === undefined ? 1 / 3 : expectFinite('ConstantLR', 'options.factor', o.factor);
    if (this.factor > 1 || this.factor < 0) throw rangeError('ConstantLR', `options.factor must be in [0, 1], but received ${this.factor}`);
    this.totalIters = o.totalIters === undefined ? 5 : expectInteger('ConstantLR', 'options.totalIters', o.totalIters, 0);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 - this.factor : 0)));
  }
}

export interface LinearLROptions {
  /** Factor at the first epoch (default 1/3). */
  startFactor?: number;
  /** Factor at totalIters and after (default 1). */
  endFactor?: number;
  /** Epochs to go from startFactor to endFactor (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/** Moves the learning-rate factor linearly from startFactor to endFactor over totalIters epochs. */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: AnyOptimizer, options?: LinearLROptions) {
    const o = readOptions('LinearLR', options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch'] as const);
    super(optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.startFactor = o.startFactor === undefined ? 1 / 3 : expectFinite('LinearLR', 'options.startFactor', o.startFactor);
    this.endFactor = o.endFactor === undefined ? 1 : expectFinite('LinearLR', 'options.endFactor', o.endFactor);
    if (this.startFactor > 1 || this.startFactor <= 0) {
      throw rangeError('LinearLR', `options.startFactor must be in (0, 1], but received ${this.startFactor}`);
    }
    if (this.endFactor > 1 || this.endFactor < 0) throw rangeError('LinearLR', `options.endFactor must be in [0, 1], but received ${this.endFactor}`);
    this.totalIters = o.totalIters === undefined ? 5 : expectInteger('LinearLR', 'options.totalIters', o.totalIters, 1);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs().map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.currentLrs();
    const d = this.endFactor - this.startFactor;
    return this.currentLrs().map((lr) => lr * (1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }

  protected override closedFormLr(): number[] {
    const t = Math.min(this.totalIters, this.lastEpoch) / this.totalIters;
    return this.baseLrs.map((b) => b * (this.startFactor + (this.endFactor - this.startFactor) * t));
  }
}

/** Multiplies the learning rate by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, gamma: number, options?: { lastEpoch?: number }) {
    const o = readOptions('ExponentialLR', options, ['lastEpoch'] as const);
    super(optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.gamma = expectFinite('ExponentialLR', 'gamma', gamma);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}

export interface CosineAnnealingLROptions {
  /** Minimum learning rate (default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/** Cosine annealing from the base learning rate to etaMin over TMax epochs (SGDR without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  readonly TMax: number;
  readonly etaMin: number;

  constructor(optimizer: AnyOptimizer, TMax: number, options?: CosineAnnealingLROptions) {
    const o = readOptions('CosineAnnealingLR', options, ['etaMin', 'lastEpoch'] as const);
    super(optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.TMax = expectInteger('CosineAnnealingLR', 'TMax', TMax, 1);
    this.etaMin = o.etaMin === undefined ? 0 : expectFinite('CosineAnnealingLR', 'options.etaMin', o.etaMin);
    this.initialStep();
  }

  protected getLr(): number[] {
    const { TMax, etaMin, lastEpoch: e } = this;
    if (e === 0) return this.currentLrs();
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / TMax))) / 2);
    }
    if ((((e - 1 - TMax) % (2 * TMax)) + 2 * TMax) % (2 * TMax) === 0) {
      return this.currentLrs().map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    return this.currentLrs().map(
      (lr) => ((1 + Math.cos((Math.PI * e) / TMax)) / (1 + Math.cos((Math.PI * (e - 1)) / TMax))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax))) / 2);
  }
}

export interface CosineAnnealingWarmRestartsOptions {
  /** Factor by which the period grows after each restart (default 1). */
  TMult?: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/** Cosine annealing restarted every T_i epochs, T_i growing by TMult (SGDR). */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly T0: number;
  readonly TMult: number;
  readonly etaMin: number;
  TI: number;
  TCur: number;

  constructor(optimizer: AnyOptimizer, T0: number, options?: CosineAnnealingWarmRestartsOptions) {
    const op = 'CosineAnnealingWarmRestarts';
    const o = readOptions(op, options, ['TMult', 'etaMin', 'lastEpoch'] as const);
    const lastEpoch = (o.lastEpoch as number | undefined) ?? -1;
    super(optimizer, lastEpoch);
    this.T0 = expectInteger(op, 'T0', T0, 1);
    this.TMult = o.TMult === undefined ? 1 : expectInteger(op, 'options.TMult', o.TMult, 1);
    this.etaMin = o.etaMin === undefined ? 0 : expectFinite(op, 'options.etaMin', o.etaMin);
    this.TI = this.T0;
    this.TCur = lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.TCur) / this.TI))) / 2);
  }

  /** Advances one epoch, or jumps to a (possibly fractional) epoch: step(epoch + i / iters). */
  override step(epoch?: number): void {
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.TCur += 1;
      if (this.TCur >= this.TI) {
        this.TCur -= this.TI;
        this.TI *= this.TMult;
      }
    } else {
      expectFinite('CosineAnnealingWarmRestarts.step', 'epoch', e);
      if (e < 0) throw rangeError('CosineAnnealingWarmRestarts.step', `epoch must be non-negative, but received ${e}`);
      if (e >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = e % this.T0;
        } else {
          const n = Math.floor(Math.log((e / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = e - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.TI = this.T0 * this.TMult ** n;
        }
      } else {
        this.TI = this.T0;
        this.TCur = e;
      }
    }
    this.stepCount++;
    this.lastEpoch = Math.floor(e);
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** lr = base lr * lrLambda(epoch); one function, or one per parameter group. */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: ((epoch: number) => number)[];

  constructor(optimizer: AnyOptimizer, lrLambda: ((epoch: number) => number) | ((epoch: number) => number)[], options?: { lastEpoch?: number }) {
    const o = readOptions('LambdaLR', options, ['lastEpoch'] as const);
    super(optimizer, (o.lastEpoch as number | undefined) ?? -1);
    const n = optimizer.paramGroups.length;
    const list = Array.isArray(lrLambda) ? lrLambda : Array.from({ length: n }, () => lrLambda);
    if (list.length !== n) throw rangeError('LambdaLR', `expected ${n} lrLambdas (one per parameter group), but received ${list.length}`);
    list.forEach((f, i) => {
      if (typeof f !== 'function') throw typeError('LambdaLR', `lrLambda[${i}] must be a function, but received ${describe(f)}`);
    });
    this.lrLambdas = list;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => {
      const f = this.lrLambdas[i]!(this.lastEpoch);
      if (typeof f !== 'number' || !Number.isFinite(f)) throw rangeError('LambdaLR', `lrLambda returned ${describe(f)} at epoch ${this.lastEpoch}`);
      return b * f;
    });
  }
}

export interface OneCycleLROptions {
  /** Total steps of the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the learning rate (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's beta1) inversely to the learning rate (default true). */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number | number[];
  /** Default 0.95. */
  maxMomentum?: number | number[];
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Use a third phase that anneals to min lr (default false). */
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

/** The 1cycle policy (Smith & Topin): up to maxLr, then down far below the start. */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly phases: readonly Phase[];
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  readonly useBeta1: boolean;

  constructor(optimizer: AnyOptimizer, maxLr: number | number[], options?: OneCycleLROptions) {
    const op = 'OneCycleLR';
    const o = readOptions(op, options, [
      'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
      'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
    ] as const);
    const lastEpoch = (o.lastEpoch as number | undefined) ?? -1;
    const opt = expectOptimizer(op, optimizer);
    const groups = opt.paramGroups;
    const perGroup = (name: string, v: unknown, dflt: number): number[] => {
      if (v === undefined) return groups.map(() => dflt);
      if (Array.isArray(v)) {
        if (v.length !== groups.length) throw rangeError(op, `${name} must have ${groups.length} values (one per group), but has ${v.length}`);
        return v.map((x, i) => expectFinite(op, `${name}[${i}]`, x));
      }
      return groups.map(() => expectFinite(op, name, v));
    };
    let totalSteps: number;
    if (o.totalSteps !== undefined) totalSteps = expectInteger(op, 'options.totalSteps', o.totalSteps, 1);
    else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      totalSteps = expectInteger(op, 'options.epochs', o.epochs, 1) * expectInteger(op, 'options.stepsPerEpoch', o.stepsPerEpoch, 1);
    } else throw rangeError(op, 'give options.totalSteps, or options.epochs and options.stepsPerEpoch');
    const pctStart = o.pctStart === undefined ? 0.3 : expectFinite(op, 'options.pctStart', o.pctStart);
    if (pctStart < 0 || pctStart > 1) throw rangeError(op, `options.pctStart must be in [0, 1], but received ${pctStart}`);
    const anneal = o.annealStrategy ?? 'cos';
    if (anneal !== 'cos' && anneal !== 'linear') throw rangeError(op, `options.annealStrategy must be "cos" or "linear", but received ${describe(anneal)}`);
    const threePhase = o.threePhase === undefined ? false : expectBoolean(op, 'options.threePhase', o.threePhase);
    const divFactor = o.divFactor === undefined ? 25 : expectFinite(op, 'options.divFactor', o.divFactor);
    const finalDivFactor = o.finalDivFactor === undefined ? 1e4 : expectFinite(op, 'options.finalDivFactor', o.finalDivFactor);
    const cycleMomentum = o.cycleMomentum === undefined ? true : expectBoolean(op, 'options.cycleMomentum', o.cycleMomentum);
    const maxLrs = perGroup('maxLr', maxLr, NaN);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = (g.initialLr as number) / finalDivFactor;
      });
    }
    let useBeta1 = false;
    if (cycleMomentum) {
      const defaults = opt.defaults as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw rangeError(op, 'optimizer must support momentum (or betas) with options.cycleMomentum enabled');
      }
      useBeta1 = 'betas' in defaults;
      const maxM = perGroup('options.maxMomentum', o.maxMomentum, 0.95);
      const baseM = perGroup('options.baseMomentum', o.baseMomentum, 0.85);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i]!, (g.betas as number[])[1]!];
          else g.momentum = maxM[i]!;
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        });
      }
    }
    super(opt, lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.phases = threePhase
      ? [
          { endStep: pctStart * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  #anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw rangeError('OneCycleLR.step', `tried to step ${stepNum} times; the schedule has ${this.totalSteps} steps`);
    }
    return this.optimizer.paramGroups.map((g) => {
      let startStep = 0;
      let lr = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          lr = this.#anneal(g[phase.startLr] as number, g[phase.endLr] as number, pct);
          if (this.cycleMomentum) {
            const m = this.#anneal(g[phase.startMomentum] as number, g[phase.endMomentum] as number, pct);
            if (this.useBeta1) g.betas = [m, (g.betas as number[])[1]!];
            else g.momentum = m;
          }
          break;
        }
        startStep = phase.endStep;
      }
      return lr;
    });
  }
}

/** Runs schedulers one after another, switching at the milestone epochs. */
export class SequentialLR extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];

  constructor(optimizer: AnyOptimizer, schedulers: readonly LRScheduler[], milestones: readonly number[], options?: { lastEpoch?: number }) {
    const op = 'SequentialLR';
    const o = readOptions(op, options, ['lastEpoch'] as const);
    super(optimizer, -1);
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw rangeError(op, 'schedulers must be a non-empty array');
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw typeError(op, `schedulers[${i}] must be a scheduler, but received ${describe(s)}`);
      if (s.optimizer !== optimizer) throw rangeError(op, `schedulers[${i}] belongs to another optimizer`);
    });
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw rangeError(op, `expected ${schedulers.length - 1} milestones (one fewer than schedulers), but received ${describe(milestones)}`);
    }
    milestones.forEach((m, i) => expectInteger(op, `milestones[${i}]`, m, 0));
    this.schedulers = schedulers.slice();
    this.milestones = milestones.slice();
    this.lastEpoch = ((o.lastEpoch as number | undefined) ?? -1) + 1;
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    (this.schedulers[0] as SequentialLR).initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  protected getLr(): number[] {
    return this.currentLrs();
  }

  override step(): void {
    this.lastEpoch++;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= this.lastEpoch) idx++;
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  override stateDict(): SchedulerState {
    const out = super.stateDict();
    out.schedulers = this.schedulers.map((s) => s.stateDict());
    return out;
  }

  override loadStateDict(state: SchedulerState): void {
    const { schedulers, ...rest } = state as SchedulerState & { schedulers?: SchedulerState[] };
    super.loadStateDict(rest);
    schedulers?.forEach((s, i) => this.schedulers[i]?.loadStateDict(s));
  }
}

export interface ReduceLROnPlateauOptions {
  /** 'min' (default): lower is better; 'max': higher is better. */
  mode?: 'min' | 'max';
  /** Multiply the lr by this on a plateau (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated (default 10). */
  patience?: number;
  /** Minimum change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default) or 'abs'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** Lower bound on the lr: one number or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/** Reduces the learning rate when a metric has stopped improving: call step(metric) each epoch. */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  #lastLr: number[];

  constructor(optimizer: AnyOptimizer, options?: ReduceLROnPlateauOptions) {
    const op = 'ReduceLROnPlateau';
    this.optimizer = expectOptimizer(op, optimizer);
    const o = readOptions(op, options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'] as const);
    this.mode = (o.mode ?? 'min') as 'min' | 'max';
    if (this.mode !== 'min' && this.mode !== 'max') throw rangeError(op, `options.mode must be "min" or "max", but received ${describe(o.mode)}`);
    this.factor = o.factor === undefined ? 0.1 : expectFinite(op, 'options.factor', o.factor);
    if (this.factor >= 1) throw rangeError(op, `options.factor must be < 1, but received ${this.factor}`);
    this.patience = o.patience === undefined ? 10 : expectInteger(op, 'options.patience', o.patience, 0);
    this.threshold = o.threshold === undefined ? 1e-4 : expectFinite(op, 'options.threshold', o.threshold);
    this.thresholdMode = (o.thresholdMode ?? 'rel') as 'rel' | 'abs';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw rangeError(op, `options.thresholdMode must be "rel" or "abs", but received ${describe(o.thresholdMode)}`);
    }
    this.cooldown = o.cooldown === undefined ? 0 : expectInteger(op, 'options.cooldown', o.cooldown, 0);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(o.minLr)) {
      if (o.minLr.length !== n) throw rangeError(op, `options.minLr must have ${n} values (one per group), but has ${o.minLr.length}`);
      this.minLrs = o.minLr.map((v, i) => expectFinite(op, `options.minLr[${i}]`, v));
    } else {
      const v = o.minLr === undefined ? 0 : expectFinite(op, 'options.minLr', o.minLr);
      this.minLrs = Array.from({ length: n }, () => v);
    }
    this.eps = o.eps === undefined ? 1e-8 : expectFinite(op, 'options.eps', o.eps);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.#lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  #isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /**
   * Records this epoch's metric and reduces the lr after `patience` epochs without improvement.
   * A NaN metric is a bad epoch, never an improvement (PyTorch's comparisons with NaN are false),
   * so a diverged run still counts towards the reduction instead of failing.
   */
  step(metric: number): void {
    if (typeof metric !== 'number') throw typeError('ReduceLROnPlateau.step', `metric must be a number, but received ${describe(metric)}`);
    const current = metric;
    this.lastEpoch++;
    if (this.#isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i]!);
        if (g.lr - newLr > this.eps) g.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.#lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return this.#lastLr.slice();
  }

  /** JSON-safe: `best` starts at +/-Infinity, which JSON would turn into null, so non-finite values are written as strings. */
  stateDict(): SchedulerState {
    return {
      best: Number.isFinite(this.best) ? this.best : String(this.best),
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
      lastLr: this.#lastLr.slice(),
    };
  }

  /** Restores a stateDict(); every value is checked before any is applied. */
  loadStateDict(state: SchedulerState): void {
    const op = 'ReduceLROnPlateau.loadStateDict';
    if (typeof state !== 'object' || state === null) throw typeError(op, `state must be an object, but received ${describe(state)}`);
    const best = 'best' in state ? this.#readBest(op, state.best) : this.best;
    const counters = (['numBadEpochs', 'cooldownCounter', 'lastEpoch'] as const).map((k) =>
      k in state ? expectInteger(op, `state.${k}`, state[k], 0) : this[k],
    );
    let lastLr = this.#lastLr;
    if (state.lastLr !== undefined) {
      const n = this.optimizer.paramGroups.length;
      if (!Array.isArray(state.lastLr) || state.lastLr.length !== n) {
        throw rangeError(op, `state.lastLr must be an array of ${n} learning rates (one per group), but received ${describe(state.lastLr)}`);
      }
      lastLr = state.lastLr.map((v, i) => expectFinite(op, `state.lastLr[${i}]`, v));
    }
    this.best = best;
    [this.numBadEpochs, this.cooldownCounter, this.lastEpoch] = counters as [number, number, number];
    this.#lastLr = lastLr.slice();
  }

  /** A saved best: a number, its string form for a non-finite one, or null (older files, where JSON had dropped +/-Infinity). */
  #readBest(op: string, v: unknown): number {
    if (typeof v === 'number') return v;
    if (v === null) return this.mode === 'min' ? Infinity : -Infinity;
    if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return Number(v);
    throw typeError(op, `state.best must be a number (or "Infinity", "-Infinity", "NaN"), but received ${describe(v)}`);
  }
}
