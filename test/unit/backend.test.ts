import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

import { backend } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: root, encoding: 'utf8' })) as { version: string };

function nodeEval(code: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('backend.info', () => {
  it('reports version, ISA, threads and SIMD width', () => {
    const info = backend.info();
    expect(info.version).toBe(pkg.version);
    expect(info.isaAvailable[0]).toBe('scalar');
    expect(info.isaAvailable).toContain(info.isa);
    expect(info.isa).toBe(info.isaAvailable[info.isaAvailable.length - 1]);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect({ scalar: 1, neon: 4, avx2: 8, avx512: 16 }[info.isa]).toBe(info.simdWidthFloats);
  });

  it('setNumThreads changes the pool size and validates', () => {
    const before = backend.getNumThreads();
    backend.setNumThreads(3);
    expect(backend.info().threads).toBe(3);
    backend.setNumThreads(before);
    expect(() => backend.setNumThreads(0)).toThrow(RangeError);
    expect(() => backend.setNumThreads(1.5)).toThrow(/backend.setNumThreads: n must be an integer in \[1, 256\], but received 1.5/);
    expect(() => backend.setNumThreads('2' as never)).toThrow(TypeError);
  });
});

describe('loading, from the package root', () => {
  it('require("axonal") works (CommonJS build)', () => {
    const r = nodeEval('const a = require("axonal"); console.log(JSON.stringify(a.backend.info()))');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).version).toBe(pkg.version);
  });

  it('import("axonal") works (ES module build) and exposes the same API', () => {
    const code = [
      'import * as esm from "axonal";',
      'import { createRequire } from "node:module";',
      'const cjs = createRequire(import.meta.url)("axonal");',
      'console.log(Object.keys(esm).sort().join() === Object.keys(cjs).sort().join() && esm.zeros(2).size === 2);',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true');
  });

  it('the bundled package prints modules with their public class names', () => {
    const r = nodeEval('const { nn } = require("axonal"); console.log(String(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU())))');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)');
  });

  it('AXONAL_ISA forces each lower level the machine supports', () => {
    for (const isa of backend.info().isaAvailable) {
      const r = nodeEval('console.log(require("axonal").backend.info().isa)', { AXONAL_ISA: isa });
      expect(r.stdout.trim()).toBe(isa);
    }
  });

  it('AXONAL_ISA naming an unknown or unavailable level fails with a clear error', () => {
    const bogus = nodeEval('require("axonal")', { AXONAL_ISA: 'sse9' });
    expect(bogus.status).not.toBe(0);
    expect(bogus.stderr).toContain('AXONAL_ISA must be one of scalar, avx2, avx512, neon, but received "sse9"');
    const missing = ['scalar', 'neon', 'avx2', 'avx512'].find((i) => !backend.info().isaAvailable.includes(i as backend.IsaName));
    if (missing) {
      const r = nodeEval('require("axonal")', { AXONAL_ISA: missing });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`AXONAL_ISA=${missing} is not supported by this CPU or build`);
      expect(r.stderr).toContain('ERR_AXONAL_ISA');
    }
  });

  it('AXONAL_NUM_THREADS sets the initial thread count', () => {
    const r = nodeEval('console.log(require("axonal").backend.info().threads)', { AXONAL_NUM_THREADS: '3' });
    expect(r.stdout.trim()).toBe('3');
  });
});

describe('worker_threads', () => {
  it('loads in several workers at once and computes the same results concurrently', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const a = require('axonal');
      a.manualSeed(workerData.seed);
      const x = a.randn(96, 80), w = a.randn(80, 70);
      // 260 rows: row regions over a staged B that the threads steal from, or that one
      // thread runs alone while another worker holds the pool.
      const x2 = a.randn(260, 200), w2 = a.randn(200, 300);
      let sum = 0;
      for (let r = 0; r < 30; r++) {
        const y = a.matmul(x, w), y2 = a.matmul(x2, w2);
        sum = 0;
        for (const v of y.data) sum += v;
        for (const v of y2.data) sum += v;
      }
      parentPort.postMessage({ sum, isa: a.backend.info().isa });
    `;
    const run = (seed: number) =>
      new Promise<{ sum: number; isa: string }>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { seed } });
        w.once('message', resolve);
        w.once('error', reject);
      });
    const results = await Promise.all([run(1), run(2), run(1), run(2), run(1), run(2)]);
    expect(results[0]!.sum).toBe(results[2]!.sum);
    expect(results[2]!.sum).toBe(results[4]!.sum);
    expect(results[1]!.sum).toBe(results[3]!.sum);
    expect(results[0]!.sum).not.toBe(results[1]!.sum);
    expect(new Set(results.map((r) => r.isa)).size).toBe(1);
  });

  it('a worker that exits does not disturb the main thread', async () => {
    const w = new Worker('require("axonal").zeros(10); process.exit(0)', { eval: true, cwd: root } as never);
    await new Promise((resolve) => w.once('exit', resolve));
    expect(backend.info().threads).toBeGreaterThanOrEqual(1);
  });
});

describe('thread count detection', () => {
  it('respects the CPU affinity mask (taskset)', () => {
    const probe = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
    expect(probe.status, 'taskset (util-linux) is needed for this test').toBe(0);
    const r = spawnSync('taskset', ['-c', '0', process.execPath, '-e', 'const i = require("axonal").backend; console.log(i.hardwareThreads(), i.info().threads)'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, AXONAL_NUM_THREADS: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1 1');
  });
});
