// Every native export, called with wrong input: each call must throw a TypeError or
// RangeError whose message starts with the op's name, and the process must live on.
import { describe, expect, it } from 'vitest';

import { AxonalError } from '../../src/index.js';
import { native } from '../../src/native.js';
import { type ArgKind, specs } from './specs.js';

type Fn = (...args: unknown[]) => unknown;
const binding = native as unknown as Record<string, Fn>;

function detachedF32(n: number): Float32Array {
  const arr = new Float32Array(n);
  structuredClone(arr.buffer, { transfer: [arr.buffer] });
  return arr;
}

/** Wrong values for an argument of the given kind, each with a label. */
function wrongValues(kind: ArgKind, valid: unknown, range?: readonly [number, number]): [string, unknown][] {
  const common: [string, unknown][] = [['undefined', undefined], ['null', null], ['an object', {}], ['a symbol', Symbol('x')]];
  switch (kind) {
    case 'bool':
      return [...common, ['a number', 1], ['a string', 'true']];
    case 'dim':
      return [...common, ['-1', -1], ['1.5', 1.5], ['NaN', NaN], ['Infinity', Infinity], ['2^31', 2 ** 31], ['2^53', 2 ** 53], ['a string', '3'], ['a bigint', 3n]];
    case 'int': {
      const out: [string, unknown][] = [...common, ['-1', -1], ['1.5', 1.5], ['NaN', NaN], ['Infinity', -Infinity], ['2^60', 2 ** 60], ['a string', '2']];
      if (range) out.push([`${range[0] - 1} (below the range)`, range[0] - 1], [`${range[1] + 1} (above the range)`, range[1] + 1]);
      return out;
    }
    case 'finite':
      return [...common, ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['a string', '1']];
    case 'number':
      return [...common, ['NaN', NaN], ['a string', '1']];
    case 'f32null':
      return wrongValues('f32', valid).filter(([label]) => label !== 'null');
    case 'f32':
    case 'f32any': {
      const len = (valid as Float32Array).length;
      const out: [string, unknown][] = [
        ...common,
        ['a Float64Array', new Float64Array(len)],
        ['an Int32Array', new Int32Array(len)],
        ['an Array', Array.from({ length: len }, () => 0)],
        ['an ArrayBuffer', new ArrayBuffer(len * 4)],
        ['a DataView', new DataView(new ArrayBuffer(len * 4))],
        ['a detached Float32Array', detachedF32(len)],
      ];
      if (kind === 'f32') out.push(['a short Float32Array', new Float32Array(Math.max(0, len - 1))], ['an empty Float32Array', new Float32Array(0)]);
      return out;
    }
    case 'i32': {
      const len = (valid as Int32Array).length;
      return [...common, ['a Float32Array', new Float32Array(len)], ['a short Int32Array', new Int32Array(Math.max(0, len - 1))]];
    }
    case 'i32index': {
      const len = (valid as Int32Array).length;
      return [
        ...wrongValues('i32', valid),
        ['a Float64Array', new Float64Array(len)],
        ['an Array', Array.from({ length: len }, () => 0)],
        ['an Int32Array holding an index out of range', new Int32Array(len).fill(1 << 20)],
        ['an Int32Array holding -1', new Int32Array(len).fill(-1)],
      ];
    }
    case 'string':
      return [...common, ['a number', 1], ['an unknown name', 'sse9']];
    case 'class':
      return [...common, ['a number', 1], ['a string', 'Error']];
    case 'index': {
      const len = (valid as Int32Array).length;
      return [
        ...common,
        ['a Float64Array', new Float64Array(len)],
        ['an Array', Array.from({ length: len }, () => 0)],
        ['a short Int32Array', new Int32Array(Math.max(0, len - 1))],
        ['a Float32Array holding 0.5', new Float32Array(len).fill(0.5)],
        ['an Int32Array holding a class out of range', new Int32Array(len).fill(1 << 20)],
        ['an Int32Array holding -1', new Int32Array(len).fill(-1)],
      ];
    }
    case 'reduction':
      return [...common, ['a number', 1], ['an unknown name', 'avg']];
  }
}

function expectArgumentError(op: string, call: () => unknown, label: string) {
  let thrown: unknown;
  try {
    call();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `${op} with ${label} did not throw`).toBeDefined();
  const err = thrown as Error & { code?: string };
  expect(err instanceof TypeError || err instanceof RangeError, `${op} with ${label} threw ${err?.constructor?.name}: ${err?.message}`).toBe(true);
  expect(err.message.startsWith(`${op}: `), `message "${err.message}" should start with "${op}: "`).toBe(true);
  expect(err.code, `${op} with ${label}: missing code`).toMatch(/^ERR_AXONAL_/);
}

describe('bad input never crashes a binding', () => {
  it('every export has a spec', () => {
    expect(Object.keys(binding).sort()).toEqual(Object.keys(specs).sort());
  });

  for (const [name, spec] of Object.entries(specs)) {
    describe(name, () => {
      it('accepts its valid call', () => {
        const restoreIsa = name === 'setIsa' ? native.info().isa : undefined;
        const restoreThreads = native.getNumThreads();
        expect(() => binding[name]!(...spec.valid())).not.toThrow();
        if (restoreIsa) native.setIsa(restoreIsa);
        if (name === 'setErrorClass') native.setErrorClass(AxonalError);
        native.setNumThreads(restoreThreads);
      });

      it('rejects a wrong argument count', () => {
        const valid = spec.valid();
        expectArgumentError(spec.op, () => binding[name]!(...valid, 0), 'one argument too many');
        if (valid.length > 0) expectArgumentError(spec.op, () => binding[name]!(...valid.slice(0, -1)), 'one argument too few');
      });

      for (const [index, [min, max]] of Object.entries(spec.intRanges ?? {})) {
        it(`accepts every value of argument ${index}'s range ${min}..${max}`, () => {
          for (let v = min; v <= max; v++) {
            const args = spec.valid();
            args[Number(index)] = v;
            expect(() => binding[name]!(...args), `argument ${index} = ${v}`).not.toThrow();
          }
        });
      }

      spec.kinds.forEach((kind, i) => {
        it(`rejects wrong values for argument ${i} (${kind})`, () => {
          for (const [label, value] of wrongValues(kind, spec.valid()[i], spec.intRanges?.[i])) {
            const args = spec.valid();
            args[i] = value;
            expectArgumentError(spec.op, () => binding[name]!(...args), `argument ${i} = ${label}`);
          }
        });
      });
    });
  }
});

describe('sgemm messages', () => {
  const ok = () => specs.sgemm!.valid();
  const call = (patch: Record<number, unknown>) => {
    const args = ok();
    for (const [i, v] of Object.entries(patch)) args[Number(i)] = v;
    return () => native.sgemm(...(args as Parameters<typeof native.sgemm>));
  };
  it('names the argument, the need and what came', () => {
    expect(call({ 6: new Float32Array(10) })).toThrow('sgemm: a needs at least 17 elements for a 3x5 matrix with lda 6, but has 10');
    expect(call({ 7: 4 })).toThrow('sgemm: lda must be at least 5 (the columns of a as stored), but received 4');
    expect(call({ 0: 'no' })).toThrow('sgemm: transA must be a boolean, but received a string');
    expect(call({ 5: NaN })).toThrow('sgemm: alpha must be a finite number, but received NaN');
    expect(call({ 8: new Float64Array(20) })).toThrow('sgemm: b must be a Float32Array, but received a Float64Array of length 20');
    expect(call({ 11: detachedF32(12) })).toThrow('sgemm: c is a Float32Array whose buffer has been detached (transferred)');
    expect(call({ 2: 2 ** 31 })).toThrow(RangeError);
  });
  it('rejects an output that overlaps an input', () => {
    const buf = new Float32Array(64);
    const args = ok();
    args[6] = buf.subarray(0, 17);
    args[11] = buf.subarray(10, 22);
    expect(() => native.sgemm(...(args as Parameters<typeof native.sgemm>))).toThrow('sgemm: c must not share memory with a (pass a separate output buffer)');
  });
  it('rejects sizes whose extent overflows', () => {
    expect(call({ 2: 2 ** 31 - 1, 4: 2 ** 31 - 1, 7: 2 ** 31 - 1 })).toThrow(/sgemm: a needs at least \d+ elements/);
  });
});

describe('random garbage', () => {
  it('thousands of random calls only ever throw argument errors', () => {
    const pool: unknown[] = [
      undefined, null, 0, -1, 1, 2, 3, 1.5, NaN, Infinity, 2 ** 31, 2 ** 53, true, false, 'x', {}, [], 3n,
      new Float32Array(0), new Float32Array(1), new Float32Array(7), new Float32Array(64), new Float64Array(8), new Int32Array(8),
    ];
    let seed = 12345;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const before = { isa: native.info().isa, threads: native.getNumThreads() };
    for (const name of Object.keys(specs)) {
      if (name === 'setErrorClass') continue; // replacing the error class is not garbage-safe by design
      for (let r = 0; r < 400; r++) {
        const n = Math.floor(next() * 15);
        const args = Array.from({ length: n }, () => pool[Math.floor(next() * pool.length)]);
        try {
          binding[name]!(...args);
        } catch (err) {
          expect(err instanceof TypeError || err instanceof RangeError || err instanceof AxonalError).toBe(true);
        }
      }
    }
    native.setIsa(before.isa);
    native.setNumThreads(before.threads);
  });
});

// Calls the fuzzer (fuzz.test.ts) found to crash, hang or write into freed memory.
describe('fuzzer regressions', () => {
  const f32 = (n: number) => new Float32Array(n).fill(0.5);
  const steal = (arr: Float32Array) => {
    const taken = structuredClone(arr.buffer, { transfer: [arr.buffer as ArrayBuffer] });
    return { taken, at: new Float32Array(taken).slice() };
  };

  it('a convolution over zero input channels is a RangeError, not a SIGFPE', () => {
    // conv2dForward(x, weight, bias, y, n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups)
    expect(() => native.conv2dForward(f32(0), f32(0), f32(6), f32(2 * 6 * 9), 2, 0, 6, 5, 6, 3, 2, 2, 1, 1, 0, 1, 2, 1)).toThrow(
      'conv2dForward: c must be at least 1, but received 0',
    );
    expect(() => native.conv2dBackward(f32(0), f32(0), f32(2 * 6 * 9), f32(0), f32(0), f32(6), 2, 0, 6, 5, 6, 3, 2, 2, 1, 1, 0, 1, 2, 1)).toThrow(
      'conv2dBackward: c must be at least 1, but received 0',
    );
    // a transposed convolution reads its cOut channels
    const t = [2, 4, 3, 3, 0, 3, 2, 2, 2, 1, 1, 1, 1, 2, 1, 1] as const;
    expect(() => native.convTranspose2dForward(f32(72), f32(0), f32(0), f32(0), ...t)).toThrow('convTranspose2dForward: cOut must be at least 1, but received 0');
    expect(() => native.convTranspose2dBackward(f32(72), f32(0), f32(0), f32(72), f32(0), f32(0), ...t)).toThrow(
      'convTranspose2dBackward: cOut must be at least 1, but received 0',
    );
  });

  it('a convolution with no output elements returns at once, and its backward zeroes the gradients', () => {
    // n = 2^31 - 1 images of an empty 0x5 plane (padded to 92683 rows), o = 0: it ran for minutes
    const e = new Float32Array(0);
    const sizes = [2 ** 31 - 1, 4, 0, 5, 0, 3, 2, 1, 1, 46341, 1, 1, 1, 2] as const;
    const t0 = performance.now();
    native.conv2dForward(e, e, e, e, ...sizes);
    native.conv2dBackward(e, e, e, e, e, e, ...sizes);
    expect(performance.now() - t0).toBeLessThan(1000);
    const dx = new Float32Array(2 * 4 * 30).fill(7);
    native.conv2dBackward(f32(2 * 4 * 30), e, e, dx, e, e, 2, 4, 6, 5, 0, 3, 2, 2, 1, 1, 0, 1, 2, 2);
    expect(dx.every((v) => v === 0)).toBe(true);
  });

  it("sgemmEx reads its arguments again after a packCache accessor ran, and stores into the cache only after the product", () => {
    // 200 x 64 x 64: a product that reads a packed B
    const ab = () => [f32(200 * 64), 64, f32(64 * 64), 64] as const;
    const call = (c: Float32Array, cache: object) => {
      const [a, lda, b, ldb] = ab();
      native.sgemmEx(false, false, 200, 64, 64, 1, a, lda, b, ldb, 0, c, 64, null, 0, cache as Record<string, Float32Array>);
    };
    const c1 = f32(200 * 64);
    const onGet = new Proxy({}, { get: () => void steal(c1) });
    expect(() => call(c1, onGet)).toThrow('sgemmEx: c is a Float32Array whose buffer has been detached (transferred)');

    const c2 = f32(200 * 64);
    let stolen: ReturnType<typeof steal> | undefined;
    const onSet = new Proxy({}, { set: () => ((stolen = steal(c2)), true) });
    call(c2, onSet);
    expect(stolen, 'the new packing was stored').toBeDefined();
    expect(new Float32Array(stolen!.taken), 'nothing written into c after it was detached').toEqual(stolen!.at);
    expect(stolen!.at[0]).toBe(16); // the product, written before

    const buf = new ArrayBuffer(200 * 64 * 4, { maxByteLength: 200 * 64 * 8 });
    const c3 = new Float32Array(buf);
    const shrink = new Proxy({}, { get: () => void buf.resize(64) });
    expect(() => call(c3, shrink)).toThrow('sgemmEx: c needs at least 12800 elements for a 200x64 matrix with ldc 64, but has 16');
  });

  it('clipGradNorm borrows no item before an accessor on a later item has run', () => {
    const g0 = f32(8);
    const grads = [g0, f32(8)];
    const g1 = grads[1]!;
    Object.defineProperty(grads, 1, { get: () => (steal(g0), g1) });
    expect(() => native.clipGradNorm(grads, 1, 2, false, false)).toThrow(
      'clipGradNorm: grads[0] is a Float32Array whose buffer has been detached (transferred)',
    );
  });

  it('a pooling over an empty plane is a RangeError, not seconds of walking empty window rows', () => {
    // avgPool2dForward(x, y, planes, h, w, kh, kw, sh, sw, ph, pw, ceilMode, countIncludePad, divisorOverride)
    expect(() => native.avgPool2dForward(f32(0), f32(3), 3, 2 ** 31 - 1, 0, 2 ** 31 - 1, 2, 2 ** 20, 2, 1, 1, false, true, 0)).toThrow(
      'avgPool2dForward: w must be at least 1, but received 0',
    );
    expect(() => native.maxPool2dForward(f32(0), f32(3), new Int32Array(3), 3, 0, 5, 1, 1, 1, 1, 0, 0, 1, 1, false)).toThrow(
      'maxPool2dForward: h must be at least 1, but received 0',
    );
  });

  it('an adaptive pooling with no output returns at once, and its backward zeroes the gradient', () => {
    // oh = 2^31 - 1 rows of nothing (40 s a call where the compiler keeps the empty loop)
    const e = new Float32Array(0);
    native.adaptiveAvgPool2dForward(f32(3 * 42), e, 3, 7, 6, 2 ** 31 - 1, 0);
    const dx = new Float32Array(3 * 42).fill(7);
    native.adaptiveAvgPool2dBackward(e, dx, 3, 7, 6, 2 ** 31 - 1, 0);
    expect(dx.every((v) => v === 0)).toBe(true);
  });

  it('class-loss outputs may not overlap the targets the kernel reads while writing them', () => {
    // grad over target segfaulted: written rows turned later targets into wild indices
    const buf = new ArrayBuffer(4 * 64 * 4 + 256);
    const grad = new Float32Array(buf, 0, 64 * 4);
    const target = new Int32Array(buf, 32, 64).fill(1);
    const e = new Float32Array(0);
    expect(() => native.crossEntropyLoss(f32(64 * 4), 64, 4, target, e, -100, 0, grad, e, 'mean')).toThrow(
      'crossEntropyLoss: grad must not share memory with target (pass a separate output buffer)',
    );
    const out = new Float32Array(buf, 4 * 64 * 4, 16);
    const t16 = new Int32Array(buf, 4 * 64 * 4 + 8, 16).fill(1);
    expect(() => native.nllLoss(f32(16 * 4), 16, 4, t16, e, -100, f32(16 * 4), out, 'none')).toThrow(
      'nllLoss: out must not share memory with target (pass a separate output buffer)',
    );
  });

  it('maxPool2dBackward: dx may not overlap the idx it scatters by', () => {
    const buf = new ArrayBuffer(4096);
    const dx = new Float32Array(buf, 0, 32);
    const idx = new Int32Array(buf, 64, 8);
    expect(() => native.maxPool2dBackward(f32(8), idx, dx, 2, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1, false)).toThrow(
      'maxPool2dBackward: dx must not share memory with idx (pass a separate output buffer)',
    );
  });

  it('sgemmBatched: a zero C stride over a huge count is an overlap, said at once', () => {
    // k = 0 leaves a and b empty, so nothing bounds count1 (the pairwise check took 2 s)
    const t0 = performance.now();
    expect(() => native.sgemmBatched(false, false, 3, 4, 0, 1, f32(0), 1, f32(0), 4, 0, f32(72), 4, 2, 2 ** 31 - 1, 0, 0, 0, 0, 36, 0)).toThrow(
      'sgemmBatched: c: the batch\'s 3 x 4 output blocks overlap (ldc 4, strideC0 36, strideC1 0)',
    );
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('batchNormBackward over no values returns at once whatever n is', () => {
    // x [2^31 - 1, 3, 0]: nothing to sum (it ran for 20 s)
    const t0 = performance.now();
    const dw = f32(3);
    const db = f32(3);
    native.batchNormBackward(f32(0), f32(0), 2 ** 31 - 1, 3, 0, f32(3), f32(3), f32(3), true, f32(0), dw, db);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect([...dw, ...db]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
