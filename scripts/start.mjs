#!/usr/bin/env node
// `npm start`: the main job. Until the training loop lands it prints the backend
// and checks a matmul on every ISA level against a float64 reference.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axonal = require('axonal');

const info = axonal.backend.info();
console.log('axonal backend:', info);

function reference(a, b, m, n, k) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += av * b[p * n + j];
    }
  return c;
}

const [m, n, k] = [123, 77, 301];
axonal.manualSeed(0);
const a = axonal.randn(m, k);
const b = axonal.randn(k, n);
const ref = reference(a.data, b.data, m, n, k);
let ok = true;
for (const isa of info.isaAvailable) {
  axonal.backend.setIsa(isa);
  const c = axonal.matmul(a, b);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(c.data[i] - ref[i]));
  const good = worst < 1e-3;
  ok &&= good;
  console.log(`matmul [${m}x${k}] x [${k}x${n}] on ${isa.padEnd(6)}: max |error| vs float64 = ${worst.toExponential(2)} ${good ? 'ok' : 'FAILED'}`);
}
axonal.backend.setIsa(info.isa);
process.exit(ok ? 0 : 1);
