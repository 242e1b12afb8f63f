#!/usr/bin/env node
// `npm run bench -- norm [--reps 15] [--threads 1,2] [--no-torch]`
//
// Forward + backward (dx, dweight, dbias) of BatchNorm2d (training, [32, 64, 32, 32]),
// LayerNorm ([8192, 256]) and GroupNorm (8 groups, [32, 64, 32, 32]) on the raw
// binding with preallocated buffers, beside PyTorch 1.13 (/usr/bin/python3) doing the
// same (forward + autograd backward) at the same thread count, in the same run.
// Each case is validated first (per-channel / per-row mean 0, variance 1 of the
// normalised output, dbias = sum of dy). Prints min / median ms and the ratio of
// medians (ours / torch: below 1.0 is faster).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const reps = Number(opt('reps', '15'));
const threadList = opt('threads', '1,2').split(',').map(Number);
const withTorch = !args.includes('--no-torch');
const native = createRequire(import.meta.url)('node-gyp-build')(root);

function rand(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    a[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return a;
}

function check(name, ok, what) {
  if (!ok) throw new Error(`${name}: validation failed (${what})`);
}

// Mean and variance of `len` values starting at each of `starts`, stepping `stride` in blocks of `block`.
function moments(y, offsets, block) {
  let s = 0;
  let q = 0;
  let n = 0;
  for (const o of offsets) for (let i = 0; i < block; i++) {
    s += y[o + i];
    q += y[o + i] ** 2;
    n++;
  }
  const m = s / n;
  return { mean: m, var: q / n - m * m };
}

const cases = [
  {
    name: 'BatchNorm2d [32,64,32,32] train',
    torch: 'm = torch.nn.BatchNorm2d(64); x = torch.randn(32, 64, 32, 32, requires_grad=True)',
    setup() {
      const [n, c, s] = [32, 64, 1024];
      const x = rand(n * c * s, 1), dy = rand(n * c * s, 2), w = new Float32Array(c).fill(1), b = new Float32Array(c);
      const rm = new Float32Array(c), rv = new Float32Array(c).fill(1), y = new Float32Array(n * c * s);
      const sm = new Float32Array(c), sr = new Float32Array(c), dx = new Float32Array(n * c * s), dw = new Float32Array(c), db = new Float32Array(c);
      const run = () => {
        native.batchNormForward(x, n, c, s, w, b, rm, rv, true, 0.1, 1e-5, y, sm, sr);
        native.batchNormBackward(x, dy, n, c, s, w, sm, sr, true, dx, dw, db);
      };
      run();
      const st = moments(y, Array.from({ length: n }, (_, i) => i * c * s + 5 * s), s);
      check(this.name, Math.abs(st.mean) < 1e-4 && Math.abs(st.var - 1) < 1e-3, `channel 5: ${st.mean} ${st.var}`);
      let sdy = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < s; j++) sdy += dy[i * c * s + 5 * s + j];
      check(this.name, Math.abs(sdy - db[5]) < 1e-2, 'dbias');
      return run;
    },
  },
  {
    name: 'LayerNorm [8192,256]',
    torch: 'm = torch.nn.LayerNorm(256); x = torch.randn(8192, 256, requires_grad=True)',
    setup() {
      const [rows, cols] = [8192, 256];
      const x = rand(rows * cols, 3), dy = rand(rows * cols, 4), w = new Float32Array(cols).fill(1), b = new Float32Array(cols);
      const y = new Float32Array(rows * cols), sm = new Float32Array(rows), sr = new Float32Array(rows);
      const dx = new Float32Array(rows * cols), dw = new Float32Array(cols), db = new Float32Array(cols);
      const run = () => {
        native.layerNormForward(x, rows, cols, w, b, 1e-5, y, sm, sr);
        native.layerNormBackward(x, dy, rows, cols, w, sm, sr, dx, dw, db);
      };
      run();
      const st = moments(y, [77 * cols], cols);
      check(this.name, Math.abs(st.mean) < 1e-4 && Math.abs(st.var - 1) < 1e-3, `row 77: ${st.mean} ${st.var}`);
      return run;
    },
  },
  {
    name: 'GroupNorm(8) [32,64,32,32]',
    torch: 'm = torch.nn.GroupNorm(8, 64); x = torch.randn(32, 64, 32, 32, requires_grad=True)',
    setup() {
      const [n, c, s, g] = [32, 64, 1024, 8];
      const x = rand(n * c * s, 5), dy = rand(n * c * s, 6), w = new Float32Array(c).fill(1), b = new Float32Array(c);
      const y = new Float32Array(n * c * s), sm = new Float32Array(n * g), sr = new Float32Array(n * g);
      const dx = new Float32Array(n * c * s), dw = new Float32Array(c), db = new Float32Array(c);
      const run = () => {
        native.groupNormForward(x, n, c, s, g, w, b, 1e-5, y, sm, sr);
        native.groupNormBackward(x, dy, n, c, s, g, w, sm, sr, dx, dw, db);
      };
      run();
      const st = moments(y, [3 * c * s + 2 * 8 * s], 8 * s);
      check(this.name, Math.abs(st.mean) < 1e-4 && Math.abs(st.var - 1) < 1e-3, `sample 3 group 2: ${st.mean} ${st.var}`);
      return run;
    },
  },
];

function stats(t) {
  const s = [...t].sort((a, b) => a - b);
  return { min: s[0], med: s[Math.floor(s.length / 2)] };
}

function torchTimes(setup, threads) {
  const py = `
import time, torch
torch.set_num_threads(${threads})
${setup}
w = torch.randn_like(x)
def run():
    y = m(x)
    y.backward(w)
for _ in range(3): run()
t = []
for _ in range(${reps}):
    t0 = time.perf_counter(); run(); t.append((time.perf_counter() - t0) * 1000)
print(" ".join(str(v) for v in t))
`;
  const out = execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
  return out.trim().split(' ').map(Number);
}

console.log(`norm forward+backward, ${reps} reps, min / median ms${withTorch ? ', ratio of medians vs PyTorch 1.13' : ''}`);
for (const threads of threadList) {
  native.setNumThreads(threads);
  for (const c of cases) {
    const run = c.setup();
    for (let i = 0; i < 3; i++) run();
    const t = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      run();
      t.push(performance.now() - t0);
    }
    const ours = stats(t);
    let line = `${String(threads).padStart(2)} thr  ${c.name.padEnd(34)} axonal ${ours.min.toFixed(2)} / ${ours.med.toFixed(2)}`;
    if (withTorch) {
      const th = stats(torchTimes(c.torch, threads));
      line += `   torch ${th.min.toFixed(2)} / ${th.med.toFixed(2)}   ratio ${(ours.med / th.med).toFixed(2)}`;
    }
    console.log(line);
  }
}
