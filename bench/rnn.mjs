// `npm run bench -- rnn [--reps 7] [--warmups 5] [--batch 16] [--threads 1,2]`: forward+backward of
// LSTM(128, 256) and GRU(128, 256) over 32 steps, and MultiheadAttention(256, 8) over
// 128 tokens, beside PyTorch 1.13 (/usr/bin/python3) at its fastest thread setting
// measured in the same run. Prints min / median ms over reps and the ratio of the
// medians (axonal / PyTorch; <= 1 means axonal is as fast or faster).
// Needs `npm run build` (dist/) first.
import { spawnSync } from 'node:child_process';
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
const reps = Number(opt('reps', '7'));
// Untimed steps first, on both sides: the first case of the process otherwise times V8's
// compilation and the pool's first allocations (LSTM read 30 ms at 2 warm-ups, 15 at 10).
const warmups = Math.max(1, Number(opt('warmups', '5')));
const batch = Number(opt('batch', '16'));
const threadList = opt('threads', '1,2').split(',').map(Number);
const { nn, randn, backend, Tensor, autograd, BufferPool } = await import(pathToFileURL(join(root, 'dist', 'index.mjs')).href);

function sumAll(t) {
  let s = 0;
  for (const v of t.data) s += v;
  const out = new Tensor(Float32Array.of(s), []);
  autograd.record('SumBackward', [t], [out], () => [new Tensor(new Float32Array(t.size).fill(1), t.shape)]);
  return out;
}

const cases = [
  {
    name: `LSTM(128,256) T=32 B=${batch}`,
    setup: () => {
      const m = new nn.LSTM(128, 256);
      const x = randn(32, batch, 128).requiresGrad_();
      return () => sumAll(m.forward(x)[0]).backward();
    },
    torch: `m = torch.nn.LSTM(128, 256); x = torch.randn(32, ${batch}, 128, requires_grad=True)\ndef step(): m(x)[0].sum().backward()`,
  },
  {
    name: `GRU(128,256) T=32 B=${batch}`,
    setup: () => {
      const m = new nn.GRU(128, 256);
      const x = randn(32, batch, 128).requiresGrad_();
      return () => sumAll(m.forward(x)[0]).backward();
    },
    torch: `m = torch.nn.GRU(128, 256); x = torch.randn(32, ${batch}, 128, requires_grad=True)\ndef step(): m(x)[0].sum().backward()`,
  },
  {
    name: `MultiheadAttention(256,8) L=128 B=${batch}`,
    setup: () => {
      const m = new nn.MultiheadAttention(256, 8);
      const x = randn(128, batch, 256).requiresGrad_();
      return () => sumAll(m.forward(x, x, x, { needWeights: false })[0]).backward();
    },
    torch: `m = torch.nn.MultiheadAttention(256, 8); x = torch.randn(128, ${batch}, 256, requires_grad=True)\ndef step(): m(x, x, x, need_weights=False)[0].sum().backward()`,
  },
];

function time(step) {
  // Steady state, as in training: the step's activations and gradients recycled.
  const pool = new BufferPool();
  const fn = () => pool.run(step);
  for (let w = 0; w < warmups; w++) fn();
  const t = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b);
}

function torchTimes(code) {
  const py = `
import time, torch
torch.manual_seed(0)
${code}
best = None
for th in [${threadList.join(',')}]:
    torch.set_num_threads(th)
    for _ in range(${warmups}): step()
    ts = []
    for _ in range(${reps}):
        t0 = time.perf_counter(); step(); ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    if best is None or ts[len(ts)//2] < best[1][len(ts)//2]: best = (th, ts)
print(best[0], *best[1])
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [th, ...ts] = r.stdout.trim().split(/\s+/).map(Number);
  return { threads: th, ts };
}

const med = (a) => a[Math.floor(a.length / 2)];
console.log(`isa ${backend.info().isa}, reps ${reps}`);
for (const c of cases) {
  let best = null;
  for (const th of threadList) {
    backend.setNumThreads(th);
    const ts = time(c.setup());
    if (!best || med(ts) < med(best.ts)) best = { threads: th, ts };
  }
  const pt = torchTimes(c.torch);
  const ours = `axonal ${best.ts[0].toFixed(2)} / ${med(best.ts).toFixed(2)} ms (${best.threads} thr)`;
  const theirs = pt ? `torch ${pt.ts[0].toFixed(2)} / ${med(pt.ts).toFixed(2)} ms (${pt.threads} thr)  ratio ${(med(best.ts) / med(pt.ts)).toFixed(2)}x` : 'torch unavailable';
  console.log(`${c.name.padEnd(36)} ${ours}   ${theirs}`);
}
