#!/usr/bin/env node
// `npm run bench -- service [--epochs N]`: an HTTP server in this process answers
// requests while fit() trains the MNIST MLP; a separate load process measures the
// latency of every request. Reports p50/p99/max while idle and while training, and
// the p99 added by training.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';



if (process.argv[2] === '--load') {
  // The load generator: one GET every 2 ms until told to stop; reports latencies.
  const { request } = await import('node:http');
  const port = Number(process.argv[3]);
  const latencies = [];
  let running = true;
  process.on('message', (m) => {
    if (m === 'stop') running = false;
  });
  const once = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      });
      req.on('error', () => resolve(NaN));
      req.end();
    });
  while (running) {
    const t = await once();
    if (Number.isFinite(t)) latencies.push(t);
    await new Promise((r) => setTimeout(r, 2));
  }
  process.send({ latencies });
  process.exit(0);
}

const require = createRequire(import.meta.url);
const ax = require('axonal');
const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const epochs = Number(arg('epochs', 1));

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

async function measure(seconds, work) {
  const child = fork(fileURLToPath(import.meta.url), ['--load', String(port)]);
  const done = new Promise((resolve) => child.once('message', (m) => resolve(m.latencies)));
  const t0 = performance.now();
  if (work) await work();
  else await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  child.send('stop');
  const lat = await done;
  const s = [...lat].sort((a, b) => a - b);
  return { n: s.length, p50: s[Math.floor(s.length * 0.5)], p99: s[Math.floor(s.length * 0.99)], max: s[s.length - 1], elapsed };
}

const { train } = await ax.datasets.mnist();
const idle = await measure(3);
const model = new ax.nn.Sequential(new ax.nn.Linear(784, 500), new ax.nn.ReLU(), new ax.nn.Linear(500, 10));
const optimizer = new ax.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
const busy = await measure(0, () => ax.fit(model, train, { optimizer, loss: new ax.nn.CrossEntropyLoss(), epochs, batchSize: 64, verbose: 0 }));
server.close();
const fmt = (m) => `p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, max ${m.max.toFixed(2)} ms over ${m.n} requests`;
console.log(`idle:           ${fmt(idle)}`);
console.log(`while training: ${fmt(busy)} (${epochs} epoch(s) of the MNIST MLP in ${busy.elapsed.toFixed(1)} s)`);
console.log(`p99 added by training: ${(busy.p99 - idle.p99).toFixed(2)} ms (target <= 20 ms)`);
