// Structure-aware mutations of a call plan (fuzz-plan.ts), several at once, and the
// repair that follows an error: a length error names the argument and the length it
// needs, so the fuzzer resizes that buffer and calls again, past the length checks into
// the deeper ones (and the kernels) with the mutated sizes.
import type { ArgKind, BindingSpec } from './specs.js';
import { type Buf, type Rand, type Sabotage, type Slot, type TypedCtor, allBufs, bufOf, newBuf, planOf } from './fuzz-plan.js';

// Dimensions whose products overflow int32, uint32 or int64, and their neighbours.
const HUGE = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 62, 2 ** 63, 2 ** 64, 46341, 65536, 65537, 2 ** 20, 2 ** 21 + 1, 3037000500, 1e15];
const BAD = [-1, -0, 0.5, 1.5, -1.5, NaN, Infinity, -Infinity, -(2 ** 31), -(2 ** 53), 1e-320, 5e-324, 1e39, -1e39, 3.4028235e38, Number.MAX_VALUE, 2 ** 53 + 2, 1e-7];
const F32_SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 1e38, -1e38, 3.4e38, 1e-45, 1e-40, 0.5, 100];
const I32_SPECIAL = [-1, 0, 1, 2, 3, 4, 5, 7, 100, -100, 1 << 20, 2 ** 31 - 1, -(2 ** 31)];

/** Largest buffer the repair makes (elements), and the most all buffers of a call may hold. */
export const MAX_BUF = 1 << 22;
const MAX_TOTAL = 1 << 23;

// Wrong values, each made fresh: types that are not what a binding takes, and
// look-alikes (a proxy, a subclass, an object claiming a length).
const WRONG: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['true', () => true],
  ["'3'", () => '3'],
  ['3n', () => 3n],
  ['a symbol', () => Symbol('fuzz')],
  ['{}', () => ({})],
  ['[]', () => []],
  ['[1, 2, 3]', () => [1, 2, 3]],
  ['new Number(3)', () => new Number(3)],
  ['{ valueOf: () => 3 }', () => ({ valueOf: () => 3 })],
  ['a function', () => () => 0],
  ['a class', () => class {}],
  ['ArrayBuffer(16)', () => new ArrayBuffer(16)],
  ['SharedArrayBuffer(16)', () => new SharedArrayBuffer(16)],
  ['DataView(16)', () => new DataView(new ArrayBuffer(16))],
  ['Proxy(Float32Array(8))', () => new Proxy(new Float32Array(8), {})],
  ['Object.create(Float32Array.prototype)', () => Object.create(Float32Array.prototype)],
  ['a Float32Array subclass (8)', () => new (class extends Float32Array {})(8)],
  ['Float32Array(4) with own length 1e9', () => Object.defineProperty(new Float32Array(4), 'length', { value: 1e9 })],
  ['BigInt64Array(4)', () => new BigInt64Array(4)],
  ['Float32Array(0)', () => new Float32Array(0)],
  ['a Date', () => new Date(0)],
];

const isNumeric = (k: ArgKind | undefined) => k === 'dim' || k === 'int' || k === 'finite' || k === 'number';
const numberSlots = (slots: Slot[], kinds: ArgKind[], only?: ArgKind[]) =>
  slots.map((s, i) => i).filter((i) => isNumeric(kinds[i]) && (!only || only.includes(kinds[i]!)) && 'value' in slots[i]! && typeof (slots[i] as { value: unknown }).value === 'number');

function some<T>(rand: Rand, xs: T[], max: number): T[] {
  const pool = [...xs];
  const out: T[] = [];
  for (let n = 1 + rand.int(Math.min(max, pool.length)); n > 0 && pool.length > 0; n--) out.push(pool.splice(rand.int(pool.length), 1)[0]!);
  return out;
}

const setNumber = (slots: Slot[], i: number, v: number) => {
  slots[i] = { value: v, label: Object.is(v, -0) ? '-0' : String(v) };
};
const align = (bytes: number, ctor: TypedCtor) => Math.ceil(bytes / ctor.BYTES_PER_ELEMENT) * ctor.BYTES_PER_ELEMENT;

/** What probing the export found: whether it takes an optional trailing object (sgemmEx's packCache). */
export interface Traits {
  trailingObject: boolean;
}

type Mutation = (slots: Slot[], spec: BindingSpec, rand: Rand, traits: Traits) => string | undefined;

/** Several sizes changed together (the repair then resizes the buffers to match). */
const dims: Mutation = (slots, spec, rand) => {
  const idx = numberSlots(slots, spec.kinds, ['dim', 'int']);
  if (idx.length === 0) return undefined;
  for (const i of some(rand, idx, idx.length)) {
    const v = (slots[i] as { value: number }).value;
    const range = spec.intRanges?.[i];
    const pool = [0, 1, 2, 3, v, v + 1, Math.max(0, v - 1), 2 * v, 3 * v, rand.int(9), rand.int(65), 7, 13, 31, 33, 64, 127];
    setNumber(slots, i, range && rand.chance(0.5) ? range[0] + rand.int(range[1] - range[0] + 1) : rand.pick(pool));
  }
  return 'dims';
};

/** Huge sizes (products overflow), often beside zeros and ones that keep the buffers small. */
const huge: Mutation = (slots, spec, rand) => {
  const idx = numberSlots(slots, spec.kinds, ['dim', 'int']);
  if (idx.length === 0) return undefined;
  const chosen = some(rand, idx, 3);
  for (const i of chosen) setNumber(slots, i, rand.pick(HUGE));
  if (rand.chance(0.5)) for (const i of idx.filter((j) => !chosen.includes(j) && rand.chance(0.5))) setNumber(slots, i, rand.int(2));
  return 'huge';
};

/** Negative, fractional, non-finite and float32-overflowing numbers. */
const numbers: Mutation = (slots, spec, rand) => {
  const idx = numberSlots(slots, spec.kinds);
  if (idx.length === 0) return undefined;
  for (const i of some(rand, idx, 3)) setNumber(slots, i, rand.pick(BAD));
  return 'numbers';
};

const resize: Mutation = (slots, _spec, rand) => {
  const bufs = allBufs(slots);
  if (bufs.length === 0) return undefined;
  for (const b of some(rand, bufs, 3)) {
    const l = b.length;
    b.length = rand.chance(0.02) ? 1 << (16 + rand.int(7)) : rand.pick([0, 1, Math.max(0, l - 1), l + 1, 2 * l, rand.int(4 * l + 9)]);
  }
  return 'resize';
};

/** Odd offsets (misaligned for SIMD), SharedArrayBuffer and resizable backing, detached buffers. */
const place: Mutation = (slots, _spec, rand) => {
  const bufs = allBufs(slots);
  if (bufs.length === 0) return undefined;
  for (const b of some(rand, bufs, 3)) {
    b.offset = align(4 * (1 + rand.int(15)), b.ctor);
    b.backing = rand.pick(['plain', 'shared', 'resizable'] as const);
    b.detached = b.backing !== 'shared' && rand.chance(0.2);
  }
  return 'place';
};

/**
 * Two or three buffers in one ArrayBuffer: identical starts, overlapping, nested, adjacent.
 * Index arrays (which kernels read while they write) are picked more often.
 */
const alias: Mutation = (slots, _spec, rand) => {
  const bufs = allBufs(slots);
  if (bufs.length < 2) return undefined;
  const chosen = some(rand, bufs, 3);
  const index = bufs.find((b) => b.ctor === Int32Array);
  if (index && !chosen.includes(index) && rand.chance(0.5)) chosen.unshift(index);
  if (chosen.length < 2) chosen.push(bufs.find((b) => b !== chosen[0])!);
  const [first, ...rest] = chosen as [Buf, ...Buf[]];
  const how: string[] = [];
  for (const b of rest) {
    const end = first.offset + first.length * first.ctor.BYTES_PER_ELEMENT;
    const relation = rand.pick(['same', 'inside', 'adjacent', 'gap', 'before'] as const);
    if (relation === 'before') {
      first.offset = align(first.offset + b.length * b.ctor.BYTES_PER_ELEMENT + 8, first.ctor);
      b.offset = Math.max(0, Math.floor((first.offset - b.length * b.ctor.BYTES_PER_ELEMENT) / 8) * 8);
    } else {
      const at = { same: first.offset, inside: first.offset + 4 * rand.int(first.length + 1), adjacent: end, gap: end + 4 }[relation];
      b.offset = align(at, b.ctor);
    }
    b.group = first.group;
    b.backing = first.backing;
    b.detached = first.detached;
    how.push(relation);
  }
  return `alias(${how.join(',')})`;
};

/** NaN, infinities, huge and denormal values; indices out of range. */
const contents: Mutation = (slots, _spec, rand) => {
  const bufs = allBufs(slots);
  if (bufs.length === 0) return undefined;
  for (const b of some(rand, bufs, 2)) {
    const pool = b.ctor === Int32Array ? I32_SPECIAL : F32_SPECIAL;
    b.source = Array.from({ length: 1 + rand.int(16) }, () => rand.pick(pool));
  }
  return 'contents';
};

/** Wrong types: one or two arguments replaced, or a buffer's element type changed. */
const types: Mutation = (slots, _spec, rand) => {
  if (slots.length === 0) return undefined;
  const labels: string[] = [];
  for (const i of some(rand, slots.map((_, j) => j), 2)) {
    const b = bufOf(slots[i]);
    if (b && rand.chance(0.4)) {
      b.ctor = rand.pick([Float32Array, Int32Array, Float64Array, Uint8Array] as TypedCtor[]);
      b.offset = align(b.offset, b.ctor);
      labels.push(b.ctor.name);
    } else {
      const [label, make] = rand.pick(WRONG);
      slots[i] = { value: make(), label };
      labels.push(label);
    }
  }
  return `types(${labels.join(',')})`;
};

/** Extra, missing, swapped and repeated arguments; sparse and repeated list items. */
const arity: Mutation = (slots, _spec, rand) => {
  const list = slots.find((s): s is Extract<Slot, { list: Slot[] }> => 'list' in s);
  const what = rand.pick(['extra', 'missing', 'swap', 'dup', list ? 'list' : 'extra'] as const);
  if (what === 'extra') {
    for (let n = 1 + rand.int(3); n > 0; n--) {
      const r = rand();
      if (r < 0.3) slots.push({ value: {}, label: '{}' });
      else if (r < 0.5) slots.push({ buf: newBuf(Float32Array, [0.5], 1 + rand.int(64)) });
      else {
        const [label, make] = rand.pick(WRONG);
        slots.push({ value: make(), label });
      }
    }
  } else if (what === 'missing') {
    slots.splice(Math.max(0, slots.length - 1 - rand.int(3)));
  } else if (slots.length >= 2) {
    const i = rand.int(slots.length);
    let j = rand.int(slots.length - 1);
    if (j >= i) j++;
    if (what === 'swap') [slots[i], slots[j]] = [slots[j]!, slots[i]!];
    else if (what === 'dup') slots[j] = slots[i]!; // the same object twice
    else if (list && list.list.length > 0) {
      const item = list.list[rand.int(list.list.length)]!;
      if (rand.chance(0.5)) list.list.push(item);
      else list.list.splice(rand.int(list.list.length + 1), 0, { value: undefined, label: 'undefined' });
    }
  }
  return `arity(${what})`;
};

/**
 * Objects that run code when the binding reads them: a trailing Proxy argument (sgemmEx's
 * packCache) whose traps detach or shrink every buffer of the call or hand back a view of
 * one, and list items whose getters do the same or empty the list.
 */
const hostile: Mutation = (slots, _spec, rand, traits) => {
  const how = rand.pick(['detach', 'detach', 'shrink', 'alias-entry'] as Sabotage[]);
  const list = slots.find((s): s is Extract<Slot, { list: Slot[] }> => 'list' in s);
  if (list && list.list.length > 0 && rand.chance(0.7)) {
    list.getter = { index: rand.int(list.list.length), sabotage: how === 'alias-entry' ? 'none' : how };
    return `hostile(getter ${list.getter.sabotage})`;
  }
  if (!traits.trailingObject) return undefined;
  if (how === 'shrink') for (const b of allBufs(slots)) if (b.backing === 'plain' && rand.chance(0.5)) b.backing = 'resizable';
  slots.push({ hostile: how });
  return `hostile(${how})`;
};

const MUTATIONS: [Mutation, number][] = [
  [dims, 4],
  [huge, 2],
  [numbers, 1],
  [resize, 2],
  [place, 2],
  [alias, 3],
  [contents, 1],
  [types, 1],
  [arity, 1],
  [hostile, 1],
];
const TOTAL = MUTATIONS.reduce((s, [, w]) => s + w, 0);

/** One to four mutations, weighted; returns their labels. */
export function mutate(slots: Slot[], spec: BindingSpec, rand: Rand, traits: Traits): string[] {
  const labels: string[] = [];
  for (let n = 1 + rand.int(4); n > 0; n--) {
    let r = rand() * TOTAL;
    const [m] = MUTATIONS.find(([, w]) => (r -= w) < 0) ?? MUTATIONS[0]!;
    const label = m(slots, spec, rand, traits);
    if (label) labels.push(label);
  }
  return labels;
}

/**
 * Degenerate sizes, every combination of three: one size argument at 2^31 - 1 with one or
 * two others at 0, or two at 2^31 - 1 with one at 0. An empty buffer leaves a huge size
 * unbounded by any length, and a kernel looping over it visits nothing for seconds or
 * minutes (batch norm over 2^31 - 1 empty samples, a pooling window of 2^31 - 1 empty rows).
 */
export function* degenerate(spec: BindingSpec): Generator<[string, Slot[]]> {
  const dims = spec.kinds.flatMap((k, i) => (k === 'dim' ? [i] : []));
  const make = (huge: number[], zero: number[]): [string, Slot[]] => {
    const slots = planOf(spec.valid());
    for (const i of huge) setNumber(slots, i, 2 ** 31 - 1);
    for (const i of zero) setNumber(slots, i, 0);
    return [`degenerate(${huge.join(', ')}: 2^31-1, ${zero.join(', ')}: 0)`, slots];
  };
  for (const a of dims) {
    for (const b of dims) {
      if (b === a) continue;
      yield make([a], [b]);
      for (const c of dims) {
        if (c <= b || c === a) continue;
        yield make([a], [b, c]);
        yield make([b, c], [a]);
      }
    }
  }
}

const LENGTH = /^\S+: (\S+) (?:needs at least|must have|must be empty \(none\) or have) (\d+) elements/;
const AT_LEAST = /^\S+: (\S+) must be at least (\d+)/;
const IN_RANGE = /^\S+: (\S+) must be an integer in \[(-?\d+), (-?\d+)\], but received (\S+)/;

/**
 * After an error: a length error resizes the named buffer, "must be at least N" raises the
 * named size, an integer out of its range is clamped into it. `names` maps argument names to positions (learned from the binding's own
 * messages). Returns whether anything changed (then the caller calls again).
 */
export function repair(slots: Slot[], message: string, names: Map<string, number>): boolean {
  const len = LENGTH.exec(message);
  if (len) {
    const b = bufOf(slots[names.get(len[1]!) ?? -1]);
    const need = Number(len[2]);
    const total = allBufs(slots).reduce((s, x) => s + (x === b ? 0 : x.length), need);
    if (!b || b.length === need || need > MAX_BUF || total > MAX_TOTAL) return false;
    b.length = need;
    return true;
  }
  const min = AT_LEAST.exec(message);
  const range = IN_RANGE.exec(message);
  const i = names.get((min ?? range)?.[1] ?? '');
  const old = i === undefined ? undefined : (slots[i] as { value?: unknown } | undefined)?.value;
  if (i === undefined || typeof old !== 'number') return false;
  if (min) setNumber(slots, i, Number(min[2]));
  else if (range && Number.isFinite(old)) setNumber(slots, i, Math.min(Math.max(Math.round(old), Number(range[2])), Number(range[3])));
  else return false;
  return true;
}
