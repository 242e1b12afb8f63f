import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { ErrorCode, Tensor, io, manualSeed, nn, randn, tensor, zeros } from '../../src/index.js';
import { maxScaledError } from '../helpers/reference.js';

const dir = mkdtempSync(join(tmpdir(), 'axonal-io-'));
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = new URL('../parity/fixtures/', import.meta.url);

describe('io.save / io.load (safetensors)', () => {
  it('round-trips tensors and metadata, sync and async', async () => {
    manualSeed(0);
    const tensors = { 'a.weight': randn(3, 4), 'a.bias': randn(4), scalar: tensor(2.5), empty: zeros(0, 3) };
    const p = join(dir, 'rt.safetensors');
    await io.save(tensors, p, { epoch: '3', note: 'hello' });
    const { tensors: back, metadata } = await io.loadWithMetadata(p);
    expect(metadata).toEqual({ epoch: '3', note: 'hello' });
    expect(Object.keys(back)).toEqual(Object.keys(tensors));
    for (const [k, t] of Object.entries(tensors)) {
      expect(back[k]!.shape).toEqual(t.shape);
      expect(Array.from(back[k]!.data)).toEqual(Array.from(t.data));
    }
    io.saveSync(tensors, p);
    expect(Object.keys(io.loadSync(p))).toEqual(Object.keys(tensors));
    // Layout: 8-byte length, 8-aligned JSON header, F32 data.
    const bytes = readFileSync(p);
    const n = Number(bytes.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    expect(JSON.parse(bytes.subarray(8, 8 + n).toString()).scalar).toEqual({ dtype: 'F32', shape: [], data_offsets: [64, 68] });
  });

  it('loads a state dict written from PyTorch, int64 buffers included, and reproduces its outputs', async () => {
    const sd = await io.load(fileURLToPath(new URL('torch_mlp.safetensors', fixtures)));
    expect(sd['extra.counter']!.item()).toBe(7);
    const ref = JSON.parse(readFileSync(new URL('torch_mlp_io.json', fixtures), 'utf8')) as { input: number[]; inputShape: number[]; output: number[] };
    const model = new nn.Sequential(new nn.Linear(6, 5), new nn.Identity(), new nn.Linear(5, 3));
    const { 'extra.counter': _c, ...weights } = sd;
    model.loadStateDict(weights);
    const y = model.forward(new Tensor(Float32Array.from(ref.input), ref.inputShape)) as Tensor;
    expect(maxScaledError(y.data, ref.output, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
  });

  it('a model saved and loaded gives the same outputs', async () => {
    manualSeed(4);
    const a = new nn.Sequential(new nn.Linear(3, 4), new nn.Linear(4, 2));
    const p = join(dir, 'model.safetensors');
    await io.save(a.stateDict(), p);
    const b = new nn.Sequential(new nn.Linear(3, 4), new nn.Linear(4, 2));
    b.loadStateDict(await io.load(p));
    const x = randn(5, 3);
    expect(Array.from((b.forward(x) as Tensor).data)).toEqual(Array.from((a.forward(x) as Tensor).data));
  });

  it('rejects malformed files with clear errors and never a partial load', () => {
    const good = Buffer.concat(io.serialize({ w: tensor([1, 2, 3]), b: tensor([4]) }));
    const cases: [string, Uint8Array, RegExp][] = [
      ['too short', good.subarray(0, 5), /too short for a safetensors header/],
      ['truncated data', good.subarray(0, good.length - 2), /ends at byte 16 of the data but the file holds 14 data bytes \(truncated\)|cover/],
      ['absurd header length', Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), good.subarray(8)]), /declares a \d+-byte header/],
    ];
    const withHeader = (h: unknown, data = Buffer.alloc(16)) => {
      const json = Buffer.from(JSON.stringify(h));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      return Buffer.concat([len, json, data]);
    };
    cases.push(['bad JSON', Buffer.concat([Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{x]')]), /the header is not valid JSON/]);
    cases.push(['unknown dtype', withHeader({ w: { dtype: 'C64', shape: [2], data_offsets: [0, 16] } }), /unsupported dtype "C64"/]);
    cases.push(['size mismatch', withHeader({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }), /\(12 bytes\) but its data_offsets span 16 bytes/]);
    cases.push(['overlap', withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }), /overlapping or missing/]);
    cases.push(['hole', withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }), /cover 8 data bytes but the file holds 16/]);
    cases.push(['negative shape', withHeader({ a: { dtype: 'F32', shape: [-4], data_offsets: [0, 16] } }), /invalid shape/]);
    for (const [label, bytes, pattern] of cases) {
      let err: unknown;
      try {
        io.deserialize(bytes, label);
      } catch (e) {
        err = e;
      }
      expect(err, label).toBeDefined();
      expect((err as Error).message, label).toMatch(pattern);
      expect((err as { code: string }).code, label).toBe(ErrorCode.File);
    }
    expect(() => io.loadSync(join(dir, 'missing.safetensors'))).toThrow(/io.loadSync: cannot read .*missing.safetensors/);
    expect(() => io.saveSync({ w: [1, 2] as never }, join(dir, 'x.safetensors'))).toThrow(TypeError);
    expect(() => io.saveSync({ w: tensor([1]) }, join(dir, 'x.safetensors'), { n: 3 as never })).toThrow(/metadata\["n"\] must be a string/);
  });

  it('a write killed halfway leaves the previous file intact', async () => {
    const p = join(dir, 'ckpt.safetensors');
    io.saveSync({ w: tensor([1, 2, 3]) }, p);
    // A child process starts writing ~400 MB over the same path and is killed mid-write.
    const child = spawn(process.execPath, ['-e', `const a = require('axonal'); const big = {}; for (let i = 0; i < 100; i++) big['t' + i] = a.zeros(1000000); process.stdout.write('go\\n'); a.io.saveSync(big, ${JSON.stringify(p)});`], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const started = await new Promise<boolean>((resolve) => {
      child.stdout!.once('data', () => resolve(true));
      child.once('exit', () => resolve(false));
    });
    expect(started, 'the writer process failed to start').toBe(true);
    // Kill it once its temporary file holds some data: provably mid-write.
    const tmpSize = () => readdirSync(dir).filter((f) => f.startsWith('.ckpt.safetensors.') && f.endsWith('.tmp')).map((f) => statSync(join(dir, f)).size);
    const deadline = Date.now() + 20_000;
    while (!tmpSize().some((n) => n > 1 << 20) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGKILL');
    expect(tmpSize().some((n) => n > 1 << 20 && n < 400_000_000)).toBe(true);
    await new Promise((r) => child.once('exit', r));
    expect(Array.from(io.loadSync(p).w!.data)).toEqual([1, 2, 3]);
    expect(existsSync(p)).toBe(true);
    // The abandoned temporary file is beside it, never at the target path.
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.tmp'))) rmSync(join(dir, f));
  });
});
