import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, io, tensor } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-st-'));

/** safetensors bytes from header text (or an object) and data. */
function withHeader(h: unknown, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const json = Buffer.from(typeof h === 'string' ? h : JSON.stringify(h));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, data]);
}

function i64(...values: bigint[]): Buffer {
  const b = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => b.writeBigInt64LE(v, 8 * i));
  return b;
}

function i32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeInt32LE(v, 4 * i));
  return b;
}

describe('safetensors: names', () => {
  it('a tensor named "__proto__" loads under that name and leaves the prototype alone', () => {
    const bytes = withHeader('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', Buffer.from(new Float32Array([1.5, 2]).buffer));
    const { tensors } = io.deserialize(bytes);
    expect(Object.keys(tensors)).toEqual(['__proto__', 'w']);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.hasOwn(tensors, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(tensors, '__proto__')!.value).toBeInstanceOf(Tensor);
    expect((Object.getOwnPropertyDescriptor(tensors, '__proto__')!.value as Tensor).item()).toBe(1.5);
  });

  it('saves and loads "__proto__", "constructor" and metadata keys of those names', async () => {
    const tensors: Record<string, Tensor> = {};
    Object.defineProperty(tensors, '__proto__', { value: tensor([1, 2]), enumerable: true });
    tensors.constructor = tensor([3]);
    const metadata: Record<string, string> = {};
    Object.defineProperty(metadata, '__proto__', { value: 'x', enumerable: true });
    const p = join(dir, 'proto.safetensors');
    await io.save(tensors, p, metadata);
    const back = await io.loadWithMetadata(p);
    expect(Object.keys(back.tensors).sort()).toEqual(['__proto__', 'constructor']);
    expect(Array.from(Object.getOwnPropertyDescriptor(back.tensors, '__proto__')!.value.data)).toEqual([1, 2]);
    expect(back.tensors.constructor!.item()).toBe(3);
    expect(Object.getOwnPropertyDescriptor(back.metadata, '__proto__')!.value).toBe('x');
  });

  it('rejects a header that repeats a key, naming it', () => {
    const dup = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(() => io.deserialize(withHeader(dup, Buffer.alloc(8)), 'm.safetensors')).toThrow(
      /^safetensors: m\.safetensors: the header has the key "a" twice \(JSON\.parse would keep the last; the file can be read two ways\)$/,
    );
    try {
      io.deserialize(withHeader(dup, Buffer.alloc(8)));
    } catch (err) {
      expect((err as { code: string }).code).toBe(ErrorCode.File);
    }
    // Inside an entry or the metadata too; escapes in keys are decoded before comparing.
    expect(() => io.deserialize(withHeader('{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}', Buffer.alloc(8)))).toThrow(/the header's "a" has the key "dtype" twice/);
    expect(() => io.deserialize(withHeader('{"__metadata__":{"k":"1","\\u006b":"2"}}'))).toThrow(/the header's "__metadata__" has the key "k" twice/);
    // Equal strings that are values, not keys, are fine; so are the same keys in different objects.
    const ok = '{"__metadata__":{"a":"a","b":"a"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expect(Object.keys(io.deserialize(withHeader(ok, Buffer.alloc(8))).tensors)).toEqual(['a', 'b']);
    expect(() => io.deserialize(withHeader('{"a\\"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a\\\\":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', Buffer.alloc(8)))).not.toThrow();
  });
});

describe('safetensors: __metadata__', () => {
  it('must be an object of strings', () => {
    expect(() => io.deserialize(withHeader({ __metadata__: ['x'] }))).toThrow(/^safetensors: <buffer>: __metadata__ must be an object of strings, but is an Array of length 1$/);
    expect(() => io.deserialize(withHeader({ __metadata__: 'x' }))).toThrow(/__metadata__ must be an object of strings, but is a string/);
    expect(() => io.deserialize(withHeader({ __metadata__: { n: 3 } }))).toThrow(/__metadata__\["n"\] is not a string/);
    expect(io.deserialize(withHeader({ __metadata__: { n: '3' } })).metadata).toEqual({ n: '3' });
    expect(() => io.serialize({}, ['x'] as never)).toThrow(/metadata must be an object of strings, but received an Array of length 1/);
  });
});

describe('safetensors: integers that float32 cannot hold', () => {
  it('I64 and I32 values beyond 2^24 that would round are a RangeError naming the tensor and value', () => {
    const spec = (dtype: string, n: number, w: number) => ({ counter: { dtype, shape: [n], data_offsets: [0, n * w] } });
    expect(() => io.deserialize(withHeader(spec('I64', 2, 8), i64(5n, 16777217n)), 'c.safetensors')).toThrow(
      /^safetensors: c\.safetensors: "counter" is I64 and element 1 is 16777217, which float32 \(axonal's only dtype\) cannot hold exactly/,
    );
    expect(() => io.deserialize(withHeader(spec('I64', 1, 8), i64(-(2n ** 62n) - 1n)))).toThrow(/element 0 is -4611686018427387905/);
    expect(() => io.deserialize(withHeader(spec('I32', 1, 4), i32(2 ** 30 + 1)))).toThrow(/"counter" is I32 and element 0 is 1073741825/);
    try {
      io.deserialize(withHeader(spec('I64', 1, 8), i64(16777217n)));
    } catch (err) {
      expect(err).toBeInstanceOf(RangeError);
      expect((err as { code: string }).code).toBe(ErrorCode.File);
    }
  });

  it('loads every integer float32 holds exactly: up to 2^24, and larger ones that are float32 values', () => {
    const values = [0n, 7n, -16777216n, 16777216n, 16777218n, 2n ** 40n, -(2n ** 62n)];
    const { tensors } = io.deserialize(withHeader({ v: { dtype: 'I64', shape: [values.length], data_offsets: [0, 8 * values.length] } }, i64(...values)));
    expect(Array.from(tensors.v!.data)).toEqual(values.map(Number));
    const ints = [-(2 ** 31), 2 ** 24, 2 ** 30, 123];
    const t32 = io.deserialize(withHeader({ v: { dtype: 'I32', shape: [4], data_offsets: [0, 16] } }, i32(...ints))).tensors.v!;
    expect(Array.from(t32.data)).toEqual(ints);
  });
});
