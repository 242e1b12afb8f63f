/**
 * The optimizers of torch.optim (1.13, single-tensor formulas): each step is one
 * fused native pass per parameter over param, grad and state (ops/optim-step).
 * State is kept as PyTorch names it (camelCase): step, expAvg, expAvgSq, ...
 */
import { rangeError, typeError } from '../errors.js';
import type { Parameter } from '../nn/parameter.js';
import * as S from '../ops/optim-step.js';
import { Tensor } from '../tensor.js';
import { describe, readOptions } from '../validate.js';
import { type GroupHyper, Optimizer, type OptimizerParams, type ParamGroup, type ParamState } from './optimizer.js';

function check(name: string, key: string, v: unknown, ok: (x: number) => boolean, want: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw rangeError(name, `${key} must be ${want}, but received ${describe(v)}`);
  }
}
const nonNeg = (name: string, key: string, v: unknown) => check(name, key, v, (x) => x >= 0, 'a finite number >= 0');
function checkBetas(name: string, v: unknown): void {
  if (!Array.isArray(v) || v.length !== 2) throw typeError(name, `betas must be [beta1, beta2], but received ${describe(v)}`);
  check(name, 'betas[0]', v[0], (x) => x >= 0 && x < 1, 'in [0, 1)');
  check(name, 'betas[1]', v[1], (x) => x >= 0 && x < 1, 'in [0, 1)');
}
function checkBool(name: string, key: string, v: unknown): void {
  if (typeof v !== 'boolean') throw typeError(name, `${key} must be a boolean, but received ${describe(v)}`);
}

/** A state buffer as a Tensor shaped like p, created on first use. */
function buffer(s: ParamState, key: string, p: Parameter, fill = 0): Float32Array {
  let t = s[key];
  if (!(t instanceof Tensor)) {
    t = new Tensor(new Float32Array(p.size).fill(fill), p.shape);
    s[key] = t;
  }
  return t.data;
}

function optionalBuffer(s: ParamState, key: string): Float32Array | null {
  const t = s[key];
  return t instanceof Tensor ? t.data : null;
}

function keep(s: ParamState, key: string, p: Parameter, data: Float32Array | null): void {
  if (data !== null && !(s[key] instanceof Tensor)) s[key] = new Tensor(data, p.shape);
}

// ------------------------------------------------------------------ SGD
export interface SGDOptions {
  /** Learning rate (required, as in PyTorch). */
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}
interface SGDHyper extends GroupHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export class SGD extends Optimizer<SGDHyper> {
  constructor(params: OptimizerParams<SGDHyper>, options: SGDOptions) {
    if (typeof options !== 'object' || options === null || options.lr === undefined) {
      throw typeError('SGD', 'options.lr is required: new optim.SGD(params, { lr: 0.1 })');
    }
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...readOptions('SGD', options, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'] as const) } as SGDHyper);
  }
  protected validateGroup(g: ParamGroup<SGDHyper>): void {
    nonNeg('SGD', 'lr', g.lr);
    nonNeg('SGD', 'momentum', g.momentum);
    check('SGD', 'dampening', g.dampening, () => true, 'a finite number');
    nonNeg('SGD', 'weightDecay', g.weightDecay);
    checkBool('SGD', 'nesterov', g.nesterov);
    checkBool('SGD', 'maximize', g.maximize);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw rangeError('SGD', 'nesterov momentum requires momentum > 0 and dampening 0');
  }
  protected updateGroup(g: ParamGroup<SGDHyper>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const st: S.SgdState = { momentumBuffer: optionalBuffer(s, 'momentumBuffer') };
      S.sgdStep(p.data, p.grad.data, st, { lr: g.lr, momentum: g.momentum, dampening: g.dampening, weightDecay: g.weightDecay, nesterov: g.nesterov, maximize: g.maximize });
      keep(s, 'momentumBuffer', p, st.momentumBuffer);
    }
  }
}

// ------------------------------------------------------------------ Adam / AdamW
export interface AdamOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Adam: L2 penalty (default 0). AdamW: decoupled weight decay (default 1e-2). */
  weightDecay?: number;
  /** Default false. */
  amsgrad?: boolean;
  /** Default false. */
  maximize?: boolean;
}
interface AdamHyper extends GroupHyper {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

class AdamBase extends Optimizer<AdamHyper> {
  constructor(
    params: OptimizerParams<AdamHyper>,
    options: AdamOptions | undefined,
    private readonly decoupled: boolean,
  ) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: decoupled ? 1e-2 : 0, amsgrad: false, maximize: false, ...readOptions(decoupled ? 'AdamW' : 'Adam', options, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const) } as AdamHyper);
  }
  protected validateGroup(g: ParamGroup<AdamHyper>): void {
    nonNeg(this.name, 'lr', g.lr);
    checkBetas(this.name, g.betas);
    nonNeg(this.name, 'eps', g.eps);
    nonNeg(this.name, 'weightDecay', g.weightDecay);
    checkBool(this.name, 'amsgrad', g.amsgrad);
    checkBool(this.name, 'maximize', g.maximize);
  }
  protected updateGroup(g: ParamGroup<AdamHyper>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const st: S.AdamState = {
        step: (s.step as number | undefined) ?? 0,
        expAvg: buffer(s, 'expAvg', p),
        expAvgSq: buffer(s, 'expAvgSq', p),
        maxExpAvgSq: g.amsgrad ? buffer(s, 'maxExpAvgSq', p) : null,
      };
      const opts = { lr: g.lr, betas: g.betas, eps: g.eps, weightDecay: g.weightDecay, amsgrad: g.amsgrad, maximize: g.maximize };
      if (this.decoupled) S.adamwStep(p.data, p.grad.data, st, opts);
      else S.adamStep(p.data, p.grad.data, st, opts);
      s.step = st.step;
    }
  }
}

export class Adam extends AdamBase {
  constructor(params: OptimizerParams<AdamHyper>, options?: AdamOptions) {
    super(params, options, false);
  }
}

export class AdamW extends AdamBase {
  constructor(params: OptimizerParams<AdamHyper>, options?: AdamOptions) {
    super(params, options, true);
  }
}

// ------------------------------------------------------------------ RMSprop
export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}
interface RMSpropHyper extends GroupHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export class RMSprop extends Optimizer<RMSpropHyper> {
  constructor(params: OptimizerParams<RMSpropHyper>, options?: RMSpropOptions) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...readOptions('RMSprop', options, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'] as const) } as RMSpropHyper);
  }
  protected validateGroup(g: ParamGroup<RMSpropHyper>): void {
    nonNeg('RMSprop', 'lr', g.lr);
    nonNeg('RMSprop', 'alpha', g.alpha);
    nonNeg('RMSprop', 'eps', g.eps);
    nonNeg('RMSprop', 'weightDecay', g.weightDecay);
    nonNeg('RMSprop', 'momentum', g.momentum);
    checkBool('RMSprop', 'centered', g.centered);
    checkBool('RMSprop', 'maximize', g.maximize);
  }
  protected updateGroup(g: ParamGroup<RMSpropHyper>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const st: S.RmspropState = {
        step: (s.step as number | undefined) ?? 0,
        squareAvg: buffer(s, 'squareAvg', p),
        gradAvg: optionalBuffer(s, 'gradAvg'),
        momentumBuffer: optionalBuffer(s, 'momentumBuffer'),
      };
      S.rmspropStep(p.data, p.grad.data, st, { lr: g.lr, alpha: g.alpha, eps: g.eps, weightDecay: g.weightDecay, momentum: g.momentum, centered: g.centered, maximize: g.maximize });
      s.step = st.step;
      keep(s, 'gradAvg', p, st.gradAvg);
      keep(s, 'momentumBuffer', p, st.momentumBuffer);
    }
  }
}

// ------------------------------------------------------------------ Adagrad
export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}
interface AdagradHyper extends GroupHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export class Adagrad extends Optimizer<AdagradHyper> {
  constructor(params: OptimizerParams<AdagradHyper>, options?: AdagradOptions) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, ...readOptions('Adagrad', options, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'] as const) } as AdagradHyper);
    // PyTorch creates Adagrad's state eagerly, at construction.
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const s = this.stateOf(p);
        s.step = 0;
        buffer(s, 'sum', p, g.initialAccumulatorValue);
      }
    }
  }
  protected validateGroup(g: ParamGroup<AdagradHyper>): void {
    nonNeg('Adagrad', 'lr', g.lr);
    nonNeg('Adagrad', 'lrDecay', g.lrDecay);
    nonNeg('Adagrad', 'weightDecay', g.weightDecay);
    nonNeg('Adagrad', 'initialAccumulatorValue', g.initialAccumulatorValue);
    nonNeg('Adagrad', 'eps', g.eps);
    checkBool('Adagrad', 'maximize', g.maximize);
  }
  protected updateGroup(g: ParamGroup<AdagradHyper>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const st: S.AdagradState = { step: (s.step as number | undefined) ?? 0, sum: buffer(s, 'sum', p, g.initialAccumulatorValue) };
      S.adagradStep(p.data, p.grad.data, st, { lr: g.lr, lrDecay: g.lrDecay, weightDecay: g.weightDecay, eps: g.eps, maximize: g.maximize });
      s.step = st.step;
    }
  }
}

// ------------------------------------------------------------------ Adamax, NAdam, RAdam
interface BetaHyper extends GroupHyper {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
}
export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}
interface AdamaxHyper extends BetaHyper {
  maximize: boolean;
}

export class Adamax extends Optimizer<AdamaxHyper> {
  constructor(params: OptimizerParams<AdamaxHyper>, options?: AdamaxOptions) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, ...readOptions('Adamax', options, ['lr', 'betas', 'eps', 'weightDecay', 'maximize'] as const) } as AdamaxHyper);
  }
  protected validateGroup(g: ParamGroup<AdamaxHyper>): void {
    nonNeg('Adamax', 'lr', g.lr);
    checkBetas('Adamax', g.betas);
    nonNeg('Adamax', 'eps', g.eps);
    nonNeg('Adamax', 'weightDecay', g.weightDecay);
    checkBool('Adamax', 'maximize', g.maximize);
  }
  protected updateGroup(g: ParamGroup<AdamaxHyper>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const st: S.AdamaxState = { step: (s.step as number | undefined) ?? 0, expAvg: buffer(s, 'expAvg', p), expInf: buffer(s, 'expInf', p) };
      S.adamaxStep(p.data, p.grad.data, st, { lr: g.lr, betas: g.betas, eps: g.eps, weightDecay: g.weightDecay, maximize: g.maximize });
      s.step = st.step;
    }
  }
}

export interface NAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
}
interface NAdamHyper extends BetaHyper {
  momentumDecay: number;
}

export class NAdam extends Optimizer<NAdamHyper> {
  constructor(params: OptimizerParams<NAdamHyper>, options?: NAdamOptions) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, ...readOptions('NAdam', options, ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay'] as const) } as NAdamHyper);
  }
  protected validateGroup(g: ParamGroup<NAdamHyper>): void {
    nonNeg('NAdam', 'lr', g.lr);
    checkBetas('NAdam', g.betas);
    nonNeg('NAdam', 'eps', g.eps);
    nonNeg('NAdam', 'weightDecay', g.weightDecay);
    nonNeg('NAdam', 'momentumDecay', g.momentumDecay);
  }
  protected updateGroup(g: ParamGroup<NAdamHyper>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const st: S.NadamState = {
        step: (s.step as number | undefined) ?? 0,
        muProduct: (s.muProduct as number | undefined) ?? 1,
        expAvg: buffer(s, 'expAvg', p),
        expAvgSq: buffer(s, 'expAvgSq', p),
      };
      S.nadamStep(p.data, p.grad.data, st, { lr: g.lr, betas: g.betas, eps: g.eps, weightDecay: g.weightDecay, momentumDecay: g.momentumDecay });
      s.step = st.step;
      s.muProduct = st.muProduct;
    }
  }
}

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

export class RAdam extends Optimizer<BetaHyper> {
  constructor(params: OptimizerParams<BetaHyper>, options?: RAdamOptions) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, ...readOptions('RAdam', options, ['lr', 'betas', 'eps', 'weightDecay'] as const) } as BetaHyper);
  }
  protected validateGroup(g: ParamGroup<BetaHyper>): void {
    nonNeg('RAdam', 'lr', g.lr);
    checkBetas('RAdam', g.betas);
    nonNeg('RAdam', 'eps', g.eps);
    nonNeg('RAdam', 'weightDecay', g.weightDecay);
  }
  protected updateGroup(g: ParamGroup<BetaHyper>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateOf(p);
      const st: S.RadamState = { step: (s.step as number | undefined) ?? 0, expAvg: buffer(s, 'expAvg', p), expAvgSq: buffer(s, 'expAvgSq', p) };
      S.radamStep(p.data, p.grad.data, st, { lr: g.lr, betas: g.betas, eps: g.eps, weightDecay: g.weightDecay });
      s.step = st.step;
    }
  }
}
