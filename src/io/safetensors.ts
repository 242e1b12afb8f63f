/**
 * safetensors (the format of Hugging Face's safetensors and PyTorch checkpoints
 * made with it): an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. axonal
 * writes F32; it reads F32, F16, BF16, F64 and the integer types (as float32).
 *
 * Any tensor name the format allows loads under that name ("__proto__" included: the
 * maps are filled with own properties). A header that repeats a key is rejected
 * (JSON.parse would keep the last silently), so is a __metadata__ that is not an
 * object of strings, and an integer tensor (I64, I32) holding a value float32 cannot
 * represent exactly (beyond 2^24 = 16777216 in magnitude, unless it happens to be a
 * float32 value): a RangeError naming the tensor and the value, rather than a
 * silently rounded index or count.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

import { AxonalError, ErrorCode, rangeError, typeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { describe } from '../validate.js';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
import { findDuplicateKey } from './json-keys.js';

export type TensorMap = Record<string, Tensor>;
export type Metadata = Record<string, string>;

export interface SafetensorsContents {
  tensors: TensorMap;
  metadata: Metadata;
}

const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

function fileError(source: string, message: string): AxonalError {
  return new AxonalError(`safetensors: ${source}: ${message}`, ErrorCode.File);
}

/** obj[key] = value as an own data property, even for "__proto__" (assignment would set the prototype). */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

function checkTensors(op: string, tensors: unknown, metadata: unknown): [string, Tensor][] {
  if (typeof tensors !== 'object' || tensors === null || tensors instanceof Tensor) {
    throw typeError(op, `tensors must be an object of name -> Tensor, but received ${describe(tensors)}`);
  }
  const entries = Object.entries(tensors as Record<string, unknown>);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw typeError(op, `"${name}" must be a Tensor, but received ${describe(t)}`);
    if (name === '__metadata__') throw typeError(op, 'a tensor cannot be named "__metadata__"');
  }
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw typeError(op, `metadata must be an object of strings, but received ${describe(metadata)}`);
    }
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw typeError(op, `metadata["${k}"] must be a string, but received ${describe(v)}`);
    }
  }
  return entries as [string, Tensor][];
}

/** The bytes of a safetensors file holding `tensors` (F32) and string `metadata`. */
export function serialize(tensors: TensorMap, metadata?: Metadata, op = 'safetensors.serialize'): Uint8Array[] {
  const entries = checkTensors(op, tensors, metadata);
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = t.size * 4;
    setOwn(header, name, { dtype: 'F32', shape: t.shape.slice(), data_offsets: [offset, offset + bytes] });
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8; // data starts 8-byte aligned, as the reference writer does
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  const chunks: Uint8Array[] = [prefix, json];
  for (const [, t] of entries) {
    if (LITTLE_ENDIAN) {
      chunks.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    } else {
      const b = Buffer.alloc(t.data.byteLength);
      t.data.forEach((v, i) => b.writeFloatLE(v, i * 4));
      chunks.push(b);
    }
  }
  return chunks;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** The integer as float32 would hold it, or a RangeError if float32 cannot hold it exactly. */
function exactInteger(source: string, name: string, dtype: string, index: number, v: bigint | number): number {
  const x = Number(v);
  if (BigInt(Math.fround(x)) !== BigInt(v)) {
    throw rangeError(
      'safetensors',
      `${source}: "${name}" is ${dtype} and element ${index} is ${v}, which float32 (axonal's only dtype) cannot hold exactly ` +
        `(integers up to 2^24 = 16777216 in magnitude can); convert or drop that tensor before loading`,
      ErrorCode.File,
    );
  }
  return x;
}

function decode(source: string, name: string, dtype: string, bytes: Uint8Array, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) out.set(new Float32Array(bytes.buffer, bytes.byteOffset, count));
      else for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(1);
      const asFloat = new Float32Array(bits.buffer);
      for (let i = 0; i < count; i++) {
        bits[0] = view.getUint16(i * 2, true) << 16;
        out[i] = asFloat[0]!;
      }
      break;
    }
    case 'I64':
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(i * 8, true);
        out[i] = v >= -16777216n && v <= 16777216n ? Number(v) : exactInteger(source, name, dtype, i, v);
      }
      break;
    case 'I32':
      for (let i = 0; i < count; i++) {
        const v = view.getInt32(i * 4, true);
        out[i] = v >= -16777216 && v <= 16777216 ? v : exactInteger(source, name, dtype, i, v);
      }
      break;
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      break;
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      break;
    case 'U8':
    case 'BOOL':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      break;
  }
  return out;
}

/** Parses safetensors bytes, checking every offset and size before reading anything. */
export function deserialize(bytes: Uint8Array, source = '<buffer>'): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) throw typeError('safetensors.deserialize', `bytes must be a Uint8Array, but received ${describe(bytes)}`);
  if (bytes.length < 8) throw fileError(source, `has ${bytes.length} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw fileError(source, `declares a ${headerLen}-byte header but the file has ${bytes.length - 8} bytes after the length (truncated or not safetensors)`);
  }
  const n = Number(headerLen);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw fileError(source, `the header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fileError(source, 'the header is not a JSON object');
  const duplicate = findDuplicateKey(Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString('utf8'));
  if (duplicate) {
    const where = duplicate.path.length === 0 ? 'the header' : `the header's ${duplicate.path.map((k) => JSON.stringify(k)).join(' -> ')}`;
    throw fileError(source, `${where} has the key ${JSON.stringify(duplicate.key)} twice (JSON.parse would keep the last; the file can be read two ways)`);
  }
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Metadata = {};
  const specs: [string, string, number[], number, number][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw fileError(source, `__metadata__ must be an object of strings, but is ${describe(entry)}`);
      }
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v !== 'string') throw fileError(source, `__metadata__["${k}"] is not a string`);
        setOwn(metadata, k, v);
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) throw fileError(source, `entry "${name}" is not an object`);
    if (typeof e.dtype !== 'string' || !(e.dtype in DTYPE_BYTES)) throw fileError(source, `"${name}" has unsupported dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw fileError(source, `"${name}" has an invalid shape ${JSON.stringify(e.shape)}`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1]) {
      throw fileError(source, `"${name}" has invalid data_offsets ${JSON.stringify(off)}`);
    }
    const count = (e.shape as number[]).reduce((a, b) => a * b, 1);
    const size = count * DTYPE_BYTES[e.dtype]!;
    if (off[1] - off[0] !== size) {
      throw fileError(source, `"${name}" is ${e.dtype} [${(e.shape as number[]).join(', ')}] (${size} bytes) but its data_offsets span ${off[1] - off[0]} bytes`);
    }
    if (off[1] > dataLen) throw fileError(source, `"${name}" ends at byte ${off[1]} of the data but the file holds ${dataLen} data bytes (truncated)`);
    specs.push([name, e.dtype, e.shape as number[], off[0], count]);
  }
  // The ranges must tile the data exactly: no overlap, no holes.
  const sorted = specs.slice().sort((a, b) => a[3] - b[3]);
  let expected = 0;
  for (const [name, dtype, , begin, count] of sorted) {
    if (begin !== expected) throw fileError(source, `"${name}" starts at data byte ${begin}, expected ${expected} (overlapping or missing ranges)`);
    expected = begin + count * DTYPE_BYTES[dtype]!;
  }
  if (expected !== dataLen) throw fileError(source, `the tensors cover ${expected} data bytes but the file holds ${dataLen}`);
  const tensors: TensorMap = {};
  for (const [name, dtype, shape, begin, count] of specs) {
    const raw = bytes.subarray(dataStart + begin, dataStart + begin + count * DTYPE_BYTES[dtype]!);
    setOwn(tensors, name, new Tensor(decode(source, name, dtype, raw, count), shape));
  }
  return { tensors, metadata };
}

function readError(op: string, path: string, err: unknown): AxonalError {
  return new AxonalError(`${op}: cannot read ${path}: ${(err as Error).message}`, ErrorCode.File, { cause: err });
}

/** Writes `tensors` (e.g. `model.stateDict()`) to a safetensors file, atomically. */
export async function save(tensors: TensorMap, path: string, metadata?: Metadata): Promise<void> {
  if (typeof path !== 'string') throw typeError('io.save', `path must be a string, but received ${describe(path)}`);
  await writeFileAtomic(path, serialize(tensors, metadata, 'io.save'));
}

export function saveSync(tensors: TensorMap, path: string, metadata?: Metadata): void {
  if (typeof path !== 'string') throw typeError('io.saveSync', `path must be a string, but received ${describe(path)}`);
  writeFileAtomicSync(path, serialize(tensors, metadata, 'io.saveSync'));
}

/** The tensors and metadata of a safetensors file. */
export async function loadWithMetadata(path: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw readError('io.load', path, err);
  }
  return deserialize(bytes, path);
}

export function loadWithMetadataSync(path: string): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw readError('io.loadSync', path, err);
  }
  return deserialize(bytes, path);
}

/** The tensors of a safetensors file, by name (ready for `model.loadStateDict`). */
export async function load(path: string): Promise<TensorMap> {
  return (await loadWithMetadata(path)).tensors;
}

export function loadSync(path: string): TensorMap {
  return loadWithMetadataSync(path).tensors;
}
