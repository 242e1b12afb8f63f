// TEMPORARY local runner for bench/pointwise-cases/optim.mjs until bench/pointwise.mjs
// lands (activation work). Not part of the final tree.
//   node bench/pointwise-optim-local.mjs [runs]
import { backend } from '../dist/index.mjs';
import { cases } from './pointwise-cases/optim.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = createRequire(import.meta.url)('node-gyp-build')(root);
const runs = Number(process.argv[2] ?? 15);
const n = (64 * 1024 * 1024) / 4;

const copyCase = {
  name: 'copy (native, reference)',
  bytesPerElement: 8,
  setup(m) {
    const a = new Float32Array(m).fill(1), b = new Float32Array(m);
    return () => native.copy(a, b);
  },
};

const memcpyCase = {
  name: 'copy (TypedArray.set)',
  bytesPerElement: 8,
  setup(m) {
    const a = new Float32Array(m).fill(1), b = new Float32Array(m);
    return () => b.set(a);
  },
};

function time(run) {
  run();
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    run();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  ts.sort((a, b) => a - b);
  return { min: ts[0], med: ts[Math.floor(ts.length / 2)] };
}

console.log(`isa ${backend.info().isa}, n = ${n} floats per array (64 MiB), ${runs} runs each`);
for (const threads of [1, 2]) {
  backend.setNumThreads(threads);
  const all = [copyCase, memcpyCase, ...cases].map((c) => ({ c, run: c.setup(n, { backend }) }));
  const res = all.map(({ c, run }) => ({ c, t: time(run) }));
  const copyBest = (n * 8) / res[0].t.min / 1e9;
  const copyMed = (n * 8) / res[0].t.med / 1e9;
  for (const { c, t } of res) {
    const best = (n * c.bytesPerElement) / t.min / 1e9, med = (n * c.bytesPerElement) / t.med / 1e9;
    console.log(
      `threads ${threads}  ${c.name.padEnd(26)} ${best.toFixed(2).padStart(6)} GB/s best  ${med.toFixed(2).padStart(6)} GB/s median  ` +
        `${((100 * best) / copyBest).toFixed(0).padStart(4)}% of copy (best)  ${((100 * med) / copyMed).toFixed(0).padStart(4)}% (median)`,
    );
  }
}
