#!/usr/bin/env node
// `npm run bench -- loader [--epochs 5]`: one DataLoader epoch over MNIST's training
// split (batch 64, shuffled, for...of), batch assembly only; prints the min and
// median over epochs and the cost per batch.
import { createRequire } from 'node:module';

import { stats } from './lib.mjs';

const require = createRequire(import.meta.url);
const ax = require('axonal');
const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const epochs = Number(arg('epochs', 5));

const { train } = await ax.datasets.mnist();
const loader = new ax.data.DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 });
let checksum = 0;
const times = [];
for (let e = 0; e <= epochs; e++) {
  const t0 = process.hrtime.bigint();
  for (const [x, y] of loader) checksum += x.data[0] + y.data[0];
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (e > 0) times.push(ms); // epoch 0 warms up the JIT and the allocator
}
const s = stats(times);
console.log(`DataLoader epoch, MNIST train, batch 64, shuffle: min ${s.min.toFixed(1)} ms, median ${s.median.toFixed(1)} ms ` +
  `(${((s.min / loader.length) * 1000).toFixed(1)} us per batch of ${loader.length}); checksum ${checksum.toFixed(1)}`);
