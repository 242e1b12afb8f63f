/** Containers: Sequential, ModuleList, ModuleDict. */
import { rangeError, typeError } from '../errors.js';
import { describe, expectInteger } from '../validate.js';
import { needsGrad } from '../autograd/engine.js';
import { linearGelu, linearRelu } from '../ops/linear.js';
import { Tensor } from '../tensor.js';
import { GELU, ReLU } from './activation.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

function isExactly(m: Module, cls: { prototype: object }): boolean {
  return Object.getPrototypeOf(m) === cls.prototype;
}

function expectModule(op: string, name: string, value: unknown): Module {
  if (!(value instanceof Module)) throw typeError(op, `${name} must be an nn.Module, but received ${describe(value)}`);
  return value;
}

/**
 * Modules applied in order, each to the previous one's output:
 * `new nn.Sequential(new nn.Linear(784, 500), new nn.ReLU(), new nn.Linear(500, 10))`,
 * or with names: `new nn.Sequential({ fc1: ..., act: ..., fc2: ... })`.
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module) && typeof first === 'object' && first !== null) {
      for (const [name, m] of Object.entries(first)) this.registerModule(name, expectModule('Sequential', name, m));
    } else {
      (modules as unknown[]).forEach((m, i) => this.registerModule(String(i), expectModule('Sequential', `modules[${i}]`, m)));
    }
  }

  forward(input: unknown): unknown {
    const mods = Array.from(this.children());
    let x = input;
    for (let i = 0; i < mods.length; i++) {
      const m = mods[i]!;
      // Inference: Linear then ReLU or GELU run as one GEMM with the activation in its
      // epilogue. Exact classes only: a subclass may override forward.
      const next = mods[i + 1];
      if (isExactly(m, Linear) && next !== undefined && x instanceof Tensor && !needsGrad(x, (m as Linear).weight, (m as Linear).bias)) {
        const { weight, bias } = m as Linear;
        if (isExactly(next, ReLU)) {
          x = linearRelu(x, weight, bias);
          i++;
          continue;
        }
        if (isExactly(next, GELU)) {
          x = linearGelu(x, weight, bias, (next as GELU).approximate);
          i++;
          continue;
        }
      }
      x = m.forward(x);
    }
    return x;
  }

  get length(): number {
    return Array.from(this.children()).length;
  }

  /** The i-th module (negative counts from the end). */
  at(index: number): Module {
    const list = Array.from(this.children());
    expectInteger('Sequential.at', 'index', index, -list.length, list.length - 1);
    return list[index < 0 ? list.length + index : index]!;
  }

  /** Appends a module under the next index; returns this. */
  append(module: Module): this {
    this.registerModule(String(this.length), expectModule('Sequential.append', 'module', module));
    return this;
  }

  [Symbol.iterator](): IterableIterator<Module> {
    return this.children();
  }
}

/** A list of modules registered under their indices; forward is yours to write. */
export class ModuleList extends Module {
  #items: Module[] = [];

  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  forward(): never {
    throw rangeError('ModuleList.forward', 'a ModuleList has no forward of its own: iterate over it in your module\'s forward');
  }

  get length(): number {
    return this.#items.length;
  }

  at(index: number): Module {
    expectInteger('ModuleList.at', 'index', index, -this.#items.length, this.#items.length - 1);
    return this.#items[index < 0 ? this.#items.length + index : index]!;
  }

  append(module: Module): this {
    this.registerModule(String(this.#items.length), expectModule('ModuleList.append', 'module', module));
    this.#items.push(module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  [Symbol.iterator](): IterableIterator<Module> {
    return this.#items[Symbol.iterator]();
  }
}

/** Modules by name; forward is yours to write. */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [name, m] of Object.entries(modules)) this.set(name, m);
  }

  forward(): never {
    throw rangeError('ModuleDict.forward', 'a ModuleDict has no forward of its own: pick modules by name in your module\'s forward');
  }

  get(name: string): Module | undefined {
    for (const [n, m] of this.namedChildren()) if (n === name) return m;
    return undefined;
  }

  set(name: string, module: Module): this {
    this.registerModule(name, expectModule('ModuleDict.set', name, module));
    return this;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  keys(): string[] {
    return Array.from(this.namedChildren(), ([n]) => n);
  }

  values(): Module[] {
    return Array.from(this.children());
  }

  entries(): [string, Module][] {
    return Array.from(this.namedChildren());
  }

  get size(): number {
    return this.keys().length;
  }
}
