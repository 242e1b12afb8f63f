// Normalization layers through the public API: functional forms against float64
// references on every ISA (forward and backward), bit-identical results for 1, 2 and
// 7 threads, module behaviour (running statistics, momentum null, eval, state dict
// keys, printing) and argument errors.
import { describe, expect, it } from 'vitest';

import { backend, manualSeed, nn, noGrad, randn, Tensor } from '../../src/index.js';
import { native } from '../../src/native.js';
import { isaLevels, withIsa } from '../helpers/isa.js';
import { maxScaledError } from '../helpers/reference.js';
import { weightedSum } from '../helpers/test-ops.js';

const F = nn.functional;

interface RefOut {
  y: number[];
  dx: number[];
  dw: number[];
  db: number[];
}

/**
 * Float64 reference: element i uses statistic stat(i) and affine channel ch(i); with
 * `fixed` the given mean/var (eval), otherwise the batch's (biased variance).
 */
function reference(
  x: Float32Array, dy: Float32Array, w: Float32Array | null, b: Float32Array | null, nstat: number, nch: number,
  stat: (i: number) => number, ch: (i: number) => number, eps: number, fixed?: { mean: Float32Array; var: Float32Array },
): RefOut {
  const n = x.length;
  const mean = new Float64Array(nstat);
  const vr = new Float64Array(nstat);
  const cnt = new Float64Array(nstat);
  for (let i = 0; i < n; i++) {
    mean[stat(i)]! += x[i]!;
    cnt[stat(i)]! += 1;
  }
  for (let k = 0; k < nstat; k++) mean[k]! /= cnt[k]!;
  for (let i = 0; i < n; i++) vr[stat(i)]! += (x[i]! - mean[stat(i)]!) ** 2;
  for (let k = 0; k < nstat; k++) vr[k]! /= cnt[k]!;
  if (fixed) {
    mean.set(fixed.mean);
    vr.set(fixed.var);
  }
  const rstd = vr.map((v) => 1 / Math.sqrt(v + eps));
  const out: RefOut = { y: new Array(n), dx: new Array(n), dw: new Array(nch).fill(0), db: new Array(nch).fill(0) };
  const sg = new Float64Array(nstat);
  const sgx = new Float64Array(nstat);
  for (let i = 0; i < n; i++) {
    const k = stat(i);
    const c = ch(i);
    const xh = (x[i]! - mean[k]!) * rstd[k]!;
    const wc = w ? w[c]! : 1;
    out.y[i] = xh * wc + (b ? b[c]! : 0);
    out.dw[c]! += dy[i]! * xh;
    out.db[c]! += dy[i]!;
    sg[k]! += dy[i]! * wc;
    sgx[k]! += dy[i]! * wc * xh;
  }
  for (let i = 0; i < n; i++) {
    const k = stat(i);
    const xh = (x[i]! - mean[k]!) * rstd[k]!;
    const g = dy[i]! * (w ? w[ch(i)]! : 1);
    out.dx[i] = fixed ? g * rstd[k]! : rstd[k]! * (g - sg[k]! / cnt[k]! - (xh * sgx[k]!) / cnt[k]!);
  }
  return out;
}

function expectClose(label: string, got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-4, atol = 1e-4): void {
  expect(maxScaledError(got, want, rtol, atol), label).toBeLessThanOrEqual(1);
}

function run(kind: 'bn' | 'bnEval' | 'ln' | 'gn', shape: number[], seed: number) {
  manualSeed(seed);
  const x = randn(shape).requiresGrad_();
  const c = kind === 'ln' ? shape[shape.length - 1]! : shape[1]!;
  const weight = randn(c).requiresGrad_();
  const bias = randn(c).requiresGrad_();
  const dy = randn(shape).data;
  const rm = randn(c);
  const rv = new Tensor(randn(c).data.map((v) => 0.5 + Math.abs(v)), [c]);
  let y: Tensor;
  if (kind === 'bn') y = F.batchNorm(x, null, null, { weight, bias, training: true });
  else if (kind === 'bnEval') y = F.batchNorm(x, rm, rv, { weight, bias });
  else if (kind === 'ln') y = F.layerNorm(x, [c], { weight, bias });
  else y = F.groupNorm(x, shape[1]! % 3 === 0 ? 3 : 2, { weight, bias });
  weightedSum(y, dy).backward();
  return { x, weight, bias, dy, rm, rv, y, c };
}

describe('normalization on every ISA against a float64 reference', () => {
  const shapes: Record<string, number[][]> = {
    bn: [[2, 1], [17, 5], [3, 17], [2, 3, 15], [2, 16, 17], [3, 2, 4, 5]],
    bnEval: [[1, 5], [3, 17], [2, 3, 4, 4]],
    ln: [[1, 1], [3, 15], [2, 2, 16], [5, 17], [2, 1000]],
    gn: [[2, 6, 5], [3, 4, 17], [2, 6, 2, 3], [1, 4]],
  };
  for (const isa of isaLevels) {
    for (const [kind, list] of Object.entries(shapes)) {
      for (const shape of list) {
        it(`${isa}: ${kind} ${JSON.stringify(shape)}`, () => {
          withIsa(isa, () => {
            const r = run(kind as 'bn', shape, shape.length * 100 + shape[0]!);
            const n = shape[0]!;
            const c = r.c;
            const s = r.x.size / (n * c);
            let ref: RefOut;
            if (kind === 'ln') {
              ref = reference(r.x.data, r.dy, r.weight.data, r.bias.data, r.x.size / c, c, (i) => Math.floor(i / c), (i) => i % c, 1e-5);
            } else if (kind === 'gn') {
              const g = c % 3 === 0 ? 3 : 2;
              const len = (c / g) * s;
              ref = reference(r.x.data, r.dy, r.weight.data, r.bias.data, n * g, c, (i) => Math.floor(i / len), (i) => Math.floor(i / s) % c, 1e-5);
            } else {
              const chOf = (i: number) => Math.floor(i / s) % c;
              const fixed = kind === 'bnEval' ? { mean: r.rm.data, var: r.rv.data } : undefined;
              ref = reference(r.x.data, r.dy, r.weight.data, r.bias.data, c, c, chOf, chOf, 1e-5, fixed);
            }
            expectClose('y', r.y.data, ref.y);
            expectClose('dx', r.x.grad!.data, ref.dx);
            expectClose('dweight', r.weight.grad!.data, ref.dw);
            expectClose('dbias', r.bias.grad!.data, ref.db);
          });
        });
      }
    }
  }
});

describe('thread-count independence', () => {
  it('forward, backward and running statistics are bit-identical for 1, 2 and 7 threads', () => {
    const before = backend.getNumThreads();
    const results: Float32Array[][] = [];
    for (const threads of [1, 2, 7]) {
      backend.setNumThreads(threads);
      const out: Float32Array[] = [];
      for (const [kind, shape] of [['bn', [3000, 33]], ['bn', [16, 24, 97]], ['ln', [3001, 37]], ['gn', [40, 12, 300]]] as const) {
        const r = run(kind, [...shape], 42);
        out.push(r.y.data, r.x.grad!.data, r.weight.grad!.data, r.bias.grad!.data);
      }
      const bn = new nn.BatchNorm1d(33);
      bn.forward(randn(3000, 33));
      out.push(bn.runningMean!.data.slice(), bn.runningVar!.data.slice());
      results.push(out);
    }
    backend.setNumThreads(before);
    for (const r of results.slice(1)) r.forEach((a, i) => expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(results[0]![i]!.buffer))).toBe(0));
  });
});

describe('BatchNorm modules', () => {
  it('update running statistics with momentum, or as a cumulative average with momentum null', () => {
    manualSeed(1);
    const xs = [randn(8, 3), randn(8, 3), randn(8, 3)];
    const batchStats = (x: Tensor) => {
      const mean = [0, 0, 0];
      const uvar = [0, 0, 0];
      for (let i = 0; i < 8; i++) for (let j = 0; j < 3; j++) mean[j]! += x.data[i * 3 + j]! / 8;
      for (let i = 0; i < 8; i++) for (let j = 0; j < 3; j++) uvar[j]! += (x.data[i * 3 + j]! - mean[j]!) ** 2 / 7;
      return { mean, uvar };
    };
    const ema = new nn.BatchNorm1d(3);
    const cma = new nn.BatchNorm1d(3, { momentum: null });
    const em = [0, 0, 0];
    const ev = [1, 1, 1];
    const cm = [0, 0, 0];
    const cv = [0, 0, 0];
    xs.forEach((x, k) => {
      ema.forward(x);
      cma.forward(x);
      const { mean, uvar } = batchStats(x);
      for (let j = 0; j < 3; j++) {
        em[j] = 0.9 * em[j]! + 0.1 * mean[j]!;
        ev[j] = 0.9 * ev[j]! + 0.1 * uvar[j]!;
        cm[j] = (cm[j]! * k + mean[j]!) / (k + 1);
        cv[j] = k === 0 ? uvar[j]! : (cv[j]! * k + uvar[j]!) / (k + 1);
      }
    });
    expectClose('ema mean', ema.runningMean!.data, em, 1e-5, 1e-6);
    expectClose('ema var', ema.runningVar!.data, ev, 1e-5, 1e-6);
    expectClose('cma mean', cma.runningMean!.data, cm, 1e-5, 1e-6);
    expectClose('cma var', cma.runningVar!.data, cv, 1e-5, 1e-6);
    expect(ema.numBatchesTracked!.item()).toBe(3);
    // Eval uses and keeps the running statistics, and records nothing without grad.
    ema.eval();
    const before = ema.runningMean!.data.slice();
    const y = noGrad(() => ema.forward(randn(4, 3)));
    expect(Array.from(ema.runningMean!.data)).toEqual(Array.from(before));
    expect(ema.numBatchesTracked!.item()).toBe(3);
    expect(y.gradFn).toBeNull();
  });

  it('has PyTorch state dict keys, prints like PyTorch, and honours trackRunningStats false', () => {
    const bn = new nn.BatchNorm2d(4);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(bn.stateDict().num_batches_tracked!.shape).toEqual([]);
    expect(String(bn)).toBe(`BatchNorm2d(4, eps=${1e-5}, momentum=0.1, affine=true, trackRunningStats=true)`);
    const plain = new nn.BatchNorm1d(2, { affine: false, trackRunningStats: false });
    expect(Object.keys(plain.stateDict())).toEqual([]);
    expect([...plain.parameters()]).toHaveLength(0);
    plain.eval();
    // Without running statistics, eval mode normalises with the batch statistics.
    const y = plain.forward(new Tensor(Float32Array.of(1, 10, 3, 30), [2, 2]));
    expectClose('batch stats in eval', y.data, [-1, -1, 1, 1], 1e-3, 1e-3);
    expect(String(new nn.LayerNorm([2, 3]))).toBe(`LayerNorm([2, 3], eps=${1e-5}, elementwiseAffine=true)`);
    expect(String(new nn.GroupNorm(2, 4, { affine: false }))).toBe(`GroupNorm(2, 4, eps=${1e-5}, affine=false)`);
  });

  it('rejects bad options and inputs with clear messages', () => {
    expect(() => new nn.BatchNorm1d(0)).toThrow(RangeError);
    expect(() => new nn.BatchNorm1d(3, { momentm: 0.1 } as never)).toThrow('unknown option "momentm"');
    expect(() => new nn.BatchNorm1d(3, { eps: -1 })).toThrow('options.eps must be >= 0');
    expect(() => new nn.BatchNorm1d(3).forward(randn(2, 3, 4, 5))).toThrow('expected 2D or 3D input (got 4D input)');
    expect(() => new nn.BatchNorm2d(3).forward(randn(2, 3, 4))).toThrow('expected 4D input (got 3D input)');
    expect(() => new nn.BatchNorm1d(3).forward(randn(2, 4))).toThrow('expected 3 channels');
    expect(() => new nn.BatchNorm1d(3).forward(randn(1, 3))).toThrow('Expected more than 1 value per channel when training, got input size [1, 3]');
    expect(() => new nn.GroupNorm(3, 4)).toThrow('numChannels (4) must be divisible by numGroups (3)');
    expect(() => new nn.GroupNorm(2, 4).forward(randn(2, 6, 3))).toThrow('expected input [N, 4, *]');
    expect(() => new nn.LayerNorm([2, 3]).forward(randn(3, 2))).toThrow('does not end with normalizedShape [2, 3]');
    expect(() => new nn.LayerNorm([])).toThrow(TypeError);
    expect(() => F.batchNorm(randn(4, 3), null, null)).toThrow('runningMean and runningVar are required when not training');
    expect(() => F.batchNorm(randn(4, 3), randn(2), randn(2), { training: true })).toThrow('runningMean must have shape [3]');
    expect(() => F.layerNorm(randn(4, 3), 3, { weight: randn(4) })).toThrow('options.weight must have shape [3]');
  });
});

describe('norm bindings check the optional buffers', () => {
  const f32 = (n: number) => new Float32Array(n).fill(0.5);
  it('names a wrong optional length and aliasing', () => {
    expect(() => native.batchNormForward(f32(30), 2, 3, 5, f32(4), f32(3), f32(3), f32(3), true, 0.1, 1e-5, f32(30), f32(3), f32(3))).toThrow(
      'batchNormForward: weight must be empty (none) or have 3 elements for 3 channels, but has 4',
    );
    expect(() => native.batchNormForward(f32(30), 2, 3, 5, f32(3), f32(3), f32(3), f32(0), true, 0.1, 1e-5, f32(30), f32(3), f32(3))).toThrow(
      'batchNormForward: runningMean and runningVar must both be given or both be empty',
    );
    expect(() => native.batchNormForward(f32(30), 2, 3, 5, f32(3), f32(3), f32(0), f32(0), false, 0.1, 1e-5, f32(30), f32(3), f32(3))).toThrow(
      'useBatchStats false needs runningMean and runningVar',
    );
    const buf = f32(60);
    expect(() => native.layerNormForward(buf.subarray(0, 24), 4, 6, f32(6), f32(6), 1e-5, buf.subarray(20, 44), f32(4), f32(4))).toThrow(
      'layerNormForward: y must not share memory with x',
    );
    expect(() => native.groupNormBackward(f32(24), f32(24), 2, 4, 3, 2, f32(4), f32(4), f32(4), f32(23), f32(4), f32(4))).toThrow(
      'groupNormBackward: dx must be empty (none) or have 24 elements',
    );
    expect(() => native.groupNormForward(f32(24), 2, 4, 3, 3, f32(4), f32(4), 1e-5, f32(24), f32(6), f32(6))).toThrow(
      'groupNormForward: groups must be >= 1 and divide c (4), but received 3',
    );
    expect(() => native.layerNormForward(f32(0), 4, 0, f32(0), f32(0), 1e-5, f32(0), f32(4), f32(4))).toThrow('cols must be >= 1');
  });
});
