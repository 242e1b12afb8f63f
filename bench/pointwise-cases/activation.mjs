// Activation cases for bench/pointwise.mjs. Each setup runs the kernel once and
// checks sampled outputs against a float64 reference before it is timed.
const sig = (x) => 1 / (1 + Math.exp(-x));
function erf(x) {
  const t = Math.abs(x);
  if (t > 6) return Math.sign(x);
  let sum = t, term = t;
  for (let k = 1; k < 200 && Math.abs(term) > 1e-17; k++) {
    term *= (-t * t) / k;
    sum += term / (2 * k + 1);
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
}

function inputs(n) {
  const x = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = (s / 2 ** 32) * 12 - 6; // [-6, 6)
  }
  return x;
}

function check(name, x, y, ref, tol = 1e-5) {
  for (let i = 0; i < x.length; i += 104729) {
    const want = ref(x[i]);
    if (!(Math.abs(y[i] - want) <= tol * Math.max(1, Math.abs(want)))) {
      throw new Error(`${name}: y[${i}] = ${y[i]} for x = ${x[i]}, want ${want}`);
    }
  }
}

function pointCase(name, fn, ref, params = []) {
  return {
    name,
    bytesPerElement: 8,
    setup(n, { native }) {
      const x = inputs(n);
      const y = new Float32Array(n);
      native[fn](x, y, ...params);
      check(name, x, y, ref);
      return () => native[fn](x, y, ...params);
    },
  };
}

export const cases = [
  pointCase('relu', 'reluFwd', (x) => Math.max(x, 0)),
  pointCase('gelu (erf)', 'geluFwd', (x) => 0.5 * x * (1 + erf(x / Math.SQRT2))),
  pointCase('gelu (tanh)', 'geluTanhFwd', (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))),
  pointCase('sigmoid', 'sigmoidFwd', sig),
  pointCase('softplus', 'softplusFwd', (x) => (x > 20 ? x : Math.log1p(Math.exp(x))), [1, 20]),
  {
    name: 'relu backward',
    bytesPerElement: 12,
    setup(n, { native }) {
      const x = inputs(n);
      const dy = inputs(n);
      const dx = new Float32Array(n);
      native.reluBwd(x, dy, dx);
      for (let i = 0; i < n; i += 104729) if (dx[i] !== (x[i] <= 0 ? 0 : dy[i])) throw new Error(`relu backward at ${i}`);
      return () => native.reluBwd(x, dy, dx);
    },
  },
  {
    name: 'gelu (erf) backward',
    bytesPerElement: 12,
    setup(n, { native }) {
      const x = inputs(n);
      const dy = inputs(n);
      const dx = new Float32Array(n);
      native.geluBwd(x, dy, dx);
      const d = (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI);
      for (let i = 0; i < n; i += 104729) {
        const want = dy[i] * d(x[i]);
        if (!(Math.abs(dx[i] - want) <= 1e-5 * Math.max(1, Math.abs(want)))) throw new Error(`gelu backward at ${i}`);
      }
      return () => native.geluBwd(x, dy, dx);
    },
  },
  {
    name: 'softmax (rows of 1000)',
    bytesPerElement: 8,
    setup(n, { native }) {
      const cols = 1000;
      const rows = Math.floor(n / cols);
      const x = inputs(rows * cols);
      const y = new Float32Array(rows * cols);
      native.softmaxFwd(x, y, rows, cols);
      for (let r = 0; r < rows; r += 1009) {
        let m = -Infinity, s = 0;
        for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]);
        for (let c = 0; c < cols; c++) s += Math.exp(x[r * cols + c] - m);
        const c = r % cols;
        const want = Math.exp(x[r * cols + c] - m) / s;
        if (!(Math.abs(y[r * cols + c] - want) <= 1e-5 * want + 1e-9)) throw new Error(`softmax row ${r}`);
      }
      return () => native.softmaxFwd(x, y, rows, cols);
    },
  },
];
