/**
 * The Optimizer base, as torch.optim.Optimizer: parameter groups with per-group
 * hyperparameters, per-parameter state, zeroGrad/step, and index-packed state
 * dicts for exact resume.
 */
import { rangeError, typeError } from '../errors.js';
import { Parameter } from '../nn/parameter.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, readOptions } from '../validate.js';

/** Hyperparameters every group has; optimizers add their own (momentum, betas, ...). */
export interface GroupHyper {
  lr: number;
  /** Set by learning-rate schedulers: the lr the schedule starts from. */
  initialLr?: number;
  [key: string]: unknown;
}

export type ParamGroup<H extends GroupHyper = GroupHyper> = H & { params: Parameter[] };

/** A group as given to a constructor: params plus any hyperparameters overriding the defaults. */
export type ParamGroupInput<H extends GroupHyper = GroupHyper> = { params: Iterable<Parameter> } & Partial<H>;

export type OptimizerParams<H extends GroupHyper = GroupHyper> = Iterable<Parameter> | Iterable<ParamGroupInput<H>>;

/** Per-parameter state: tensors (moment buffers) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

export interface OptimizerStateDict {
  /** State by parameter index (the order of params across groups). */
  state: Record<number, ParamState>;
  /** Each group's hyperparameters, with its params as indices. */
  paramGroups: (Omit<GroupHyper, 'params'> & { params: number[] })[];
}

function copyState(s: ParamState): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) out[k] = v instanceof Tensor ? new Tensor(v.data.slice(), v.shape) : v;
  return out;
}

export abstract class Optimizer<H extends GroupHyper = GroupHyper> {
  readonly defaults: Readonly<H>;
  readonly paramGroups: ParamGroup<H>[] = [];
  state = new Map<Parameter, ParamState>();
  /** Steps taken (schedulers read it to warn about calling order). */
  stepCount = 0;
  protected readonly name: string;

  constructor(params: OptimizerParams<H>, defaults: H) {
    this.name = new.target.name;
    this.defaults = Object.freeze({ ...defaults });
    if (params instanceof Tensor || params === null || typeof params !== 'object' || !(Symbol.iterator in Object(params))) {
      throw typeError(this.name, `params must be an iterable of Parameters or of parameter groups, but received ${describe(params)}`);
    }
    const list = Array.from(params as Iterable<unknown>);
    if (list.length === 0) throw rangeError(this.name, 'got an empty parameter list');
    const groups = list[0] instanceof Tensor ? [{ params: list }] : list;
    for (const g of groups) this.addParamGroup(g as ParamGroupInput<H>);
  }

  /** Checks one group's hyperparameters; subclasses throw RangeError naming the bad one. */
  protected abstract validateGroup(group: ParamGroup<H>): void;

  /** Adds a group; hyperparameters it omits come from the defaults. */
  addParamGroup(group: ParamGroupInput<H>): void {
    const op = `${this.name}.addParamGroup`;
    if (typeof group !== 'object' || group === null || !('params' in group)) {
      throw typeError(op, `a parameter group must be an object with params, but received ${describe(group)}`);
    }
    const params = Array.from(group.params as Iterable<unknown>);
    params.forEach((p, i) => {
      if (!(p instanceof Parameter)) {
        throw typeError(op, `params[${i}] must be an nn.Parameter, but received ${describe(p)}`);
      }
    });
    const known = new Set([...Object.keys(this.defaults), 'params', 'initialLr']);
    for (const key of Object.keys(group)) {
      if (!known.has(key)) throw rangeError(op, `unknown option "${key}" (known options: ${[...known].filter((k) => k !== 'params').join(', ')})`);
    }
    const full = { ...this.defaults, ...group, params: params as Parameter[] } as ParamGroup<H>;
    this.validateGroup(full);
    const seen = new Set<Parameter>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    for (const p of full.params) {
      if (seen.has(p)) throw rangeError(op, 'some parameters appear in more than one parameter group');
      seen.add(p);
    }
    this.paramGroups.push(full);
  }

  /** Zeroes (or, with setToNone, drops) the gradients of every parameter. */
  zeroGrad(options?: { setToNone?: boolean }): void {
    const o = readOptions(`${this.name}.zeroGrad`, options, ['setToNone'] as const);
    const setToNone = o.setToNone === undefined ? false : expectBoolean(`${this.name}.zeroGrad`, 'options.setToNone', o.setToNone);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else p.grad.data.fill(0);
      }
    }
  }

  /**
   * One update of every parameter that has a gradient. `closure`, when given,
   * re-evaluates the model and returns the loss; step returns it.
   */
  step(closure?: () => number | Tensor): number | undefined {
    let loss: number | undefined;
    if (closure !== undefined) {
      if (typeof closure !== 'function') throw typeError(`${this.name}.step`, `closure must be a function, but received ${describe(closure)}`);
      const r = closure();
      loss = r instanceof Tensor ? r.item() : r;
    }
    for (const group of this.paramGroups) this.validateGroup(group);
    this.stepCount++;
    for (const group of this.paramGroups) this.updateGroup(group);
    // The parameters changed in place (PyTorch's step bumps their version too): a graph
    // recorded before the step and run backward after it would read the new weights.
    for (const group of this.paramGroups) for (const p of group.params) if (p.grad !== null) p._bumpVersion();
    return loss;
  }

  /** Updates one group's parameters (those with a gradient). */
  protected abstract updateGroup(group: ParamGroup<H>): void;

  /** The state of parameter p, created empty on first use. */
  protected stateOf(p: Parameter): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** State and hyperparameters, with parameters replaced by their index (PyTorch's packing). */
  stateDict(): OptimizerStateDict {
    const index = new Map<Parameter, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      const ids = params.map((p) => {
        if (!index.has(p)) index.set(p, next++);
        return index.get(p)!;
      });
      return { ...hyper, params: ids } as OptimizerStateDict['paramGroups'][number];
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = s;
    }
    return { state, paramGroups };
  }

  /** Restores state and hyperparameters saved by stateDict (deep-copied). */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const op = `${this.name}.loadStateDict`;
    if (typeof stateDict !== 'object' || stateDict === null || !Array.isArray(stateDict.paramGroups) || typeof stateDict.state !== 'object') {
      throw typeError(op, `stateDict must be { state, paramGroups } as returned by stateDict(), but received ${describe(stateDict)}`);
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw rangeError(op, `the state dict has ${saved.length} parameter groups but the optimizer has ${this.paramGroups.length}`);
    }
    saved.forEach((g, i) => {
      if (!Array.isArray(g.params) || g.params.length !== this.paramGroups[i]!.params.length) {
        throw rangeError(op, `parameter group ${i} has ${g.params?.length} params in the state dict but ${this.paramGroups[i]!.params.length} in the optimizer`);
      }
    });
    const byIndex = new Map<number, Parameter>();
    saved.forEach((g, i) => g.params.forEach((id, j) => byIndex.set(id, this.paramGroups[i]!.params[j]!)));
    const state = new Map<Parameter, ParamState>();
    for (const [key, s] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) throw rangeError(op, `state for parameter ${key}, which no group lists`);
      for (const [name, v] of Object.entries(s)) {
        if (v instanceof Tensor && v.size !== p.size && v.size !== 1) {
          throw rangeError(op, `state "${name}" of parameter ${key} has ${v.size} elements but the parameter has ${p.size}`);
        }
      }
      state.set(p, copyState(s));
    }
    const groups = saved.map((g, i) => {
      const { params: _ids, ...hyper } = g;
      const group = { ...hyper, params: this.paramGroups[i]!.params } as unknown as ParamGroup<H>;
      this.validateGroup(group);
      return group;
    });
    this.paramGroups.splice(0, this.paramGroups.length, ...groups);
    this.state = state;
  }
}
