// `npm run bench -- gemm [--runs N] [--threads 1,2] [--shape 64x500x784NN]`
// SGEMM GFLOP/s per shape at 1 thread and 2 threads: axonal (native/bench/gemm_bench.cpp,
// built with CMake) against OpenBLAS measured in the same run (bench/c/openblas_gemm.c,
// built against -lopenblas if it is installed; a benchmark-only comparison), plus the
// machine's FMA peak measured by the bench itself. Each of our results is validated
// against a double reference before timing. The machine may be shared, so the two
// libraries are measured in alternating rounds (ours, OpenBLAS, ours, ...) and each
// figure is the best (and the median) over all rounds x runs of that library.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const runs = opt('runs', '3');
const rounds = Math.max(1, Number(opt('rounds', '3')));
const threadsList = opt('threads', '1,2');
const shape = opt('shape', '');

function sh(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.error) return { ok: false, out: String(r.error) };
  return { ok: r.status === 0, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

const buildDir = join(root, 'build-native', 'release');
let r = sh('cmake', ['-S', 'native', '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release', '-DAXONAL_BUILD_BENCH=ON']);
if (!r.ok) throw new Error(`cmake configure failed:\n${r.out}`);
r = sh('cmake', ['--build', buildDir, '-j', String(Math.max(1, cpus().length)), '--target', 'axonal_native_bench']);
if (!r.ok) throw new Error(`building axonal_native_bench failed:\n${r.out}`);

const benchArgs = ['--threads', threadsList, '--runs', runs, ...(shape ? ['--shape', shape] : [])];

// OpenBLAS at its best: unset the machine's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (they force AVX2 kernels).
const obBin = join(root, 'build-native', 'openblas_gemm');
mkdirSync(dirname(obBin), { recursive: true });
const obBuild = sh('cc', ['-O2', join(root, 'bench/c/openblas_gemm.c'), '-o', obBin, '-lopenblas']);
const obEnv = { ...process.env };
delete obEnv.OPENBLAS_CORETYPE;
delete obEnv.OPENBLAS_L2_SIZE;
let obNote;
if (!obBuild.ok) {
  obNote = `OpenBLAS: not measured (could not build against -lopenblas: ${obBuild.out.split('\n')[0]}); install libopenblas-dev to compare`;
}

const oursLines = [];
const obLines = [];
for (let r = 0; r < rounds; r++) {
  const ours = sh(join(buildDir, 'axonal_native_bench'), r === 0 ? benchArgs : [...benchArgs, '--no-peak']);
  if (!ours.ok) throw new Error(`axonal_native_bench failed:\n${ours.out}`);
  oursLines.push(...ours.out.split('\n'));
  if (obBuild.ok) {
    for (const t of threadsList.split(',')) {
      const o = sh(obBin, [t, runs, shape], obEnv);
      if (!o.ok) throw new Error(`openblas_gemm failed:\n${o.out}`);
      obLines.push(...o.out.split('\n'));
    }
  }
}
if (obBuild.ok) {
  const info = obLines.find((l) => l.startsWith('info openblas'));
  obNote = `OpenBLAS: ${info?.replace('info openblas ', '').replace(/ threads=\d+/, '')} (run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)`;
}

// Best over every round; median over the rounds' medians.
const parse = (lines) => {
  const m = new Map();
  for (const l of lines) {
    const f = l.trim().split(/\s+/);
    if (f[0] !== 'gemm') continue;
    const key = `${f[2]} ${f[3]} ${f[4]} ${f[5]} ${f[6]}`;
    const e = m.get(key) ?? { best: 0, medians: [], err: f[9] };
    e.best = Math.max(e.best, +f[7]);
    e.medians.push(+f[8]);
    m.set(key, e);
  }
  for (const e of m.values()) {
    const xs = [...e.medians].sort((x, y) => x - y);
    e.median = xs[Math.floor(xs.length / 2)];
  }
  return m;
};
const a = parse(oursLines), o = parse(obLines);
const peaks = new Map();
for (const l of oursLines) {
  const f = l.trim().split(/\s+/);
  if (f[0] === 'peak') peaks.set(f[2], { isa: f[1], best: +f[3], median: +f[4] });
}
const info = oursLines.find((l) => l.startsWith('info'));

console.log(`# axonal sgemm vs OpenBLAS (GFLOP/s, best / median over ${rounds} alternating rounds x ${runs} runs)`);
console.log(`# axonal: ${info?.replace('info ', '')}`);
console.log(`# ${obNote}`);
for (const [t, p] of peaks) console.log(`# FMA peak (${p.isa}, ${t} thread${t === '1' ? '' : 's'}): ${p.best.toFixed(1)} GFLOP/s (median ${p.median.toFixed(1)})`);
console.log('');
console.log('| M x N x K | op | threads | axonal best | axonal median | % of peak | OpenBLAS best | OpenBLAS median | ours/OpenBLAS |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
const ratios = new Map();
for (const [key, v] of a) {
  const [t, m, n, k, op] = key.split(' ');
  const ob = o.get(key);
  const peak = peaks.get(t)?.best;
  const ratio = ob ? v.best / ob.best : undefined;
  if (ratio) {
    if (!ratios.has(t)) ratios.set(t, []);
    ratios.get(t).push(ratio);
  }
  console.log(
    `| ${m} x ${n} x ${k} | ${op} | ${t} | ${v.best.toFixed(1)} | ${v.median.toFixed(1)} | ${peak ? ((100 * v.best) / peak).toFixed(1) : '-'} | ` +
      `${ob ? ob.best.toFixed(1) : '-'} | ${ob ? ob.median.toFixed(1) : '-'} | ${ratio ? ratio.toFixed(2) + 'x' : '-'} |`,
  );
}
const geo = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
console.log('');
const all = [];
for (const [t, xs] of ratios) {
  all.push(...xs);
  console.log(`geometric mean ours/OpenBLAS, ${t} thread${t === '1' ? '' : 's'}: ${geo(xs).toFixed(2)}x over ${xs.length} shapes`);
}
if (all.length) console.log(`geometric mean ours/OpenBLAS, all: ${geo(all).toFixed(2)}x`);
for (const sq of ['1024', '2048']) {
  const k1 = a.get(`1 ${sq} ${sq} ${sq} NN`), k2 = a.get(`2 ${sq} ${sq} ${sq} NN`);
  if (k1 && k2) console.log(`scaling ${sq}: 2 threads / 1 thread = ${(k2.best / k1.best).toFixed(2)}x`);
}
