// Loss cases for bench/pointwise.mjs: fused cross-entropy (value + gradient) over
// logits [rows, 1000] with class indices; bytes = logits read + gradient written.
export const cases = [
  {
    name: 'cross-entropy (1000 cl)',
    bytesPerElement: 8,
    setup(n, { native }) {
      const cols = 1000;
      const rows = Math.floor(n / cols);
      const x = new Float32Array(rows * cols);
      let s = 777;
      for (let i = 0; i < x.length; i++) {
        s = (s * 1103515245 + 12345) >>> 0;
        x[i] = (s / 2 ** 32) * 8 - 4;
      }
      const t = Int32Array.from({ length: rows }, (_, i) => (i * 7919) % cols);
      const grad = new Float32Array(rows * cols);
      const out = new Float32Array(0);
      const value = native.crossEntropyLoss(x, rows, cols, t, out, -100, 0, grad, out, 'mean');
      // check: the value against float64 on a few rows' contribution is implied by the
      // gradient; verify the gradient of sampled rows.
      for (let r = 0; r < rows; r += 4999) {
        let m = -Infinity, sum = 0;
        for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]);
        for (let c = 0; c < cols; c++) sum += Math.exp(x[r * cols + c] - m);
        for (const c of [0, t[r], cols - 1]) {
          const want = (Math.exp(x[r * cols + c] - m) / sum - (c === t[r] ? 1 : 0)) / rows;
          if (!(Math.abs(grad[r * cols + c] - want) <= 1e-5 / rows)) throw new Error(`cross-entropy grad row ${r} col ${c}`);
        }
      }
      if (!Number.isFinite(value)) throw new Error('cross-entropy value');
      return () => native.crossEntropyLoss(x, rows, cols, t, out, -100, 0, grad, out, 'mean');
    },
  },
];
