// The rnn cell bindings: precise messages for wrong lengths and aliasing, and the
// LSTM/GRU/RNN step kernels against a float64 JavaScript reference on every ISA.
import { describe, expect, it } from 'vitest';

import { native } from '../../src/native.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError } from '../helpers/reference.js';

const rand = (n: number, seed: number) => {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 4 - 2;
  }
  return out;
};
const sg = (x: number) => 1 / (1 + Math.exp(-x));

describe('rnn cell bindings', () => {
  it('name the argument, the need and what came', () => {
    const R = 2;
    const H = 3;
    const f = (n: number) => new Float32Array(n);
    expect(() => native.lstmCellFwd(R, H, f(24), f(24), f(12), f(12), f(6), f(6), f(6), f(29))).toThrow(
      'lstmCellFwd: save must have 30 elements for [rows, 5*hidden] = [2, 15], but has 29',
    );
    expect(() => native.gruCellFwd(R, H, f(18), f(18), f(8), f(9), f(6), f(6), f(24))).toThrow('gruCellFwd: bih must have 9 elements for [3*hidden] = [9], but has 8');
    const buf = f(64);
    expect(() => native.rnnCellFwd(false, R, H, buf.subarray(0, 6), f(6), f(3), f(3), buf.subarray(3, 9))).toThrow(
      'rnnCellFwd: h must not share memory with gi (pass a separate output buffer)',
    );
    expect(() => native.gruCellBwd(R, H, f(6), f(6), f(24), buf.subarray(0, 18), buf.subarray(10, 28), f(6))).toThrow(/gruCellBwd: dgi must not share memory with dgh/);
    expect(() => native.rnnCellBwd('yes' as never, R, H, f(6), f(6), f(6))).toThrow('rnnCellBwd: relu must be a boolean, but received a string');
  });

  for (const isa of isaLevels) {
    it(`step kernels match a float64 reference (${isa})`, () =>
      withIsa(isa, () => {
        for (const [R, H] of [
          [1, 1],
          [3, 17],
          [5, 33],
        ] as const) {
          const gi = rand(R * 4 * H, 1);
          const gh = rand(R * 4 * H, 2);
          const bih = rand(4 * H, 3);
          const bhh = rand(4 * H, 4);
          const cp = rand(R * H, 5);
          const h = new Float32Array(R * H);
          const c = new Float32Array(R * H);
          const save = new Float32Array(R * 5 * H);
          native.lstmCellFwd(R, H, gi, gh, bih, bhh, cp, h, c, save);
          const refH: number[] = [];
          for (let b = 0; b < R; b++) {
            for (let j = 0; j < H; j++) {
              const a = [0, 1, 2, 3].map((k) => gi[b * 4 * H + k * H + j]! + bih[k * H + j]! + gh[b * 4 * H + k * H + j]! + bhh[k * H + j]!);
              const cn = sg(a[1]!) * cp[b * H + j]! + sg(a[0]!) * Math.tanh(a[2]!);
              refH.push(sg(a[3]!) * Math.tanh(cn));
            }
          }
          expect(maxScaledError(h, refH, 2e-6, 2e-6)).toBeLessThanOrEqual(1);

          const g3 = gi.subarray(0, R * 3 * H);
          const h3 = gh.subarray(0, R * 3 * H);
          const hg = new Float32Array(R * H);
          native.gruCellFwd(R, H, g3, h3, bih.subarray(0, 3 * H), bhh.subarray(0, 3 * H), cp, hg, new Float32Array(R * 4 * H));
          const refG: number[] = [];
          for (let b = 0; b < R; b++) {
            for (let j = 0; j < H; j++) {
              const o = b * 3 * H;
              const r = sg(g3[o + j]! + bih[j]! + h3[o + j]! + bhh[j]!);
              const z = sg(g3[o + H + j]! + bih[H + j]! + h3[o + H + j]! + bhh[H + j]!);
              const n = Math.tanh(g3[o + 2 * H + j]! + bih[2 * H + j]! + r * (h3[o + 2 * H + j]! + bhh[2 * H + j]!));
              refG.push((1 - z) * n + z * cp[b * H + j]!);
            }
          }
          expect(maxScaledError(hg, refG, 2e-6, 2e-6)).toBeLessThanOrEqual(1);

          for (const relu of [false, true]) {
            const hr = new Float32Array(R * H);
            native.rnnCellFwd(relu, R, H, gi.subarray(0, R * H), gh.subarray(0, R * H), bih.subarray(0, H), bhh.subarray(0, H), hr);
            const refR = Array.from({ length: R * H }, (_, i) => {
              const a = gi[i]! + bih[i % H]! + gh[i]! + bhh[i % H]!;
              return relu ? Math.max(a, 0) : Math.tanh(a);
            });
            expect(maxScaledError(hr, refR, 2e-6, 2e-6)).toBeLessThanOrEqual(1);
          }
        }
      }));
  }
});
