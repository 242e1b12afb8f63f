// TEMPORARY local runner for bench/pointwise-cases/optim.mjs until bench/pointwise.mjs
// lands (activation work). Not part of the final tree.
//   node bench/pointwise-optim-local.mjs [runs]
// Copy and kernel are timed alternately (copy, kernel, copy, kernel, ...) so that
// load from other processes hits both alike; the ratio is the median of per-pair ratios.
import { backend } from '../dist/index.mjs';
import { cases } from './pointwise-cases/optim.mjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = createRequire(import.meta.url)('node-gyp-build')(root);
const runs = Number(process.argv[2] ?? 15);
const n = (64 * 1024 * 1024) / 4;

const src = new Float32Array(n).fill(1), dst = new Float32Array(n);
const copy = () => native.copy(src, dst);

function once(run) {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

console.log(`isa ${backend.info().isa}, n = ${n} floats per array (64 MiB), ${runs} interleaved runs each`);
for (const threads of [1, 2]) {
  backend.setNumThreads(threads);
  for (const c of cases) {
    const run = c.setup(n, { backend });
    run();
    copy();
    const tc = [], tk = [], ratio = [];
    for (let i = 0; i < runs; i++) {
      const a = once(copy), b = once(run);
      tc.push(a);
      tk.push(b);
      ratio.push(((n * c.bytesPerElement) / b) / ((n * 8) / a));
    }
    const gb = (bytes, t) => ((n * bytes) / t / 1e9).toFixed(1).padStart(5);
    console.log(
      `threads ${threads}  ${c.name.padEnd(18)} ${gb(c.bytesPerElement, Math.min(...tk))} GB/s best ${gb(c.bytesPerElement, median(tk))} median | ` +
        `copy ${gb(8, Math.min(...tc))} best ${gb(8, median(tc))} median | ratio ${(100 * median(ratio)).toFixed(0)}% median, ` +
        `${(100 * Math.min(...ratio)).toFixed(0)}% worst pair`,
    );
  }
}
