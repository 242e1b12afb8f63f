/**
 * The IDX format (MNIST's): a big-endian header (two zero bytes, a type code, the
 * number of dimensions, then each dimension as uint32) followed by the data.
 * Gzipped files (.gz) are read transparently.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

import { AxonalError, ErrorCode } from '../errors.js';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxFile {
  shape: number[];
  /** The values, in the type the file declares. */
  data: IdxData;
}

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

function fail(path: string, message: string): AxonalError {
  return new AxonalError(`readIdx: ${path}: ${message}`, ErrorCode.File);
}

/** Parses the bytes of an IDX file (gunzipping them first if they start with the gzip magic). */
export function parseIdx(bytes: Uint8Array, path = '<buffer>'): IdxFile {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (err) {
      throw fail(path, `looks gzipped but does not decompress (${(err as Error).message})`);
    }
  }
  if (buf.length < 4) throw fail(path, `has ${buf.length} bytes, too short for an IDX header`);
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw fail(path, `is not an IDX file: it starts with 0x${buf[0]!.toString(16).padStart(2, '0')}${buf[1]!.toString(16).padStart(2, '0')}, not 0x0000`);
  }
  const type = TYPES[buf[2]!];
  if (!type) throw fail(path, `has unknown IDX type code 0x${buf[2]!.toString(16)}`);
  const ndim = buf[3]!;
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes) throw fail(path, `is truncated inside its header (${ndim} dimensions need ${headerBytes} bytes, the file has ${buf.length})`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndim; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  const need = count * type.bytes;
  const have = buf.length - headerBytes;
  if (have < need) {
    throw fail(path, `is truncated: the header says [${shape.join(', ')}] ${type.name} values (${need} bytes) but ${have} bytes follow it`);
  }
  if (have > need) throw fail(path, `has ${have - need} bytes after the [${shape.join(', ')}] ${type.name} values its header declares`);
  const at = headerBytes;
  let data: IdxData;
  switch (type.name) {
    case 'uint8':
      data = buf.slice(at, at + need);
      break;
    case 'int8':
      data = new Int8Array(buf.slice(at, at + need).buffer);
      break;
    default: {
      const n = count;
      const out = type.name === 'int16' ? new Int16Array(n) : type.name === 'int32' ? new Int32Array(n) : type.name === 'float32' ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const o = at + i * type.bytes;
        out[i] =
          type.name === 'int16' ? view.getInt16(o, false) : type.name === 'int32' ? view.getInt32(o, false) : type.name === 'float32' ? view.getFloat32(o, false) : view.getFloat64(o, false);
      }
      data = out;
    }
  }
  return { shape, data };
}

function readError(path: string, err: unknown): AxonalError {
  return new AxonalError(`readIdx: cannot read ${path}: ${(err as Error).message}`, ErrorCode.File, { cause: err });
}

/** Reads an IDX file (or .gz of one). */
export async function readIdx(path: string): Promise<IdxFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw readError(path, err);
  }
  return parseIdx(bytes, path);
}

export function readIdxSync(path: string): IdxFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw readError(path, err);
  }
  return parseIdx(bytes, path);
}
