#!/usr/bin/env node
// `npm run bench -- train [--epochs N] [--rounds R] [--recipe text] [--skip-peer]`: epoch
// time and accuracy of axonal and PyTorch 1.13 (../shared/peers/py, at its fastest thread
// setting: its defaults) on the same recipes, with the ratio axonal / PyTorch. Data
// preloaded. Each round runs axonal at 1 and 2 threads and then PyTorch back to back, so
// that the machine's slow and fast phases (minutes long on a shared VM) hit both alike:
// the ratio printed is the median over rounds of (best axonal / PyTorch) within a round.
// Round k seeds both sides with k (initialisation and shuffling), so over several rounds
// the accuracies compared are means over seeds: one seed's test accuracy moves by a few
// tenths of a point from seed to seed on either side.
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
const rounds = Number(arg('rounds', 1));
const only = arg('recipe', '');
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

function runAxonal(recipe, threads, seed) {
  ax.backend.setNumThreads(threads);
  ax.manualSeed(seed);
  const model = recipe.build();
  const optimizer = recipe.opt(model.parameters());
  const lossFn = new ax.nn.CrossEntropyLoss();
  // Shuffled from the global generator, after the initialisation (as torch.randperm does):
  // a loader seeded with k too would replay the stream that drew the first layer's weights.
  const loader = new ax.data.DataLoader(train, { batchSize: recipe.batch, shuffle: true });
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
  return { ...stats(times), times, acc: correct / test.length };
}

console.log(`axonal ${ax.backend.info().version} (${ax.backend.info().isa}), ${epochs} epochs per run, ${rounds} round(s), MNIST 60k/10k`);
console.log('recipe                          | axonal 1 thr s/epoch (min/med) | axonal 2 thr | acc (mean over seeds) | PyTorch (defaults) s/epoch | acc (mean over seeds) | samples/s (axonal best / PyTorch best) | ratio (median over rounds of best axonal / PyTorch min; range) | acc gap (axonal - PyTorch)');
const rows = [];
for (const r of recipes) {
  if (only && !r.name.includes(only)) continue;
  const one = [], two = [], peers = [], ratios = [];
  for (let k = 0; k < rounds; k++) {
    const a1 = runAxonal(r, 1, k);
    const a2 = runAxonal(r, 2, k);
    // The same seed gives the same bits at any thread count: a check, not a statistic.
    if (a1.acc !== a2.acc) console.log(`  (warning: ${r.name} seed ${k}: accuracy ${a1.acc} at 1 thread, ${a2.acc} at 2)`);
    one.push(a1);
    two.push(a2);
    if (skipPeer) continue;
    const peer = runPeer('/usr/bin/python3', [join(peersDir, r.peer[0]), ...r.peer.slice(1), '--threads', r.peerThreads ?? '0', '--batch', String(r.batch), '--epochs', String(epochs), '--seed', String(k)], { env: { MNIST_DIR: mnistDir() } });
    if (!peer) continue;
    peers.push(peer);
    ratios.push(Math.min(a1.min, a2.min) / peer.epoch_s_min);
  }
  const merge = (runs) => stats(runs.flatMap((x) => x.times));
  const m1 = merge(one), m2 = merge(two);
  const peer = peers.length ? stats(peers.flatMap((x) => x.epoch_times)) : null;
  // Accuracy: the mean over the rounds' seeds on each side (range in brackets).
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pct = (xs) => `${(100 * mean(xs)).toFixed(2)}%${xs.length > 1 ? ` (${(100 * Math.min(...xs)).toFixed(2)}-${(100 * Math.max(...xs)).toFixed(2)})` : ''}`;
  const accAx = one.map((x) => x.acc), accPeer = peers.map((x) => x.acc[epochs]);
  const rs = stats(ratios);
  const ratio = ratios.length ? `${rs.median.toFixed(2)} (${rs.min.toFixed(2)}-${rs.max.toFixed(2)})` : 'n/a';
  // The gap's standard error from the seed-to-seed spread on each side (two or more
  // seeds): a gap within about two of them is seed noise, not a difference in training.
  const variance = (xs) => xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1);
  const se = accAx.length > 1 && accPeer.length > 1 ? Math.sqrt(variance(accAx) / accAx.length + variance(accPeer) / accPeer.length) : NaN;
  const gapSe = Number.isNaN(se) ? '' : ` +- ${(100 * se).toFixed(2)} (standard error, ${accAx.length} / ${accPeer.length} seeds)`;
  const gap = peers.length ? ` | acc gap ${(100 * (mean(accAx) - mean(accPeer))).toFixed(2)} pts${gapSe}` : '';
  // Training samples per second at each side's best epoch.
  const rate = (seconds) => `${Math.round(train.length / seconds / 1000)}k`;
  const rates = `${rate(Math.min(m1.min, m2.min))} / ${peer ? rate(peer.min) : 'n/a'}`;
  const line = `${r.name.padEnd(31)} | ${m1.min.toFixed(3)} / ${m1.median.toFixed(3)}              | ${m2.min.toFixed(3)} / ${m2.median.toFixed(3)} | ${pct(accAx)} | ${peer ? `${peer.min.toFixed(3)} / ${peer.median.toFixed(3)}` : 'n/a'}              | ${peer ? pct(accPeer) : 'n/a'} | ${rates} | ${ratio}${gap}`;
  console.log(line);
  rows.push(line);
}
