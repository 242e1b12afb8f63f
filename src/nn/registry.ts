/**
 * Constructor arguments of built-in modules, recorded as they are built, so that a
 * model's architecture can be saved as JSON and rebuilt (io.saveModel / loadModel).
 * The exported classes are thin Proxies: `new nn.Linear(4, 2)` records [4, 2];
 * subclasses written by users are not recorded (they cannot be rebuilt from JSON).
 */
import type { Module } from './module.js';

type ModuleClass = abstract new (...args: never[]) => Module;

const constructorArgs = new WeakMap<Module, unknown[]>();
const registry = new Map<string, new (...args: unknown[]) => Module>();

/** The class, wrapped so that direct construction records its arguments under `name`. */
export function trackArgs<C extends ModuleClass>(name: string, cls: C): C {
  // Bundlers may rename a class whose name is taken in the bundle's scope (Linear$1);
  // printing and error messages use the class name, so pin the public one.
  Object.defineProperty(cls, 'name', { value: name, configurable: true });
  const proxy: C = new Proxy(cls, {
    construct(target, args, newTarget) {
      const obj = Reflect.construct(target, args, newTarget) as Module;
      if (newTarget === proxy) constructorArgs.set(obj, args);
      return obj;
    },
  });
  registry.set(name, proxy as unknown as new (...args: unknown[]) => Module);
  return proxy;
}

export function recordedArgs(m: Module): unknown[] | undefined {
  return constructorArgs.get(m);
}

export function registeredClass(name: string): (new (...args: unknown[]) => Module) | undefined {
  return registry.get(name);
}

/** The registered name of m's class (its own class, not a user subclass), or undefined. */
export function registeredName(m: Module): string | undefined {
  for (const [name, cls] of registry) if (Object.getPrototypeOf(m) === (cls as unknown as { prototype: object }).prototype) return name;
  return undefined;
}
