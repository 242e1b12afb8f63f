/**
 * MultiheadAttention's add_bias_kv and add_zero_attn: rows appended to the projected
 * keys (or values) along the sequence, as F.multi_head_attention_forward does: first
 * the learned bias [E] repeated over the batch, then a row of zeros (a key whose score
 * is always 0 and whose value is 0). One node: the gradient of the input is its own
 * rows back, the bias's is its row summed over the batch.
 */
import { record } from '../autograd/engine.js';
import { Tensor } from '../tensor.js';
import { floats } from '../memory.js';

/**
 * x [S, N, E] ([N, S, E] with batchFirst), bias [E]-sized (any shape) or null; returns
 * [S + extra, N, E] (or [N, S + extra, E]), extra = (bias ? 1 : 0) + (zero ? 1 : 0).
 */
export function appendKeyValueRows(x: Tensor, bias: Tensor | null, zero: boolean, batchFirst: boolean): Tensor {
  const [S, N, E] = (batchFirst ? [x.shape[1], x.shape[0], x.shape[2]] : x.shape) as [number, number, number];
  const extra = (bias ? 1 : 0) + (zero ? 1 : 0);
  if (extra === 0) return x;
  const S2 = S + extra;
  const out = floats(S2 * N * E);
  // Offset of row (s, n) in a layout with `len` sequence positions.
  const at = (s: number, n: number, len: number) => (batchFirst ? (n * len + s) * E : (s * N + n) * E);
  if (batchFirst) {
    for (let n = 0; n < N; n++) out.set(x.data.subarray(n * S * E, (n + 1) * S * E), n * S2 * E);
  } else {
    out.set(x.data);
  }
  if (bias) for (let n = 0; n < N; n++) out.set(bias.data, at(S, n, S2));
  // the zero row is already zero
  const result = new Tensor(out, batchFirst ? [N, S2, E] : [S2, N, E]);
  const inputs = bias ? [x, bias] : [x];
  record('AppendKeyValueRowsBackward', inputs, [result], ([g]) => {
    const gd = g!.data;
    let dx: Tensor | null = null;
    if (x.requiresGrad) {
      const d = floats(x.size);
      if (batchFirst) for (let n = 0; n < N; n++) d.set(gd.subarray(n * S2 * E, n * S2 * E + S * E), n * S * E);
      else d.set(gd.subarray(0, S * N * E));
      dx = new Tensor(d, x.shape);
    }
    if (!bias) return [dx];
    let db: Tensor | null = null;
    if (bias.requiresGrad) {
      const d = floats(E);
      for (let n = 0; n < N; n++) {
        const o = at(S, n, S2);
        for (let j = 0; j < E; j++) d[j]! += gd[o + j]!;
      }
      db = new Tensor(d, bias.shape);
    }
    return [dx, db];
  });
  return result;
}
