/**
 * The core of multi-head attention as one autograd node: per (batch, head), scores
 * = (Q K^T) / sqrt(headDim) + mask, P = softmax(scores), optional dropout on P, and
 * out = P V, as PyTorch 1.13's F.multi_head_attention_forward. The heads are
 * column blocks of the projected [L, N, E] (or [N, L, E]) tensors, read and
 * written in place through sgemm's leading dimensions (no head transposes); the
 * softmax and its backward run on the native row kernels.
 */
import { record } from '../autograd/engine.js';
import { native } from '../native.js';
import { defaultGenerator } from '../random.js';
import { Tensor } from '../tensor.js';
import { dropout as dropoutKernel } from './dropout.js';
import { floats, copyOf } from '../memory.js';

type Stride = [number, number];

export interface AttentionCoreOptions {
  heads: number;
  /** q, k, v are [N, L, E] instead of [L, N, E]. */
  batchFirst: boolean;
  /** Additive mask [N*heads, L, S] (already merged), or null. */
  mask: Float32Array | null;
  /** Dropout probability on the attention weights (0 = none). */
  dropoutP: number;
  needWeights: boolean;
  averageWeights: boolean;
}

/**
 * q [L, N, E], k and v [S, N, E] (or batch-first). Returns the attention output in
 * q's layout and, when asked, the (post-dropout) weights [N, heads, L, S] or their
 * head average [N, L, S].
 */
export function attentionCore(q: Tensor, k: Tensor, v: Tensor, o: AttentionCoreOptions): { output: Tensor; weights: Tensor | null } {
  const bf = o.batchFirst;
  const [L, N, E] = (bf ? [q.shape[1], q.shape[0], q.shape[2]] : q.shape) as [number, number, number];
  const S = (bf ? k.shape[1] : k.shape[0])!;
  const heads = o.heads;
  const Dh = E / heads;
  const scale = 1 / Math.sqrt(Dh);
  // The (n, h) head block starts at n * stride[0] + h * stride[1] in each layout, with
  // row stride ld; the score matrices [N, heads, L, S] are contiguous.
  const ld = bf ? E : N * E;
  const qStride: Stride = [bf ? L * E : E, Dh];
  const kStride: Stride = [bf ? S * E : E, Dh];
  const LS = L * S;
  const BH = N * heads;
  const pStride: Stride = [heads * LS, LS];
  const ldp = Math.max(1, S);
  // One product per (batch, head), all in one native call (small heads run one per thread).
  const perHead = (ta: boolean, tb: boolean, m: number, n: number, kk: number, alpha: number, a: Float32Array, lda: number, sa: Stride, b: Float32Array, ldb: number, sb: Stride, c: Float32Array, ldc: number, sc: Stride) =>
    native.sgemmBatched(ta, tb, m, n, kk, alpha, a, lda, b, ldb, 0, c, ldc, N, heads, sa[0], sa[1], sb[0], sb[1], sc[0], sc[1]);

  const P = floats(BH * LS);
  perHead(false, true, L, S, Dh, scale, q.data, ld, qStride, k.data, ld, kStride, P, ldp, pStride);
  if (o.mask) for (let i = 0; i < P.length; i++) P[i]! += o.mask[i]!;
  if (P.length > 0) native.softmaxFwd(P, P, BH * L, S);
  let Pd: Float32Array = P;
  let dmask: Float32Array | null = null;
  if (o.dropoutP > 0) {
    const r = dropoutKernel(new Tensor(P, [P.length]), o.dropoutP, defaultGenerator);
    Pd = r.output.data;
    dmask = r.mask;
  }
  const out = floats(q.size);
  perHead(false, false, L, Dh, S, 1, Pd, ldp, pStride, v.data, ld, kStride, out, ld, qStride);
  const output = new Tensor(out, q.shape);
  let weights: Tensor | null = null;
  if (o.needWeights) {
    if (o.averageWeights) {
      const w = floats(N * LS);
      for (let n = 0; n < N; n++) {
        const dst = w.subarray(n * LS, (n + 1) * LS);
        for (let h = 0; h < heads; h++) {
          const src = Pd.subarray((n * heads + h) * LS, (n * heads + h + 1) * LS);
          for (let i = 0; i < LS; i++) dst[i]! += src[i]!;
        }
        for (let i = 0; i < LS; i++) dst[i]! /= heads;
      }
      weights = new Tensor(w, [N, L, S]);
    } else {
      weights = new Tensor(copyOf(Pd), [N, heads, L, S]);
    }
  }

  record('AttentionBackward', [q, k, v], weights ? [output, weights] : [output], (grads) => {
    const gOut = grads[0]?.data ?? null;
    const gW = grads[1]?.data ?? null;
    const dPd = floats(BH * LS);
    const dv = floats(v.size);
    if (gOut) {
      perHead(false, true, L, S, Dh, 1, gOut, ld, qStride, v.data, ld, kStride, dPd, ldp, pStride);
      perHead(true, false, S, Dh, L, 1, Pd, ldp, pStride, gOut, ld, qStride, dv, ld, kStride);
    }
    if (gW) {
      if (o.averageWeights) {
        for (let n = 0; n < N; n++) {
          for (let h = 0; h < heads; h++) {
            const dst = dPd.subarray((n * heads + h) * LS);
            for (let i = 0; i < LS; i++) dst[i]! += gW[n * LS + i]! / heads;
          }
        }
      } else {
        for (let i = 0; i < dPd.length; i++) dPd[i]! += gW[i]!;
      }
    }
    let dP = dPd;
    if (dmask) {
      dP = floats(dPd.length);
      native.dropoutBackward(dPd, dmask, dP);
    }
    const dS = floats(dP.length);
    if (dS.length > 0) native.softmaxBwd(P, dP, dS, BH * L, S);
    const dq = floats(q.size);
    const dk = floats(k.size);
    perHead(false, false, L, Dh, S, scale, dS, ldp, pStride, k.data, ld, kStride, dq, ld, qStride);
    perHead(true, false, S, Dh, L, scale, dS, ldp, pStride, q.data, ld, qStride, dk, ld, kStride);
    return [new Tensor(dq, q.shape), new Tensor(dk, k.shape), new Tensor(dv, v.shape)];
  });
  return { output, weights };
}
