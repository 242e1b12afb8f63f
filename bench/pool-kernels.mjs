#!/usr/bin/env node
// Pooling kernels alone: the addon's maxPool2dForward/Backward and avgPool2dForward/
// Backward on preallocated buffers (no autograd, no allocation), min and median ms of
// `reps` calls at each thread count, per ISA level.
//
//   node bench/pool-kernels.mjs [--reps 15] [--threads 1,2] [--isa avx512,avx2] [--shape 64,64,32,32]
//
// Prints a checksum of each output so that two builds can be compared for identical results.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const reps = Number(opt('reps', '15'));
const threads = opt('threads', '1,2').split(',').map(Number);
const [n, c, h, w] = opt('shape', '64,64,32,32').split(',').map(Number);
const planes = n * c;

const native = createRequire(import.meta.url)(join(root, 'build', 'Release', 'axonal.node'));
native.setErrorClass(Error);
const isas = opt('isa', native.info().isaAvailable.join(',')).split(',');

let s = 12345;
const rand = () => {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  return s / 2 ** 32 - 0.5;
};
const x = new Float32Array(planes * h * w).map(rand);
const outSize = (i, k, st, p) => Math.floor((i + 2 * p - k) / st) + 1;

function time(fn) {
  fn();
  const t = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return `${t[0].toFixed(3).padStart(7)} / ${t[Math.floor(t.length / 2)].toFixed(3).padStart(7)}`;
}
const digest = (a) => createHash('sha1').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 10);

// MaxPool2d(2) and AvgPool2d(3, stride 2, padding 1).
const mo = outSize(h, 2, 2, 0), mow = outSize(w, 2, 2, 0);
const my = new Float32Array(planes * mo * mow), midx = new Int32Array(my.length), mdy = my.map(rand), mdx = new Float32Array(x.length);
const ao = outSize(h, 3, 2, 1), aow = outSize(w, 3, 2, 1);
const ay = new Float32Array(planes * ao * aow), ady = ay.map(rand), adx = new Float32Array(x.length);

console.log(`pooling kernels on [${n},${c},${h},${w}], ${reps} reps, min / median ms`);
for (const isa of isas) {
  native.setIsa(isa);
  for (const t of threads) {
    native.setNumThreads(t);
    const rows = [
      ['maxpool 2x2 fwd', () => native.maxPool2dForward(x, my, midx, planes, h, w, 2, 2, 2, 2, 0, 0, 1, 1, false), my],
      ['maxpool 2x2 bwd', () => native.maxPool2dBackward(mdy, midx, mdx, planes, h, w, 2, 2, 2, 2, 0, 0, 1, 1, false), mdx],
      ['avgpool 3x3 s2 p1 fwd', () => native.avgPool2dForward(x, ay, planes, h, w, 3, 3, 2, 2, 1, 1, false, true, 0), ay],
      ['avgpool 3x3 s2 p1 bwd', () => native.avgPool2dBackward(ady, adx, planes, h, w, 3, 3, 2, 2, 1, 1, false, true, 0), adx],
    ];
    for (const [name, fn, out] of rows) {
      const r = time(fn);
      const sum = name.startsWith('maxpool 2x2 fwd') ? `${digest(out)} ${digest(midx)}` : digest(out);
      console.log(`${isa.padEnd(7)} t=${t}  ${name.padEnd(22)} ${r}   ${sum}`);
    }
  }
}
