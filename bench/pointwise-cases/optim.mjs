// Pointwise benchmark cases for the optimizer and reduction kernels (bench/pointwise.mjs
// imports every module here). Each case: { name, bytesPerElement, setup(n, axonal) -> run }.
// bytesPerElement counts the float32 bytes one element moves (reads + writes).
// setup() checks the kernel against a float64 reference on a slice before timing.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The raw binding (the same addon instance the package loads: require caches it).
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const native = createRequire(import.meta.url)('node-gyp-build')(root);

const EMPTY = new Float32Array(0);

function data(n, seed, scale = 1) {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

function check(name, got, want, tol) {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * (Math.abs(want[i]) + 1e-3))) {
      throw new Error(`${name}: element ${i} is ${got[i]}, reference ${want[i]}`);
    }
  }
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.01 };

function adamCase(decoupled) {
  return {
    name: decoupled ? 'adamw step' : 'adam step',
    bytesPerElement: 28, // read param, grad, exp_avg, exp_avg_sq; write param, exp_avg, exp_avg_sq
    setup(n) {
      // Validate one step on a slice against float64.
      const k = 4099;
      const p0 = data(k, 1), g0 = data(k, 2), m0 = data(k, 3, 0.1), v0 = data(k, 4, 0.01).map(Math.abs);
      const p = p0.slice(), m = m0.slice(), v = v0.slice();
      const step = 10;
      native.adamStep(p, g0, m, v, EMPTY, step, ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps, ADAM.wd, false, false, decoupled);
      const want = Array.from(p0, (pv, i) => {
        let g = g0[i];
        let pp = pv;
        if (decoupled) pp *= 1 - ADAM.lr * ADAM.wd;
        else g += ADAM.wd * pv;
        const mm = m0[i] * ADAM.beta1 + (1 - ADAM.beta1) * g;
        const vv = v0[i] * ADAM.beta2 + (1 - ADAM.beta2) * g * g;
        const denom = Math.sqrt(vv) / Math.sqrt(1 - ADAM.beta2 ** step) + ADAM.eps;
        return pp - (ADAM.lr / (1 - ADAM.beta1 ** step)) * (mm / denom);
      });
      check(this.name, p, want, 1e-5);
      const P = data(n, 5), G = data(n, 6), M = new Float32Array(n), V = new Float32Array(n);
      return () =>
        native.adamStep(P, G, M, V, EMPTY, step, ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps, ADAM.wd, false, false, decoupled);
    },
  };
}

export const cases = [
  adamCase(false),
  adamCase(true),
  {
    name: 'sgd momentum step',
    bytesPerElement: 20, // read param, grad, buffer; write param, buffer
    setup(n) {
      const k = 4099;
      const p0 = data(k, 1), g0 = data(k, 2), b0 = data(k, 3);
      const p = p0.slice(), b = b0.slice();
      native.sgdStep(p, g0, b, 0.1, 0.9, 0, 1e-4, true, false, false);
      const want = Array.from(p0, (pv, i) => {
        const g = g0[i] + 1e-4 * pv;
        const buf = b0[i] * 0.9 + g;
        return pv - 0.1 * (g + 0.9 * buf);
      });
      check(this.name, p, want, 1e-5);
      const P = data(n, 5), G = data(n, 6), B = new Float32Array(n);
      return () => native.sgdStep(P, G, B, 0.1, 0.9, 0, 1e-4, true, false, false);
    },
  },
  {
    name: 'dropout forward',
    bytesPerElement: 12, // read x; write out, mask (Philox 4x32-10 draws computed on the fly)
    setup(n) {
      const k = 4099;
      const x = data(k, 9), out = new Float32Array(k), mask = new Float32Array(k);
      native.dropoutForward(x, out, mask, 0.1, 5, 0);
      let kept = 0;
      for (let i = 0; i < k; i++) {
        if (mask[i] !== 0) kept++;
        if (!(mask[i] === 0 || mask[i] === Math.fround(1 / Math.fround(1 - Math.fround(0.1)))) || out[i] !== Math.fround(x[i] * mask[i])) {
          throw new Error(`dropout forward: element ${i} is ${out[i]} with mask ${mask[i]}`);
        }
      }
      if (Math.abs(kept / k - 0.9) > 0.03) throw new Error(`dropout forward: kept ${kept} of ${k} at p = 0.1`);
      const X = data(n, 10), OUT = new Float32Array(n), MASK = new Float32Array(n);
      let offset = 0;
      return () => {
        offset += native.dropoutForward(X, OUT, MASK, 0.1, 5, offset);
      };
    },
  },
  {
    name: 'sum reduction',
    bytesPerElement: 4, // read x
    setup(n) {
      const x = data(4099, 7);
      const want = x.reduce((a, b) => a + b, 0);
      check(this.name, [native.sum(x)], [want], 1e-12);
      const X = data(n, 8);
      return () => native.sum(X);
    },
  },
];
