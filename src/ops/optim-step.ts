/**
 * One optimizer update per native call over a flat parameter (or parameter arena):
 * functional wrappers on native/binding/optim_binding.cpp, formulas as PyTorch 1.13's
 * single-tensor implementations. State objects hold the buffers PyTorch keeps in
 * `optimizer.state[p]` (camelCase) and the step count; each call advances `step`.
 * The optim.* classes with param groups are built on these in a later issue.
 */
import { typeError } from '../errors.js';
import { native } from '../native.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, expectFinite, readOptions } from '../validate.js';

type Options<K extends string> = Partial<Record<K, unknown>>;

function num<K extends string>(op: string, opts: Options<K>, key: K, dflt: number): number {
  const v = opts[key];
  return v === undefined ? dflt : expectFinite(op, `options.${key}`, v);
}
function bool<K extends string>(op: string, opts: Options<K>, key: K, dflt: boolean): boolean {
  const v = opts[key];
  return v === undefined ? dflt : expectBoolean(op, `options.${key}`, v);
}
function betas<K extends string>(op: string, opts: Options<K>, key: K, dflt: [number, number]): [number, number] {
  const v = opts[key];
  if (v === undefined) return dflt;
  if (!Array.isArray(v) || v.length !== 2) {
    throw typeError(op, `options.${key} must be an array of two numbers, but received ${describe(v)}`);
  }
  return [expectFinite(op, `options.${key}[0]`, v[0]), expectFinite(op, `options.${key}[1]`, v[1])];
}

const EMPTY = new Float32Array(0);

// ---------------------------------------------------------------- SGD
export interface SgdStepOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor. Default 0. */
  momentum?: number;
  /** Dampening for momentum. Default 0. */
  dampening?: number;
  /** L2 penalty. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
  /** Maximize the objective. Default false. */
  maximize?: boolean;
}
export interface SgdState {
  /** Null until the first step with momentum, which sets it to the gradient (as PyTorch). */
  momentumBuffer: Float32Array | null;
}
const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'] as const;

export function sgdState(): SgdState {
  return { momentumBuffer: null };
}

export function sgdStep(param: Float32Array, grad: Float32Array, state: SgdState, options: SgdStepOptions): void {
  const op = 'sgdStep';
  const o = readOptions(op, options, SGD_OPTIONS);
  if (o.lr === undefined) throw typeError(op, 'options.lr is required (SGD has no default learning rate)');
  const momentum = num(op, o, 'momentum', 0);
  const first = momentum !== 0 && state.momentumBuffer === null;
  if (first) state.momentumBuffer = new Float32Array(param.length);
  native.sgdStep(
    param,
    grad,
    momentum !== 0 ? state.momentumBuffer! : EMPTY,
    num(op, o, 'lr', 0),
    momentum,
    num(op, o, 'dampening', 0),
    num(op, o, 'weightDecay', 0),
    bool(op, o, 'nesterov', false),
    bool(op, o, 'maximize', false),
    first,
  );
}

// ---------------------------------------------------------------- Adam / AdamW
export interface AdamStepOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Coefficients of the running averages of the gradient and its square. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Added to the denominator. Default 1e-8. */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Use the maximum of past squared-gradient averages (AMSGrad). Default false. */
  amsgrad?: boolean;
  /** Maximize the objective. Default false. */
  maximize?: boolean;
}
export interface AdamState {
  step: number;
  expAvg: Float32Array;
  expAvgSq: Float32Array;
  /** Present when amsgrad. */
  maxExpAvgSq: Float32Array | null;
}
const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;

export function adamState(n: number, amsgrad = false): AdamState {
  return { step: 0, expAvg: new Float32Array(n), expAvgSq: new Float32Array(n), maxExpAvgSq: amsgrad ? new Float32Array(n) : null };
}

function adamLike(op: string, decoupled: boolean, param: Float32Array, grad: Float32Array, state: AdamState, options?: AdamStepOptions): void {
  const o = readOptions(op, options, ADAM_OPTIONS);
  const [beta1, beta2] = betas(op, o, 'betas', [0.9, 0.999]);
  const amsgrad = bool(op, o, 'amsgrad', false);
  if (amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = new Float32Array(param.length);
  native.adamStep(
    param,
    grad,
    state.expAvg,
    state.expAvgSq,
    amsgrad ? state.maxExpAvgSq! : EMPTY,
    state.step + 1,
    num(op, o, 'lr', 1e-3),
    beta1,
    beta2,
    num(op, o, 'eps', 1e-8),
    num(op, o, 'weightDecay', decoupled ? 1e-2 : 0),
    amsgrad,
    bool(op, o, 'maximize', false),
    decoupled,
  );
  state.step += 1;
}

export function adamStep(param: Float32Array, grad: Float32Array, state: AdamState, options?: AdamStepOptions): void {
  adamLike('adamStep', false, param, grad, state, options);
}

export function adamwStep(param: Float32Array, grad: Float32Array, state: AdamState, options?: AdamStepOptions): void {
  adamLike('adamwStep', true, param, grad, state, options);
}

// ---------------------------------------------------------------- RMSprop
export interface RmspropStepOptions {
  /** Default 1e-2. */
  lr?: number;
  /** Smoothing constant. Default 0.99. */
  alpha?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  weightDecay?: number;
  /** Default 0. */
  momentum?: number;
  /** Normalize by the estimated variance of the gradient. Default false. */
  centered?: boolean;
  /** Default false. */
  maximize?: boolean;
}
export interface RmspropState {
  step: number;
  squareAvg: Float32Array;
  gradAvg: Float32Array | null;
  momentumBuffer: Float32Array | null;
}
const RMSPROP_OPTIONS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'] as const;

export function rmspropState(n: number): RmspropState {
  return { step: 0, squareAvg: new Float32Array(n), gradAvg: null, momentumBuffer: null };
}

export function rmspropStep(param: Float32Array, grad: Float32Array, state: RmspropState, options?: RmspropStepOptions): void {
  const op = 'rmspropStep';
  const o = readOptions(op, options, RMSPROP_OPTIONS);
  const centered = bool(op, o, 'centered', false);
  const momentum = num(op, o, 'momentum', 0);
  if (centered && state.gradAvg === null) state.gradAvg = new Float32Array(param.length);
  if (momentum > 0 && state.momentumBuffer === null) state.momentumBuffer = new Float32Array(param.length);
  native.rmspropStep(
    param,
    grad,
    state.squareAvg,
    centered ? state.gradAvg! : EMPTY,
    momentum > 0 ? state.momentumBuffer! : EMPTY,
    num(op, o, 'lr', 1e-2),
    num(op, o, 'alpha', 0.99),
    num(op, o, 'eps', 1e-8),
    num(op, o, 'weightDecay', 0),
    momentum,
    centered,
    bool(op, o, 'maximize', false),
  );
  state.step += 1;
}

// ---------------------------------------------------------------- Adagrad
export interface AdagradStepOptions {
  /** Default 1e-2. */
  lr?: number;
  /** Default 0. */
  lrDecay?: number;
  /** Default 0. */
  weightDecay?: number;
  /** Default 1e-10. */
  eps?: number;
  /** Default false. */
  maximize?: boolean;
}
export interface AdagradState {
  step: number;
  sum: Float32Array;
}
const ADAGRAD_OPTIONS = ['lr', 'lrDecay', 'weightDecay', 'eps', 'maximize'] as const;

/** initialAccumulatorValue fills the sum (PyTorch's constructor option). */
export function adagradState(n: number, initialAccumulatorValue = 0): AdagradState {
  const v = expectFinite('adagradState', 'initialAccumulatorValue', initialAccumulatorValue);
  if (v < 0) throw typeError('adagradState', `initialAccumulatorValue must be >= 0, but received ${v}`);
  return { step: 0, sum: new Float32Array(n).fill(v) };
}

export function adagradStep(param: Float32Array, grad: Float32Array, state: AdagradState, options?: AdagradStepOptions): void {
  const op = 'adagradStep';
  const o = readOptions(op, options, ADAGRAD_OPTIONS);
  native.adagradStep(
    param,
    grad,
    state.sum,
    state.step + 1,
    num(op, o, 'lr', 1e-2),
    num(op, o, 'lrDecay', 0),
    num(op, o, 'eps', 1e-10),
    num(op, o, 'weightDecay', 0),
    bool(op, o, 'maximize', false),
  );
  state.step += 1;
}

// ---------------------------------------------------------------- Adamax
export interface AdamaxStepOptions {
  /** Default 2e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  weightDecay?: number;
  /** Default false. */
  maximize?: boolean;
}
export interface AdamaxState {
  step: number;
  expAvg: Float32Array;
  expInf: Float32Array;
}
const ADAMAX_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'maximize'] as const;

export function adamaxState(n: number): AdamaxState {
  return { step: 0, expAvg: new Float32Array(n), expInf: new Float32Array(n) };
}

export function adamaxStep(param: Float32Array, grad: Float32Array, state: AdamaxState, options?: AdamaxStepOptions): void {
  const op = 'adamaxStep';
  const o = readOptions(op, options, ADAMAX_OPTIONS);
  const [beta1, beta2] = betas(op, o, 'betas', [0.9, 0.999]);
  native.adamaxStep(param, grad, state.expAvg, state.expInf, state.step + 1, num(op, o, 'lr', 2e-3), beta1, beta2,
    num(op, o, 'eps', 1e-8), num(op, o, 'weightDecay', 0), bool(op, o, 'maximize', false));
  state.step += 1;
}

// ---------------------------------------------------------------- NAdam
export interface NadamStepOptions {
  /** Default 2e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  weightDecay?: number;
  /** Default 4e-3. */
  momentumDecay?: number;
}
export interface NadamState {
  step: number;
  /** Product of the momentum coefficients so far (float32, as PyTorch's state tensor). */
  muProduct: number;
  expAvg: Float32Array;
  expAvgSq: Float32Array;
}
const NADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay'] as const;

export function nadamState(n: number): NadamState {
  return { step: 0, muProduct: 1, expAvg: new Float32Array(n), expAvgSq: new Float32Array(n) };
}

export function nadamStep(param: Float32Array, grad: Float32Array, state: NadamState, options?: NadamStepOptions): void {
  const op = 'nadamStep';
  const o = readOptions(op, options, NADAM_OPTIONS);
  const [beta1, beta2] = betas(op, o, 'betas', [0.9, 0.999]);
  state.muProduct = native.nadamStep(param, grad, state.expAvg, state.expAvgSq, state.step + 1, state.muProduct,
    num(op, o, 'lr', 2e-3), beta1, beta2, num(op, o, 'eps', 1e-8), num(op, o, 'weightDecay', 0), num(op, o, 'momentumDecay', 4e-3));
  state.step += 1;
}

// ---------------------------------------------------------------- RAdam
export interface RadamStepOptions {
  /** Default 1e-3. */
  lr?: number;
  /** Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  weightDecay?: number;
}
export interface RadamState {
  step: number;
  expAvg: Float32Array;
  expAvgSq: Float32Array;
}
const RADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay'] as const;

export function radamState(n: number): RadamState {
  return { step: 0, expAvg: new Float32Array(n), expAvgSq: new Float32Array(n) };
}

export function radamStep(param: Float32Array, grad: Float32Array, state: RadamState, options?: RadamStepOptions): void {
  const op = 'radamStep';
  const o = readOptions(op, options, RADAM_OPTIONS);
  const [beta1, beta2] = betas(op, o, 'betas', [0.9, 0.999]);
  native.radamStep(param, grad, state.expAvg, state.expAvgSq, state.step + 1, num(op, o, 'lr', 1e-3), beta1, beta2,
    num(op, o, 'eps', 1e-8), num(op, o, 'weightDecay', 0));
  state.step += 1;
}

// ---------------------------------------------------------------- clipping
export interface ClipGradNormOptions {
  /** Order of the norm; Infinity for the max norm. Default 2. */
  normType?: number;
  /** Throw (ERR_AXONAL_NONFINITE) instead of scaling when the total norm is NaN or infinite. Default false. */
  errorIfNonfinite?: boolean;
}
const CLIP_OPTIONS = ['normType', 'errorIfNonfinite'] as const;

function gradArrays(op: string, grads: readonly (Float32Array | Tensor)[]): Float32Array[] {
  if (!Array.isArray(grads)) throw typeError(op, `grads must be an array of Float32Array or Tensor, but received ${describe(grads)}`);
  return grads.map((g, i) => {
    if (g instanceof Tensor) return g.data;
    if (g instanceof Float32Array) return g;
    throw typeError(op, `grads[${i}] must be a Float32Array or Tensor, but received ${describe(g)}`);
  });
}

/** torch.nn.utils.clip_grad_norm_: scales all grads in place by min(1, maxNorm / (total + 1e-6)); returns total. */
export function clipGradNorm(grads: readonly (Float32Array | Tensor)[], maxNorm: number, options?: ClipGradNormOptions): number {
  const op = 'clipGradNorm';
  const o = readOptions(op, options, CLIP_OPTIONS);
  const normType = o.normType === undefined ? 2 : (o.normType as number);
  if (typeof normType !== 'number' || Number.isNaN(normType)) {
    throw typeError(op, `options.normType must be a number or Infinity, but received ${describe(o.normType)}`);
  }
  const inf = normType === Infinity;
  return native.clipGradNorm(gradArrays(op, grads), expectFinite(op, 'maxNorm', maxNorm), inf ? 2 : expectFinite(op, 'options.normType', normType), inf,
    bool(op, o, 'errorIfNonfinite', false));
}

/** torch.nn.utils.clip_grad_value_: clamps every grad to [-clipValue, clipValue] in place. */
export function clipGradValue(grads: readonly (Float32Array | Tensor)[], clipValue: number): void {
  const op = 'clipGradValue';
  const c = expectFinite(op, 'clipValue', clipValue);
  for (const g of gradArrays(op, grads)) native.clipGradValue(g, c);
}
