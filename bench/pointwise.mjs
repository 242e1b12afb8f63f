#!/usr/bin/env node
// `npm run bench -- pointwise [--mib 64] [--reps 9] [--threads 1,2]`
//
// GB/s of the pointwise kernels on arrays of 64 MiB, beside a copy through the same
// vector loop (identityFwd: read 4 bytes, write 4 bytes per element) measured in the
// same run (alternating with each case's timed runs, so both see the same noise),
// at 1 and 2 threads. Each case declares the bytes it moves per element
// (inputs read + outputs written, counted once) and the ratio printed is
// (case GB/s) / (copy GB/s): 1.0 means the kernel runs at memory speed.
//
// Cases come from every module in bench/pointwise-cases/*.mjs, each exporting
// `cases` = [{ name, bytesPerElement, setup(n, axonal) -> run }]; `axonal` is the
// package's public module plus `native` (the raw addon) for allocation-free calls.
// A case's setup may validate its output against a reference and throw if it is wrong.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const mib = Number(opt('mib', '64'));
const reps = Number(opt('reps', '9'));
const threadList = opt('threads', '1,2').split(',').map(Number);
const only = opt('only', '');

const api = await import(pathToFileURL(join(root, 'dist', 'index.mjs')).href);
const native = createRequire(import.meta.url)('node-gyp-build')(root);
const axonal = { ...api, native };

const n = Math.floor((mib * 1024 * 1024) / 4);
const caseDir = join(here, 'pointwise-cases');
const cases = [];
for (const f of readdirSync(caseDir).filter((f) => f.endsWith('.mjs')).sort()) {
  const mod = await import(pathToFileURL(join(caseDir, f)).href);
  for (const c of mod.cases) if (!only || c.name.includes(only)) cases.push({ ...c, module: f });
}

// Times `run` and the copy alternately (copy, run, copy, run, ...) so that noise
// from other processes hits both alike; returns sorted times of each.
function timePair(run, copy) {
  run();
  copy();
  run();
  copy(); // warm-up (page faults, caches, pool start-up)
  const t = [];
  const c = [];
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    copy();
    c.push(performance.now() - t0);
    t0 = performance.now();
    run();
    t.push(performance.now() - t0);
  }
  const stats = (a) => {
    a.sort((x, y) => x - y);
    return { min: a[0], median: a[Math.floor(a.length / 2)], max: a[a.length - 1] };
  };
  return { run: stats(t), copy: stats(c) };
}

const gbs = (bytes, ms) => bytes / (ms * 1e6);

// The copy reference: 64 MiB in, 64 MiB out.
const src = new Float32Array(n).map((_, i) => (i % 1000) / 1000);
const dst = new Float32Array(n);
const copy = () => native.identityFwd(src, dst);

const info = native.info();
console.log(`pointwise: ${mib} MiB per array (${n} floats), isa ${info.isa}, ${reps} timed reps after 2 warm-ups`);
console.log(`node ${process.version}, hardware threads ${info.hardwareThreads}`);
const rows = [];
for (const threads of threadList) {
  native.setNumThreads(threads);
  for (const c of cases) {
    const run = c.setup(n, axonal);
    const { run: t, copy: ref } = timePair(run, copy);
    const refBest = gbs(8 * n, ref.min);
    const refMed = gbs(8 * n, ref.median);
    const best = gbs(c.bytesPerElement * n, t.min);
    const med = gbs(c.bytesPerElement * n, t.median);
    rows.push({
      threads,
      name: c.name,
      bpe: c.bytesPerElement,
      copyBest: refBest,
      copyMed: refMed,
      best,
      med,
      ratio: best / refBest,
      ratioMed: med / refMed,
      spread: t.max / t.min,
      copySpread: ref.max / ref.min,
    });
  }
}

const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);
console.log('');
console.log(
  '| threads | kernel | bytes/elem | GB/s best | GB/s median | copy GB/s best | copy GB/s median | vs copy (best) | vs copy (median) | max/min kernel, copy |',
);
console.log('|---:|:---|---:|---:|---:|---:|---:|---:|---:|---:|');
const pct = (r) => lpad((r * 100).toFixed(0) + '%', 5);
for (const r of rows) {
  console.log(
    `| ${r.threads} | ${pad(r.name, 23)} | ${lpad(r.bpe, 2)} | ${lpad(r.best.toFixed(2), 6)} | ${lpad(r.med.toFixed(2), 6)} | ${lpad(
      r.copyBest.toFixed(2),
      6,
    )} | ${lpad(r.copyMed.toFixed(2), 6)} | ${pct(r.ratio)} | ${pct(r.ratioMed)} | ${r.spread.toFixed(2)}, ${r.copySpread.toFixed(2)} |`,
  );
}
