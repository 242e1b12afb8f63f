// The binding fuzzer (fuzz-child.ts) in a child process: a native crash, an abort or a
// hang fails this test with the seed and the last call made, instead of taking the
// test run down. The default run (15000 random cases, then the degenerate-size sweep)
// takes about 10 s on 2 cores. A longer or different run:
//   AXONAL_FUZZ_ITERS=200000 AXONAL_FUZZ_SEED=7 npx vitest run test/bad-input/fuzz.test.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const iters = Number(process.env.AXONAL_FUZZ_ITERS ?? 15000);
const seed = Number(process.env.AXONAL_FUZZ_SEED ?? 1);
// A case takes well under a millisecond; the margin covers a slow, shared CI machine.
// Past it, a hang.
const timeoutMs = 60_000 + 4 * iters;

it(`fuzz: ${iters} multi-argument mutations of the exports' valid calls (seed ${seed}) and degenerate sizes neither crash, hang nor corrupt memory`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'axonal-fuzz-'));
  const progress = join(dir, 'last-call.txt');
  try {
    const child = ['test/bad-input/fuzz-child.ts', '--seed', String(seed), '--iters', String(iters), '--progress', progress];
    const r = spawnSync(process.execPath, ['--import', './test/helpers/ts-register.mjs', ...child], {
      cwd: root,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
    });
    const how =
      (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT'
        ? `was killed after ${timeoutMs} ms (a hang?)`
        : r.signal
          ? `died of ${r.signal}`
          : `exited with status ${r.status}`;
    const last = existsSync(progress) ? readFileSync(progress, 'utf8').trim() : '(none)';
    const failures = r.stdout.split('\n').filter((l) => !l.startsWith('SUMMARY')).join('\n').trim();
    const report = [`the fuzz child ${how}`, `last call: ${last}`, failures, r.stderr.trim().slice(-4000)].filter(Boolean).join('\n');
    expect(r.status, report).toBe(0);
    const summary = /^SUMMARY (.*)$/m.exec(r.stdout);
    expect(summary, report).not.toBeNull();
    const stats = JSON.parse(summary![1]!) as { cases: number; sweeps: number; failures: number; noSuccess: string[] };
    expect(stats.cases).toBe(iters);
    expect(stats.sweeps).toBeGreaterThan(0);
    expect(stats.failures).toBe(0);
    // The mutations and repairs reach past the argument checks into every kernel.
    expect(stats.noSuccess, 'exports the fuzzer never called successfully').toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, timeoutMs + 10_000);
