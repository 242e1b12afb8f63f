#!/usr/bin/env node
// `npm run bench -- train [--epochs N] [--skip-peer]`: epoch time and accuracy of axonal
// and PyTorch 1.13 (../shared/peers/py, at its fastest thread setting: its
// defaults) on the same recipes, with the ratio axonal / PyTorch. Data preloaded.
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { mnistDir, peersDir, runPeer, stats } from './lib.mjs';

const require = createRequire(import.meta.url);
const ax = require('axonal');
const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const epochs = Number(arg('epochs', 3));
const skipPeer = process.argv.includes('--skip-peer');

const { train, test } = await ax.datasets.mnist();

function mlp() {
  return new ax.nn.Sequential(new ax.nn.Linear(784, 500), new ax.nn.ReLU(), new ax.nn.Linear(500, 10));
}

function lenet() {
  const { nn } = ax;
  return new nn.Sequential(
    new nn.Unflatten(1, [1, 28, 28]),
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
}

const recipes = [
  { name: 'MLP 784-500-10 SGD b64', batch: 64, build: mlp, opt: (p) => new ax.optim.SGD(p, { lr: 0.1, momentum: 0.9 }), peer: ['py/torch_mlp.py', '--opt', 'sgd'] },
  { name: 'MLP 784-500-10 Adam b128', batch: 128, build: mlp, opt: (p) => new ax.optim.Adam(p, { lr: 1e-3 }), peer: ['py/torch_mlp.py', '--opt', 'adam'] },
  { name: 'LeNet-5 Adam b64', batch: 64, build: lenet, opt: (p) => new ax.optim.Adam(p, { lr: 1e-3 }), peer: ['py/torch_cnn.py'], peerThreads: '1' },
];

function runAxonal(recipe, threads) {
  ax.backend.setNumThreads(threads);
  ax.manualSeed(0);
  const model = recipe.build();
  const optimizer = recipe.opt(model.parameters());
  const lossFn = new ax.nn.CrossEntropyLoss();
  const loader = new ax.data.DataLoader(train, { batchSize: recipe.batch, shuffle: true, seed: 0 });
  const pool = new ax.BufferPool();
  const times = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = performance.now();
    for (const [x, y] of loader) {
      // A steady-state step: activations and gradients recycled (what fit() does).
      pool.run(() => {
        optimizer.zeroGrad();
        lossFn.forward(model.forward(x), y).backward();
        optimizer.step();
      });
    }
    times.push((performance.now() - t0) / 1000);
  }
  let correct = 0;
  ax.noGrad(() => {
    model.eval();
    const [xt, yt] = test.getBatch(Int32Array.from({ length: test.length }, (_, i) => i));
    const pred = ax.argmax(model.forward(xt), 1);
    for (let i = 0; i < pred.length; i++) if (pred[i] === yt.data[i]) correct++;
  });
  return { ...stats(times), acc: correct / test.length };
}

console.log(`axonal ${ax.backend.info().version} (${ax.backend.info().isa}), ${epochs} epochs per run, MNIST 60k/10k`);
console.log('recipe                          | axonal 1 thr s/epoch (min/med) | axonal 2 thr | acc    | PyTorch (defaults) s/epoch | acc    | ratio (best axonal / PyTorch min)');
const rows = [];
for (const r of recipes) {
  const one = runAxonal(r, 1);
  const two = runAxonal(r, 2);
  let peer = null;
  if (!skipPeer) {
    peer = runPeer('/usr/bin/python3', [join(peersDir, r.peer[0]), ...r.peer.slice(1), '--threads', r.peerThreads ?? '0', '--batch', String(r.batch), '--epochs', String(epochs)], { env: { MNIST_DIR: mnistDir() } });
  }
  const best = Math.min(one.min, two.min);
  const ratio = peer ? (best / peer.epoch_s_min).toFixed(2) : 'n/a';
  const line = `${r.name.padEnd(31)} | ${one.min.toFixed(3)} / ${one.median.toFixed(3)}              | ${two.min.toFixed(3)} / ${two.median.toFixed(3)} | ${(100 * Math.max(one.acc, two.acc)).toFixed(2)}% | ${peer ? `${peer.epoch_s_min.toFixed(3)} / ${peer.epoch_s_median.toFixed(3)}` : 'n/a'}              | ${peer ? `${(100 * peer.acc[epochs]).toFixed(2)}%` : 'n/a'} | ${ratio}`;
  console.log(line);
  rows.push(line);
}
