// The fuzzer's model of one call (fuzz-child.ts): a plan of argument slots built from a
// spec's valid call, and its materialization into real arguments. Every typed array
// the fuzzer places sits in an ArrayBuffer with guard bytes around it, so a write
// outside an argument shows; several arguments may share one buffer (aliasing).

export interface Rand {
  (): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: small, fast, and the same sequence on every platform. */
export function makeRand(seed: number): Rand {
  let s = seed >>> 0;
  const r = (() => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Rand;
  r.int = (n) => Math.floor(r() * n);
  r.pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  r.chance = (p) => r() < p;
  return r;
}

export type TypedCtor = Float32ArrayConstructor | Int32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor;

export interface Buf {
  ctor: TypedCtor;
  length: number;
  /** Contents, repeated to fill the length. */
  source: ArrayLike<number>;
  /** Buffers with the same group share one ArrayBuffer. */
  group: number;
  /** Bytes from the end of the group's front guard; a multiple of the element size. */
  offset: number;
  backing: 'plain' | 'shared' | 'resizable';
  detached: boolean;
}

/** What a hostile object does when the binding touches it (a getter, a setter, a trap). */
export type Sabotage = 'detach' | 'shrink' | 'alias-entry' | 'none';

export type Slot =
  | { buf: Buf }
  | { list: Slot[]; getter?: { index: number; sabotage: Sabotage } }
  | { hostile: Sabotage }
  | { value: unknown; label: string };

export const GUARD = 64; // bytes before and after every group
const GUARD_BYTE = 0xa5;

export function bufOf(s: Slot | undefined): Buf | undefined {
  return s && 'buf' in s ? s.buf : undefined;
}

/** Every Buf in the plan, nested lists included, each once. */
export function allBufs(slots: readonly Slot[]): Buf[] {
  const out = new Set<Buf>();
  const walk = (s: Slot) => {
    if ('buf' in s) out.add(s.buf);
    else if ('list' in s) s.list.forEach(walk);
  };
  slots.forEach(walk);
  return [...out];
}

let nextGroup = 0;
/** Group numbers restart with each case, so a replayed case prints the same call. */
export function resetGroups(): void {
  nextGroup = 0;
}
export function newBuf(ctor: TypedCtor, source: ArrayLike<number>, length = source.length): Buf {
  return { ctor, length, source, group: nextGroup++, offset: 0, backing: 'plain', detached: false };
}

/** The plan of a valid call: typed arrays become Bufs, Arrays of them lists, the rest values. */
export function planOf(valid: readonly unknown[]): Slot[] {
  const slot = (v: unknown): Slot => {
    if (v instanceof Float32Array || v instanceof Int32Array) return { buf: newBuf(v.constructor as TypedCtor, v.slice()) };
    if (Array.isArray(v)) return { list: v.map(slot) };
    return { value: v, label: describeValue(v) };
  };
  return valid.map(slot);
}

export function describeValue(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'function') return 'a function';
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as { length?: number }).length ?? v.byteLength})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  return `an object (${Object.prototype.toString.call(v)})`;
}

function fillCyclic(view: ArrayBufferView & { [i: number]: number; copyWithin(t: number, s: number, e: number): unknown }, source: ArrayLike<number>, n: number) {
  if (source.length === 0) return;
  for (let i = 0; i < Math.min(n, source.length); i++) view[i] = source[i]!;
  for (let have = source.length; have < n; have *= 2) view.copyWithin(have, 0, Math.min(have, n - have));
}

/** The parts of [0, n) outside the covered ranges. */
function gaps(covered: [number, number][], n: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const [a, b] of [...covered].sort((x, y) => x[0] - y[0])) {
    if (a > at) out.push([at, Math.min(a, n)]);
    at = Math.max(at, b);
  }
  if (at < n) out.push([at, n]);
  return out.filter(([a, b]) => b > a);
}

/** The first index where two byte ranges differ, or -1 (memcmp speed when they agree). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)) return -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

interface Group {
  buffer: ArrayBuffer | SharedArrayBuffer;
  /** Byte ranges some argument covers; the rest is guard. */
  covered: [number, number][];
  before: Uint8Array;
  detachedAtStart: boolean;
}

/** A buffer taken away from the call by a hostile object: its bytes then, to compare later. */
interface Stolen {
  buffer: ArrayBuffer;
  at: Uint8Array;
}

export interface Call {
  args: unknown[];
  text: string;
  /** Problems with memory after the call; `argError`: nothing at all may have changed. */
  check(argError: boolean): string[];
  /** Takes the bytes a later check compares against again (before calling a second time). */
  rearm(): void;
}

// Every group holds at least its guards, so no bytes left means detached (or shrunk to 0).
const isDetached = (b: ArrayBuffer | SharedArrayBuffer) => b.byteLength === 0;

export function materialize(slots: readonly Slot[]): Call {
  const bufs = allBufs(slots);
  const groups = new Map<number, Buf[]>();
  for (const b of bufs) groups.set(b.group, [...(groups.get(b.group) ?? []), b]);
  const views = new Map<Buf, ArrayBufferView>();
  const made: Group[] = [];
  const stolen: Stolen[] = [];
  for (const sharing of groups.values()) {
    // Overlapping views are filled in order: indices last, so they hold valid indices.
    const members = [...sharing.filter((b) => b.ctor !== Int32Array), ...sharing.filter((b) => b.ctor === Int32Array)];
    const backing = members[0]!.backing;
    const tracking = backing === 'resizable' && members.length === 1; // a length-tracking view: no back guard
    let end = 0;
    for (const b of members) end = Math.max(end, GUARD + b.offset + b.length * b.ctor.BYTES_PER_ELEMENT);
    const size = tracking ? end : end + GUARD;
    const buffer =
      backing === 'shared' ? new SharedArrayBuffer(size) : backing === 'resizable' ? new ArrayBuffer(size, { maxByteLength: 2 * size + 64 }) : new ArrayBuffer(size);
    new Uint8Array(buffer).fill(GUARD_BYTE);
    const covered: [number, number][] = [];
    for (const b of members) {
      const at = GUARD + b.offset;
      const view = tracking ? new b.ctor(buffer as ArrayBuffer, at) : new b.ctor(buffer as ArrayBuffer, at, b.length);
      fillCyclic(view, b.source, b.length);
      views.set(b, view);
      covered.push([at, at + b.length * b.ctor.BYTES_PER_ELEMENT]);
    }
    const group: Group = { buffer, covered, before: new Uint8Array(buffer).slice(), detachedAtStart: false };
    if (backing !== 'shared' && members.some((b) => b.detached)) {
      structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
      group.detachedAtStart = true;
    }
    made.push(group);
  }

  // What hostile objects do, against the groups a call still holds.
  const sabotage = (how: Sabotage) => {
    for (const g of made) {
      if (g.buffer instanceof SharedArrayBuffer || isDetached(g.buffer)) continue;
      if (how === 'detach') {
        const taken = structuredClone(g.buffer, { transfer: [g.buffer as ArrayBuffer] });
        stolen.push({ buffer: taken, at: new Uint8Array(taken).slice() });
      } else if (how === 'shrink' && (g.buffer as ArrayBuffer).resizable) {
        (g.buffer as ArrayBuffer).resize(0);
      }
    }
  };
  const aliasEntry = () => {
    const live = [...views.values()].filter((v) => v instanceof Float32Array && v.length > 0 && !isDetached(v.buffer));
    return live.length > 0 ? live[live.length - 1] : undefined;
  };
  const hostile = (how: Sabotage): object =>
    new Proxy(
      {},
      {
        get: (t, k, r) => (how === 'alias-entry' ? aliasEntry() : (sabotage(how), Reflect.get(t, k, r))),
        set: (t, k, v, r) => (sabotage(how), Reflect.set(t, k, v, r)),
        has: (t, k) => (sabotage(how), Reflect.has(t, k)),
        defineProperty: (t, k, d) => (sabotage(how), Reflect.defineProperty(t, k, d)),
      },
    );

  const value = (s: Slot): unknown => {
    if ('buf' in s) return views.get(s.buf);
    if ('hostile' in s) return hostile(s.hostile);
    if ('value' in s) return s.value;
    const arr = s.list.map(value);
    const g = s.getter;
    if (g && g.index < arr.length) {
      const item = arr[g.index];
      Object.defineProperty(arr, g.index, {
        configurable: true,
        enumerable: true,
        get: () => {
          if (g.sabotage === 'none') arr.length = 0;
          else sabotage(g.sabotage);
          return item;
        },
      });
    }
    return arr;
  };
  const args = slots.map(value);

  const check = (argError: boolean): string[] => {
    const problems: string[] = [];
    made.forEach((g, gi) => {
      if (g.detachedAtStart || isDetached(g.buffer)) return;
      const n = Math.min(g.buffer.byteLength, g.before.length);
      // argError: every byte; otherwise the guards, the gaps between the arguments
      const ranges = argError ? [[0, n]] : gaps(g.covered, n);
      for (const [a, b] of ranges) {
        const i = firstDifference(new Uint8Array(g.buffer, a, b - a), g.before.subarray(a, b));
        if (i < 0) continue;
        problems.push(
          argError
            ? `buffer group ${gi} changed at byte ${a + i} although the call threw an argument error`
            : `a write outside every argument: buffer group ${gi}, byte ${a + i} of ${n} (arguments cover ${JSON.stringify(g.covered)})`,
        );
        break;
      }
    });
    for (const s of stolen) {
      const i = firstDifference(new Uint8Array(s.buffer), s.at);
      if (i >= 0) problems.push(`a write into a buffer detached during the call (byte ${i}): its memory belongs to someone else now`);
    }
    return problems;
  };

  const text = (s: Slot): string => {
    if ('buf' in s) {
      const b = s.buf;
      const name = b.ctor === Float32Array ? 'f32' : b.ctor === Int32Array ? 'i32' : b.ctor.name;
      const flags = [b.backing !== 'plain' ? b.backing : '', b.detached ? 'detached' : ''].filter(Boolean).join(',');
      return `${name}[${b.length}]@g${b.group}+${b.offset}${flags ? `(${flags})` : ''}`;
    }
    if ('hostile' in s) return `hostile(${s.hostile})`;
    if ('value' in s) return s.label;
    return `[${s.list.map(text).join(', ')}]${s.getter ? `{getter ${s.getter.index}: ${s.getter.sabotage}}` : ''}`;
  };
  const rearm = () => {
    for (const g of made) if (!g.detachedAtStart && !isDetached(g.buffer)) g.before = new Uint8Array(g.buffer).slice();
  };
  return { args, text: slots.map(text).join(', '), check, rearm };
}
