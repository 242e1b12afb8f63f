/**
 * nn.Module: the base of every layer and model. Children, parameters and buffers
 * are registered explicitly (registerModule / registerParameter / registerBuffer);
 * stateDict keys are PyTorch's dotted names ("0.weight", "encoder.fc1.bias").
 */
import { inspect } from 'node:util';

import { rangeError, shapeError, stateError, typeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { keepBuffer } from '../memory.js';
import { Tensor } from '../tensor.js';
import { describe, expectBoolean, readOptions } from '../validate.js';
import { frozenModules } from './frozen.js';
import { Parameter } from './parameter.js';

const NAME_PATTERN = /^[A-Za-z_$][\w$]*$|^\d+$/;

function checkName(op: string, name: unknown): string {
  if (typeof name !== 'string') throw typeError(op, `name must be a string, but received ${describe(name)}`);
  if (!NAME_PATTERN.test(name)) {
    throw rangeError(op, `name must be an identifier or an index without dots, but received "${name}"`);
  }
  return name;
}

export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true). */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export interface ZeroGradOptions {
  /** Drop the gradients instead of zeroing them (PyTorch 1.13's default is false). */
  setToNone?: boolean;
}

export abstract class Module {
  /** Training mode (dropout active, batch-norm batch statistics); see train() / eval(). */
  training = true;
  readonly #parameters = new Map<string, Parameter | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, Module | null>();

  /** The layer's computation. Subclasses define it; call it as `module.forward(x)`. */
  abstract forward(...inputs: unknown[]): unknown;

  /** Registers (or, with null, declares absent) a parameter; returns it. */
  registerParameter<P extends Parameter | null>(name: string, param: P): P {
    checkName('registerParameter', name);
    if (param !== null && !(param instanceof Parameter)) {
      throw typeError('registerParameter', `${name} must be an nn.Parameter or null, but received ${describe(param)}`);
    }
    if (this.#modules.has(name) || this.#buffers.has(name)) {
      throw rangeError('registerParameter', `"${name}" is already registered as a ${this.#modules.has(name) ? 'module' : 'buffer'}`);
    }
    this.#parameters.set(name, param);
    return param;
  }

  /** Registers a buffer: state saved in stateDict (unless persistent is false) but not trained. */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, persistent = true): T {
    checkName('registerBuffer', name);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw typeError('registerBuffer', `${name} must be a Tensor or null, but received ${describe(tensor)}`);
    }
    if (this.#modules.has(name) || this.#parameters.has(name)) {
      throw rangeError('registerBuffer', `"${name}" is already registered as a ${this.#modules.has(name) ? 'module' : 'parameter'}`);
    }
    if (tensor !== null) keepBuffer(tensor.data);
    this.#buffers.set(name, tensor);
    if (persistent) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    return tensor;
  }

  /** Registers a child module under `name`; returns it. */
  registerModule<M extends Module | null>(name: string, module: M): M {
    checkName('registerModule', name);
    if (module !== null && !(module instanceof Module)) {
      throw typeError('registerModule', `${name} must be an nn.Module or null, but received ${describe(module)}`);
    }
    if (this.#parameters.has(name) || this.#buffers.has(name)) {
      throw rangeError('registerModule', `"${name}" is already registered as a ${this.#parameters.has(name) ? 'parameter' : 'buffer'}`);
    }
    this.#modules.set(name, module);
    return module;
  }

  /** Same as registerModule (PyTorch's add_module). */
  addModule<M extends Module | null>(name: string, module: M): M {
    return this.registerModule(name, module);
  }

  /** @internal Replaces a registered buffer's tensor (e.g. running statistics). */
  protected setBuffer(name: string, tensor: Tensor | null): void {
    if (!this.#buffers.has(name)) throw rangeError('setBuffer', `no buffer named "${name}"`);
    if (tensor !== null) keepBuffer(tensor.data);
    this.#buffers.set(name, tensor);
  }

  getParameter(name: string): Parameter | null {
    return this.#parameters.get(name) ?? null;
  }

  getBuffer(name: string): Tensor | null {
    return this.#buffers.get(name) ?? null;
  }

  getSubmodule(target: string): Module {
    if (target === '') return this;
    let m: Module = this;
    for (const part of target.split('.')) {
      const next = m.#modules.get(part);
      if (!next) throw rangeError('getSubmodule', `${m.constructor.name} has no submodule "${part}" (in "${target}")`);
      m = next;
    }
    return m;
  }

  *namedChildren(): IterableIterator<[string, Module]> {
    for (const [name, m] of this.#modules) if (m !== null) yield [name, m];
  }

  *children(): IterableIterator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and every descendant, each once, with dotted names ("" for this one). */
  *namedModules(prefix = '', memo: Set<Module> = new Set()): IterableIterator<[string, Module]> {
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    for (const [name, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${name}` : name, memo);
  }

  *modules(): IterableIterator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Parameters with dotted names; a parameter shared by two modules is listed once. */
  *namedParameters(prefix = '', recurse = true): IterableIterator<[string, Parameter]> {
    const seen = new Set<Parameter>();
    const mods: Iterable<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modName, m] of mods) {
      for (const [name, p] of m.#parameters) {
        if (p === null || seen.has(p)) continue;
        seen.add(p);
        yield [modName ? `${modName}.${name}` : name, p];
      }
    }
  }

  /** Every parameter, for an optimizer: `new optim.SGD(model.parameters(), { lr: 0.1 })`. */
  parameters(recurse = true): Parameter[] {
    return Array.from(this.namedParameters('', recurse), ([, p]) => p);
  }

  *namedBuffers(prefix = '', recurse = true): IterableIterator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    const mods: Iterable<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modName, m] of mods) {
      for (const [name, b] of m.#buffers) {
        if (b === null || seen.has(b)) continue;
        seen.add(b);
        yield [modName ? `${modName}.${name}` : name, b];
      }
    }
  }

  buffers(recurse = true): Tensor[] {
    return Array.from(this.namedBuffers('', recurse), ([, b]) => b);
  }

  /** Sets training mode here and in every descendant; returns this. */
  train(mode = true): this {
    expectBoolean('train', 'mode', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (dropout off, batch norm uses running statistics); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Zeroes (or, with setToNone, drops) the gradient of every parameter. */
  zeroGrad(options?: ZeroGradOptions): void {
    const opts = readOptions('zeroGrad', options, ['setToNone'] as const);
    const setToNone = opts.setToNone === undefined ? false : expectBoolean('zeroGrad', 'options.setToNone', opts.setToNone);
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /** Calls fn on every descendant, then on this module (as PyTorch's apply); returns this. */
  apply(fn: (m: Module) => void): this {
    if (typeof fn !== 'function') throw typeError('apply', `fn must be a function, but received ${describe(fn)}`);
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order (each
   * module's own parameters, then its buffers, then its children). The tensors
   * share memory with the module.
   */
  stateDict(prefix = ''): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.#collectState(prefix, out);
    return out;
  }

  #collectState(prefix: string, out: Record<string, Tensor>): void {
    for (const [name, p] of this.#parameters) if (p !== null) out[prefix + name] = p;
    for (const [name, b] of this.#buffers) if (b !== null && !this.#nonPersistent.has(name)) out[prefix + name] = b;
    for (const [name, m] of this.#modules) if (m !== null) m.#collectState(`${prefix}${name}.`, out);
  }

  /**
   * Copies tensors from `stateDict` into this module's parameters and buffers
   * (shapes must match). With strict (the default), missing or unexpected keys
   * are an error and nothing is copied.
   */
  loadStateDict(stateDict: Record<string, Tensor>, options?: LoadStateDictOptions): LoadStateDictResult {
    const op = 'loadStateDict';
    const opts = readOptions(op, options, ['strict'] as const);
    const strict = opts.strict === undefined ? true : expectBoolean(op, 'options.strict', opts.strict);
    if (typeof stateDict !== 'object' || stateDict === null) {
      throw typeError(op, `stateDict must be an object of Tensors, but received ${describe(stateDict)}`);
    }
    if (frozenModules.has(this)) {
      throw stateError(op, 'this model is a frozen snapshot (freeze()): its weights are fixed. Load the weights into the original model and freeze it again');
    }
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing keys: ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
      if (unexpectedKeys.length) parts.push(`unexpected keys: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
      throw rangeError(op, `the state dict does not match ${this.constructor.name} (${parts.join('; ')})`);
    }
    // Check every shape before copying anything: a failed load changes nothing.
    const copies: [Tensor, Tensor][] = [];
    for (const [key, target] of Object.entries(own)) {
      if (!(key in stateDict)) continue;
      const src = stateDict[key];
      if (!(src instanceof Tensor)) throw typeError(op, `"${key}" must be a Tensor, but received ${describe(src)}`);
      if (!shapesEqual(src.shape, target.shape)) {
        throw shapeError(op, `"${key}" has shape ${formatShape(src.shape)} in the state dict but ${formatShape(target.shape)} in the model`);
      }
      copies.push([src, target]);
    }
    for (const [src, target] of copies) {
      if (src.data === target.data) continue;
      target.data.set(src.data);
      target._bumpVersion();  // copied in place, as PyTorch's param.copy_(): saved graphs see it
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Extra text inside the parentheses of this module's line in toString(). */
  extraRepr(): string {
    return '';
  }

  /** The architecture, printed as PyTorch prints modules. */
  toString(): string {
    const children = Array.from(this.namedChildren());
    const extra = this.extraRepr();
    if (children.length === 0) return `${this.constructor.name}(${extra})`;
    const lines: string[] = [];
    if (extra) lines.push(...extra.split('\n'));
    for (const [name, m] of children) {
      const body = m.toString().split('\n').join('\n  ');
      lines.push(`(${name}): ${body}`);
    }
    return `${this.constructor.name}(\n  ${lines.join('\n  ')}\n)`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
