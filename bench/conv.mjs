#!/usr/bin/env node
// `npm run bench -- conv [--reps 15] [--warmups 5] [--threads 2] [--rounds 3]`
//
// Forward + backward (input, weight and bias gradients) of conv and pooling layers
// through the public API, beside PyTorch 1.13 (/usr/bin/python3) on the same shapes
// and data sizes in the same run, PyTorch at its faster of 1 and `threads` threads.
// Each axonal case is first checked against a float64 direct convolution on a
// slice of its output. The machine may be noisy (phases of seconds to minutes), so each
// case runs `rounds` back-to-back pairs (axonal, then PyTorch); prints each side's min and
// median ms over all its reps and the median over the rounds of the pairs' ratios of
// minima (axonal / torch: below 1.0 is faster than PyTorch).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { stats } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const reps = Number(opt('reps', '15'));
// Untimed calls before timing, the same on both sides (JIT, allocator and pool warm-up).
const warmups = Number(opt('warmups', '5'));
const threads = Number(opt('threads', '2'));
const rounds = Math.max(1, Number(opt('rounds', '3')));

const ax = await import(pathToFileURL(join(root, 'dist', 'index.mjs')).href);
ax.backend.setNumThreads(threads);

// name, module factory (axonal), python module expression, input shape
const cases = [
  { name: 'lenet conv1 5x5 1->6 pad 2, [64,1,28,28]', make: () => new ax.nn.Conv2d(1, 6, 5, { padding: 2 }), py: 'nn.Conv2d(1, 6, 5, padding=2)', shape: [64, 1, 28, 28] },
  { name: 'lenet conv2 5x5 6->16, [64,6,14,14]', make: () => new ax.nn.Conv2d(6, 16, 5), py: 'nn.Conv2d(6, 16, 5)', shape: [64, 6, 14, 14] },
  { name: 'conv 3x3 64->64 pad 1, [16,64,32,32]', make: () => new ax.nn.Conv2d(64, 64, 3, { padding: 1 }), py: 'nn.Conv2d(64, 64, 3, padding=1)', shape: [16, 64, 32, 32] },
  { name: 'maxpool 2x2, [64,64,32,32]', make: () => new ax.nn.MaxPool2d(2), py: 'nn.MaxPool2d(2)', shape: [64, 64, 32, 32] },
  { name: 'avgpool 3x3 s2 p1, [64,64,32,32]', make: () => new ax.nn.AvgPool2d(3, { stride: 2, padding: 1 }), py: 'nn.AvgPool2d(3, stride=2, padding=1)', shape: [64, 64, 32, 32] },
];

function check(m, x, y) {
  if (!(m instanceof ax.nn.Conv2d)) return;
  const [n, c, h, w] = x.shape;
  const [o, , kh, kw] = m.weight.shape;
  const p = m.padding;
  const [, , oh, ow] = y.shape;
  let worst = 0;
  for (let t = 0; t < 50; t++) {
    const i = t % n, oc = (t * 7) % o, yy = (t * 5) % oh, xx = (t * 3) % ow;
    let acc = m.bias.data[oc];
    for (let ci = 0; ci < c; ci++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) {
      const iy = yy - p[0] + ki, ix = xx - p[1] + kj;
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
      acc += m.weight.data[((oc * c + ci) * kh + ki) * kw + kj] * x.data[((i * c + ci) * h + iy) * w + ix];
    }
    worst = Math.max(worst, Math.abs(acc - y.data[((i * o + oc) * oh + yy) * ow + xx]) / (1e-4 * (1 + Math.abs(acc))));
  }
  if (!(worst <= 1)) throw new Error(`conv output differs from the float64 reference (scaled error ${worst})`);
}

function timeAxonal(c) {
  ax.manualSeed(1);
  const m = c.make();
  const x = ax.randn(c.shape).requiresGrad_();
  // Steady state, as in training: gradients zeroed in place, activations and
  // gradients of the step recycled by a BufferPool.
  const pool = new ax.BufferPool();
  const once = () =>
    pool.run(() => {
      if (x.grad) x.grad.data.fill(0);
      for (const p of m.parameters()) if (p.grad) p.grad.data.fill(0);
      const y = m.forward(x);
      y.backward(ax.onesLike(y));
      return y;
    });
  check(m, x, once());
  for (let w = 1; w < warmups; w++) once();
  const t = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    once();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b);
}

function timeTorch(c) {
  const py = `
import time, torch, torch.nn as nn, json
best = None
for th in sorted({1, ${threads}}):
    torch.set_num_threads(th)
    torch.manual_seed(1)
    m = ${c.py}
    x = torch.randn(${c.shape.join(', ')}).requires_grad_(True)
    def once():
        x.grad = None
        m.zero_grad(set_to_none=True)
        y = m(x)
        y.backward(torch.ones_like(y))
    for _ in range(${warmups}): once()
    t = []
    for _ in range(${reps}):
        t0 = time.perf_counter(); once(); t.append((time.perf_counter() - t0) * 1000)
    t.sort()
    if best is None or t[0] < best[0]: best = t
print(json.dumps(best))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' }));
}

const med = (t) => t[Math.floor(t.length / 2)];
console.log(`conv/pool forward+backward, ${reps} reps x ${rounds} rounds of back-to-back pairs, axonal at ${threads} threads (isa ${ax.backend.info().isa}), torch at its best of {1, ${threads}} threads`);
console.log('case'.padEnd(44), 'axonal min/med ms'.padStart(20), 'torch min/med ms'.padStart(20), 'ratio (median of rounds)'.padStart(26));
for (const c of cases) {
  const mine = [], theirs = [], ratios = [];
  for (let r = 0; r < rounds; r++) {
    const a = timeAxonal(c);
    let tt = null;
    try {
      tt = timeTorch(c);
    } catch {
      tt = null;
    }
    mine.push(...a);
    if (tt) {
      theirs.push(...tt);
      ratios.push(a[0] / tt[0]);
    }
  }
  mine.sort((x, y) => x - y);
  theirs.sort((x, y) => x - y);
  const fmt = (t) => `${t[0].toFixed(2)}/${med(t).toFixed(2)}`;
  const ratio = ratios.length ? `${stats(ratios).median.toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(' ')})` : '';
  console.log(c.name.padEnd(44), fmt(mine).padStart(20), (theirs.length ? fmt(theirs) : 'n/a').padStart(20), ratio.padStart(26));
}
