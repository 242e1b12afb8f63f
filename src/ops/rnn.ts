/**
 * One recurrent layer over a whole sequence (both directions when bidirectional) as
 * one autograd node whose backward runs backpropagation through time. The input
 * projections of all time steps are one sgemm (X W_ih^T); each step is one sgemm
 * (h W_hh^T) and one fused native gate kernel (native/binding/rnn_binding.cpp).
 * Backward: per step one fused gate-backward kernel and one sgemm (dG W_hh); the
 * weight, bias and input gradients of all steps are one sgemm each afterwards.
 * Semantics and layouts follow PyTorch 1.13 (LSTM gates i,f,g,o; GRU r,z,n).
 *
 * An LSTM with a projection (PyTorch's proj_size) carries h = W_hr (o * tanh(c)) of
 * width P < H between steps: one more sgemm per step forward (and one for dh W_hr
 * backward); W_hh is then [4H, P], and dW_hr is one sgemm over all steps afterwards.
 */
import { needsGrad, record } from '../autograd/engine.js';
import { shapeError } from '../errors.js';
import { native } from '../native.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { floats } from '../memory.js';

export type RnnMode = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu';

/**
 * One direction's parameters in PyTorch's layouts: wih [G*H, I], whh [G*H, R], biases
 * [G*H] or null, and (LSTM only) the projection whr [P, H] or null. R, the width of h,
 * is P with a projection and H without.
 */
export interface RnnDirectionParams {
  wih: Tensor;
  whh: Tensor;
  bih: Tensor | null;
  bhh: Tensor | null;
  whr?: Tensor | null;
}

export interface RnnLayerResult {
  /** [T, B, D*R] */
  output: Tensor;
  /** [D, B, R] */
  hN: Tensor;
  /** [D, B, H] (LSTM only) */
  cN: Tensor | null;
}

/** Gates per unit. */
export function gateCount(mode: RnnMode): number {
  return mode === 'lstm' ? 4 : mode === 'gru' ? 3 : 1;
}

const zeroCache = new Map<number, Float32Array>();
function zerosOf(n: number): Float32Array {
  let v = zeroCache.get(n);
  if (!v) {
    v = new Float32Array(n);
    if (zeroCache.size > 64) zeroCache.clear();
    zeroCache.set(n, v);
  }
  return v;
}

const onesCache = new Map<number, Float32Array>();
function onesOf(n: number): Float32Array {
  let v = onesCache.get(n);
  if (!v) {
    v = new Float32Array(n).fill(1);
    if (onesCache.size > 64) onesCache.clear();
    onesCache.set(n, v);
  }
  return v;
}

/** x [T, B, I] with time reversed (the reverse direction walks it forward). */
function reverseTime(src: Float32Array, T: number, rowLen: number): Float32Array {
  const out = floats(src.length);
  for (let t = 0; t < T; t++) out.set(src.subarray((T - 1 - t) * rowLen, (T - t) * rowLen), t * rowLen);
  return out;
}

interface DirectionState {
  xs: Float32Array; // input in step order [T*B, I]
  hs: Float32Array; // states in step order [(T+1)*B, R]; hs[0] = h0
  cs: Float32Array | null;
  save: Float32Array; // per step what the gate backward needs
  hRaw: Float32Array | null; // with a projection: o * tanh(c) per step [T*B, H]
}

/**
 * Runs one layer. x [T, B, I]; h0 [D, B, R], c0 [D, B, H] (c0 for LSTM only); one
 * params entry per direction (D = 1 or 2, the second running backwards in time).
 */
export function rnnLayer(mode: RnnMode, x: Tensor, h0: Tensor, c0: Tensor | null, dirs: readonly RnnDirectionParams[]): RnnLayerResult {
  const op = 'rnnLayer';
  const lstm = mode === 'lstm';
  const gru = mode === 'gru';
  const relu = mode === 'rnn_relu';
  const D = dirs.length;
  if (x.ndim !== 3) throw shapeError(op, `input must be 3-D [T, B, I], but has shape ${formatShape(x.shape)}`);
  const [T, B, I] = x.shape as [number, number, number];
  const G = gateCount(mode);
  const proj = (dirs[0]!.whr ?? null) !== null;
  if (proj && !lstm) throw shapeError(op, 'only an LSTM layer has a projection (whr)');
  // H: the cell's width; R: the width of h (P with a projection).
  const H = proj ? dirs[0]!.whr!.shape[1]! : dirs[0]!.whh.shape[1]!;
  const R = dirs[0]!.whh.shape[1]!;
  const GH = G * H;
  const S = lstm ? 5 : gru ? 4 : 0;
  for (const p of dirs) {
    if (p.wih.shape[0] !== GH || p.wih.shape[1] !== I) throw shapeError(op, `weight_ih has shape ${formatShape(p.wih.shape)}, expected [${GH}, ${I}]`);
    if (p.whh.shape[0] !== GH || p.whh.shape[1] !== R) throw shapeError(op, `weight_hh has shape ${formatShape(p.whh.shape)}, expected [${GH}, ${R}]`);
    const whr = p.whr ?? null;
    if ((whr !== null) !== proj) throw shapeError(op, 'either every direction has a projection (whr) or none does');
    if (whr !== null && (whr.ndim !== 2 || whr.shape[0] !== R || whr.shape[1] !== H)) {
      throw shapeError(op, `weight_hr has shape ${formatShape(whr.shape)}, expected [${R}, ${H}]`);
    }
  }
  const stateShape = [D, B, R];
  const cellShape = [D, B, H];
  const check = (name: string, t: Tensor | null, want: number[]) => {
    if (t !== null && (t.ndim !== 3 || t.shape.some((v, i) => v !== want[i]))) {
      throw shapeError(op, `${name} has shape ${formatShape(t.shape)}, expected ${formatShape(want)}`);
    }
  };
  check('h0', h0, stateShape);
  check('c0', c0, cellShape);
  if (lstm && c0 === null) throw shapeError(op, 'an LSTM layer needs c0');

  const BH = B * H;
  const BR = B * R;
  const inputs: Tensor[] = [x, h0];
  if (lstm) inputs.push(c0!);
  for (const p of dirs) {
    inputs.push(p.wih, p.whh);
    if (p.bih) inputs.push(p.bih);
    if (p.bhh) inputs.push(p.bhh);
    if (proj) inputs.push(p.whr!);
  }
  // Without a graph (noGrad, eval without grads) one step's saved gate values are reused.
  const keep = needsGrad(...inputs);
  const saveStep = (s: number) => (keep ? s : 0);
  const out = floats(T * B * D * R);
  const hN = floats(D * BR);
  const cN = lstm ? floats(D * BH) : null;
  const states: DirectionState[] = [];
  const gh = floats(B * GH);
  for (let d = 0; d < D; d++) {
    const p = dirs[d]!;
    const reverse = d === 1;
    const bih = p.bih ? p.bih.data : zerosOf(GH);
    const bhh = p.bhh ? p.bhh.data : zerosOf(GH);
    const xs = reverse ? reverseTime(x.data, T, B * I) : x.data;
    const gi = floats(T * B * GH);
    native.sgemm(false, true, T * B, GH, I, 1, xs, Math.max(1, I), p.wih.data, Math.max(1, I), 0, gi, Math.max(1, GH));
    const hs = floats((T + 1) * BR);
    hs.set(h0.data.subarray(d * BR, (d + 1) * BR));
    let cs: Float32Array | null = null;
    if (lstm) {
      cs = floats((T + 1) * BH);
      cs.set(c0!.data.subarray(d * BH, (d + 1) * BH));
    }
    const save = floats((keep ? T : 1) * B * S * H);
    const hRaw = proj ? floats((keep ? T : 1) * BH) : null;
    for (let s = 0; s < T; s++) {
      const hPrev = hs.subarray(s * BR, (s + 1) * BR);
      const hNext = hs.subarray((s + 1) * BR, (s + 2) * BR);
      native.sgemm(false, true, B, GH, R, 1, hPrev, R, p.whh.data, R, 0, gh, GH);
      const giS = gi.subarray(s * B * GH, (s + 1) * B * GH);
      if (lstm) {
        const ss = saveStep(s);
        // With a projection the cell writes o * tanh(c) aside and h = that W_hr^T.
        const hCell = hRaw ? hRaw.subarray(ss * BH, (ss + 1) * BH) : hNext;
        native.lstmCellFwd(B, H, giS, gh, bih, bhh, cs!.subarray(s * BH, (s + 1) * BH), hCell, cs!.subarray((s + 1) * BH, (s + 2) * BH), save.subarray(ss * B * S * H, (ss + 1) * B * S * H));
        if (hRaw) native.sgemm(false, true, B, R, H, 1, hCell, H, p.whr!.data, H, 0, hNext, R);
      } else if (gru) {
        const ss = saveStep(s);
        native.gruCellFwd(B, H, giS, gh, bih, bhh, hPrev, hNext, save.subarray(ss * B * S * H, (ss + 1) * B * S * H));
      } else {
        native.rnnCellFwd(relu, B, H, giS, gh, bih, bhh, hNext);
      }
      const t = reverse ? T - 1 - s : s;
      for (let b = 0; b < B; b++) out.set(hNext.subarray(b * R, (b + 1) * R), (t * B + b) * D * R + d * R);
    }
    hN.set(hs.subarray(T * BR, (T + 1) * BR), d * BR);
    if (lstm) cN!.set(cs!.subarray(T * BH, (T + 1) * BH), d * BH);
    states.push({ xs, hs, cs, save, hRaw });
  }

  const output = new Tensor(out, [T, B, D * R]);
  const hNT = new Tensor(hN, stateShape);
  const cNT = cN ? new Tensor(cN, cellShape) : null;
  const outputs = cNT ? [output, hNT, cNT] : [output, hNT];
  const name = lstm ? 'LstmBackward' : gru ? 'GruBackward' : 'RnnBackward';

  record(name, inputs, outputs, (grads) => {
    const gOut = grads[0]?.data ?? null;
    const ghN = grads[1]?.data ?? null;
    const gcN = lstm ? (grads[2]?.data ?? null) : null;
    const dx = x.requiresGrad ? floats(x.size) : null;
    const dh0 = floats(D * BR);
    const dc0 = lstm ? floats(D * BH) : null;
    const paramGrads: (Tensor | null)[] = [];
    for (let d = 0; d < D; d++) {
      const p = dirs[d]!;
      const st = states[d]!;
      const reverse = d === 1;
      let dh = floats(BR);
      let dhPrev = floats(BR);
      if (ghN) dh.set(ghN.subarray(d * BR, (d + 1) * BR));
      // With a projection: every step's dh (for dW_hr) and dh W_hr, the cell's gradient.
      const dhs = proj ? floats(T * BR) : null;
      const dhCell = proj ? floats(BH) : null;
      let dc: Float32Array | null = null;
      let dcPrev: Float32Array | null = null;
      if (lstm) {
        dc = floats(BH);
        dcPrev = floats(BH);
        if (gcN) dc.set(gcN.subarray(d * BH, (d + 1) * BH));
      }
      const dG = floats(T * B * GH);
      const dGh = gru ? floats(T * B * GH) : dG;
      for (let s = T - 1; s >= 0; s--) {
        const t = reverse ? T - 1 - s : s;
        if (gOut) {
          for (let b = 0; b < B; b++) {
            const o = (t * B + b) * D * R + d * R;
            for (let j = 0; j < R; j++) dh[b * R + j]! += gOut[o + j]!;
          }
        }
        const dGs = dG.subarray(s * B * GH, (s + 1) * B * GH);
        const dGhs = dGh.subarray(s * B * GH, (s + 1) * B * GH);
        let beta = 0;
        if (lstm) {
          let dCell = dh;
          if (dhs && dhCell) {
            dhs.set(dh, s * BR);
            native.sgemm(false, false, B, H, R, 1, dh, R, p.whr!.data, H, 0, dhCell, H);
            dCell = dhCell;
          }
          native.lstmCellBwd(B, H, dCell, dc!, st.cs!.subarray(s * BH, (s + 1) * BH), st.save.subarray(s * B * S * H, (s + 1) * B * S * H), dGs, dcPrev!);
          [dc, dcPrev] = [dcPrev, dc];
        } else if (gru) {
          native.gruCellBwd(B, H, dh, st.hs.subarray(s * BH, (s + 1) * BH), st.save.subarray(s * B * S * H, (s + 1) * B * S * H), dGs, dGhs, dhPrev);
          beta = 1;
        } else {
          native.rnnCellBwd(relu, B, H, dh, st.hs.subarray((s + 1) * BH, (s + 2) * BH), dGs);
        }
        native.sgemm(false, false, B, R, GH, 1, dGhs, GH, p.whh.data, R, beta, dhPrev, R);
        [dh, dhPrev] = [dhPrev, dh];
      }
      dh0.set(dh, d * BR);
      if (lstm) dc0!.set(dc!, d * BH);
      const TB = T * B;
      if (p.wih.requiresGrad) {
        const dw = floats(GH * I);
        native.sgemm(true, false, GH, I, TB, 1, dG, GH, st.xs, Math.max(1, I), 0, dw, Math.max(1, I));
        paramGrads.push(new Tensor(dw, p.wih.shape));
      } else paramGrads.push(null);
      if (p.whh.requiresGrad) {
        const dw = floats(GH * R);
        native.sgemm(true, false, GH, R, TB, 1, dGh, GH, st.hs, R, 0, dw, R);
        paramGrads.push(new Tensor(dw, p.whh.shape));
      } else paramGrads.push(null);
      for (const [bias, src] of [
        [p.bih, dG],
        [p.bhh, dGh],
      ] as const) {
        if (bias === null) continue;
        if (!bias.requiresGrad) {
          paramGrads.push(null);
          continue;
        }
        const db = floats(GH);
        native.sgemm(false, false, 1, GH, TB, 1, onesOf(TB), Math.max(1, TB), src, GH, 0, db, GH);
        paramGrads.push(new Tensor(db, bias.shape));
      }
      if (proj) {
        // dW_hr = sum over steps of dh^T (o * tanh(c)).
        if (p.whr!.requiresGrad) {
          const dw = floats(R * H);
          native.sgemm(true, false, R, H, TB, 1, dhs!, R, st.hRaw!, H, 0, dw, H);
          paramGrads.push(new Tensor(dw, p.whr!.shape));
        } else paramGrads.push(null);
      }
      if (dx) {
        if (!reverse) {
          native.sgemm(false, false, TB, I, GH, 1, dG, GH, p.wih.data, Math.max(1, I), d === 0 ? 0 : 1, dx, Math.max(1, I));
        } else {
          const dxs = floats(TB * I);
          native.sgemm(false, false, TB, I, GH, 1, dG, GH, p.wih.data, Math.max(1, I), 0, dxs, Math.max(1, I));
          const row = B * I;
          for (let s = 0; s < T; s++) {
            const o = (T - 1 - s) * row;
            for (let k = 0; k < row; k++) dx[o + k]! += dxs[s * row + k]!;
          }
        }
      }
    }
    const result: (Tensor | null)[] = [dx ? new Tensor(dx, x.shape) : null, new Tensor(dh0, stateShape)];
    if (lstm) result.push(new Tensor(dc0!, cellShape));
    return [...result, ...paramGrads];
  }, inputs);
  return { output, hN: hNT, cN: cNT };
}
