/**
 * The one typed seam to the native addon. Every export of native/binding is
 * declared here with its exact signature; the rest of src/ imports `native`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AxonalError, ErrorCode } from './errors.js';

export type IsaName = 'scalar' | 'neon' | 'avx2' | 'avx512';

export interface NativeInfo {
  nativeVersion: string;
  isa: IsaName;
  isaAvailable: IsaName[];
  threads: number;
  hardwareThreads: number;
  simdWidthFloats: number;
}

// One interface per op family (one binding file each in native/binding/).

export interface BackendBinding {
  info(): NativeInfo;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  setIsa(isa: string): void;
  setErrorClass(cls: new (message: string, code: string) => Error): void;
}

export interface GemmBinding {
  /** C = alpha * op(A) op(B) + beta * C, row-major with leading dimensions. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
  /**
   * sgemm over a two-level batch sharing sizes and leading dimensions: item (i, j), i <
   * count0, j < count1, reads a at i * strideA0 + j * strideA1 (likewise b and c). Small
   * products run one per thread. The items' c blocks must not overlap (RangeError).
   */
  sgemmBatched(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number,
    count0: number, count1: number, strideA0: number, strideA1: number, strideB0: number, strideB1: number,
    strideC0: number, strideC1: number,
  ): void;
  /**
   * C = act(alpha * op(A) op(B) + beta * C + bias) with the epilogue fused into the
   * kernel: bias (n values, broadcast over rows) or null; activation 0 = none, 1 = relu,
   * 2 = gelu (erf form), 3 = gelu tanh approximation (the activation kernels' GELU bits).
   * packCache: an object kept with a B that is never written again (a frozen layer's
   * weights); the packing of op(B) is kept in it and reused by later calls.
   */
  sgemmEx(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
    bias: Float32Array | null,
    activation: number,
    packCache?: object,
  ): void;
}

export interface RandomBinding {
  /** Fills `out` and returns the number of 32-bit counter words consumed. */
  fillUniform(out: Float32Array, seed: number, offset: number, low: number, high: number): number;
  fillNormal(out: Float32Array, seed: number, offset: number, mean: number, std: number): number;
}

/** Activations forward/backward, softmax, log-softmax (native/binding/activation_binding.cpp). */
export interface ActivationBinding {
  // y = f(x) (y may be x itself; never a partial overlap); dx = dy * f'(x).
  reluFwd(x: Float32Array, y: Float32Array): void;
  reluBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  leakyReluFwd(x: Float32Array, y: Float32Array, negativeSlope: number): void;
  leakyReluBwd(x: Float32Array, dy: Float32Array, dx: Float32Array, negativeSlope: number): void;
  eluFwd(x: Float32Array, y: Float32Array, alpha: number): void;
  eluBwd(x: Float32Array, dy: Float32Array, dx: Float32Array, alpha: number): void;
  seluFwd(x: Float32Array, y: Float32Array): void;
  seluBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  geluFwd(x: Float32Array, y: Float32Array): void;
  geluBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  geluTanhFwd(x: Float32Array, y: Float32Array): void;
  geluTanhBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  siluFwd(x: Float32Array, y: Float32Array): void;
  siluBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  mishFwd(x: Float32Array, y: Float32Array): void;
  mishBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  sigmoidFwd(x: Float32Array, y: Float32Array): void;
  /** Reads the forward output y. */
  sigmoidBwd(y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  tanhFwd(x: Float32Array, y: Float32Array): void;
  /** Reads the forward output y. */
  tanhBwd(y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  softplusFwd(x: Float32Array, y: Float32Array, beta: number, threshold: number): void;
  softplusBwd(x: Float32Array, dy: Float32Array, dx: Float32Array, beta: number, threshold: number): void;
  hardtanhFwd(x: Float32Array, y: Float32Array, minVal: number, maxVal: number): void;
  hardtanhBwd(x: Float32Array, dy: Float32Array, dx: Float32Array, minVal: number, maxVal: number): void;
  hardsigmoidFwd(x: Float32Array, y: Float32Array): void;
  hardsigmoidBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  hardswishFwd(x: Float32Array, y: Float32Array): void;
  hardswishBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  // Elementwise math (ops/math.ts); the Bwd of exp, sqrt, expm1 and reciprocal reads the forward output y.
  expFwd(x: Float32Array, y: Float32Array): void;
  expBwd(y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  logFwd(x: Float32Array, y: Float32Array): void;
  logBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  sqrtFwd(x: Float32Array, y: Float32Array): void;
  sqrtBwd(y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  absFwd(x: Float32Array, y: Float32Array): void;
  absBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  log1pFwd(x: Float32Array, y: Float32Array): void;
  log1pBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  expm1Fwd(x: Float32Array, y: Float32Array): void;
  expm1Bwd(y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  reciprocalFwd(x: Float32Array, y: Float32Array): void;
  reciprocalBwd(y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  squareFwd(x: Float32Array, y: Float32Array): void;
  squareBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  powFwd(x: Float32Array, y: Float32Array, exponent: number): void;
  powBwd(x: Float32Array, dy: Float32Array, dx: Float32Array, exponent: number): void;
  /** min and max may be -Infinity / Infinity (a missing bound), not NaN. */
  clampFwd(x: Float32Array, y: Float32Array, min: number, max: number): void;
  clampBwd(x: Float32Array, dy: Float32Array, dx: Float32Array, min: number, max: number): void;
  /** y = x through the same vector loop (the benchmarks' bandwidth reference); bwd: dx = dy. */
  identityFwd(x: Float32Array, y: Float32Array): void;
  identityBwd(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** Row-wise over a contiguous [rows, cols] matrix. */
  softmaxFwd(x: Float32Array, y: Float32Array, rows: number, cols: number): void;
  logSoftmaxFwd(x: Float32Array, y: Float32Array, rows: number, cols: number): void;
  /** From the forward output y: dx = y (dy - sum(dy y)). */
  softmaxBwd(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void;
  /** From the forward output y: dx = dy - exp(y) sum(dy). */
  logSoftmaxBwd(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void;
}

export type LossReduction = 'none' | 'mean' | 'sum';

/**
 * Fused loss value + gradient (native/binding/loss_binding.cpp). Each call writes
 * d(reduced loss)/d(input) into grad and returns the reduced loss; for 'none', out
 * receives the elementwise (per-row) losses and the return value is their sum. out
 * is ignored for 'mean'/'sum' (pass an empty array). Empty weight arrays mean none.
 */
export interface LossBinding {
  mseLoss(input: Float32Array, target: Float32Array, grad: Float32Array, out: Float32Array, reduction: LossReduction): number;
  l1Loss(input: Float32Array, target: Float32Array, grad: Float32Array, out: Float32Array, reduction: LossReduction): number;
  bceLoss(input: Float32Array, target: Float32Array, grad: Float32Array, out: Float32Array, reduction: LossReduction): number;
  huberLoss(input: Float32Array, target: Float32Array, grad: Float32Array, out: Float32Array, reduction: LossReduction, delta: number): number;
  smoothL1Loss(input: Float32Array, target: Float32Array, grad: Float32Array, out: Float32Array, reduction: LossReduction, beta: number): number;
  klDivLoss(input: Float32Array, target: Float32Array, grad: Float32Array, out: Float32Array, reduction: LossReduction, logTarget: boolean): number;
  /** posWeight: empty or `cols` values broadcast over rows of `cols` elements. */
  bceWithLogitsLoss(
    input: Float32Array,
    target: Float32Array,
    posWeight: Float32Array,
    grad: Float32Array,
    out: Float32Array,
    reduction: LossReduction,
    cols: number,
  ): number;
  crossEntropyLoss(
    logits: Float32Array,
    rows: number,
    cols: number,
    target: Int32Array | Float32Array,
    weight: Float32Array,
    ignoreIndex: number,
    labelSmoothing: number,
    grad: Float32Array,
    out: Float32Array,
    reduction: LossReduction,
  ): number;
  nllLoss(
    input: Float32Array,
    rows: number,
    cols: number,
    target: Int32Array | Float32Array,
    weight: Float32Array,
    ignoreIndex: number,
    grad: Float32Array,
    out: Float32Array,
    reduction: LossReduction,
  ): number;
}

/** Elementwise arithmetic, broadcasting, reductions (native/binding/reduce_binding.cpp). */
export interface ReduceBinding {
  /**
   * out[r, c] = a[r, c] op b'[r, c] over strided [rows, cols] views. op: 0 add, 1 sub, 2 mul, 3 div.
   * broadcast: 0 none (b is [rows, cols] with stride ldb), 1 row (b has cols values), 2 column (b has rows values).
   * out may be a (same stride) or b (broadcast 0, same stride); otherwise it must not overlap them.
   */
  binaryOp(
    op: number,
    broadcast: number,
    rows: number,
    cols: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    out: Float32Array,
    ldo: number,
  ): void;
  /** Gradients of binaryOp on contiguous operands: gradA is [rows, cols], gradB has b's (broadcast) shape. */
  binaryBackward(
    op: number,
    broadcast: number,
    rows: number,
    cols: number,
    a: Float32Array,
    b: Float32Array,
    grad: Float32Array,
    gradA: Float32Array,
    gradB: Float32Array,
  ): void;
  /** out = alpha * x (out may be x). */
  scale(alpha: number, x: Float32Array, out: Float32Array): void;
  /** y += alpha * x. */
  axpy(alpha: number, x: Float32Array, y: Float32Array): void;
  fill(out: Float32Array, value: number): void;
  copy(src: Float32Array, dst: Float32Array): void;
  /** Sum in double, bit-identical for any thread count. */
  sum(x: Float32Array): number;
  sumSquares(x: Float32Array): number;
  /** x is [outer, axis, inner]; out [outer, inner] = sum (or mean) along axis. */
  sumAxis(outer: number, axis: number, inner: number, x: Float32Array, out: Float32Array, mean: boolean): void;
  sumAxisBackward(outer: number, axis: number, inner: number, grad: Float32Array, gradX: Float32Array, mean: boolean): void;
  /** Max along axis and the first index of it; NaN wins (its first index). axis >= 1. */
  maxAxis(outer: number, axis: number, inner: number, x: Float32Array, values: Float32Array, indices: Int32Array): void;
  maxAxisBackward(outer: number, axis: number, inner: number, grad: Float32Array, indices: Int32Array, gradX: Float32Array): void;
}

/**
 * Rows along the middle axis of [outer, size, inner] arrays (native/binding/gather_binding.cpp):
 * batch assembly, embedding lookups, indexSelect and their gradients. n is indices.length;
 * every index must lie in [0, size) (the error names the first one that does not).
 */
export interface GatherBinding {
  /** out [outer, n, inner] = src [outer, size, inner] at rows `indices`; every element of out is written. */
  gatherRows(src: Float32Array, outer: number, size: number, inner: number, indices: Int32Array, out: Float32Array): void;
  /**
   * out [outer, size, inner] += src [outer, n, inner] at rows `indices`, except rows whose index is `skip`
   * (-1: none). Repeated indices sum in index order, the same at any thread count.
   */
  scatterAddRows(src: Float32Array, outer: number, size: number, inner: number, indices: Int32Array, skip: number, out: Float32Array): void;
}

/**
 * Comparisons and selection (native/binding/select_binding.cpp). n is out's length (grad's
 * for the backwards); every input operand holds n elements or 1, a scalar broadcast to all
 * n (any other broadcast is expanded by the caller). A forward's out may be one of its
 * inputs (in place) but must not otherwise overlap one.
 */
export interface SelectBinding {
  /** out = a == b ? 1 : 0 (NaN compares unequal). */
  compareEq(a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = a != b ? 1 : 0 (true where either is NaN). */
  compareNe(a: Float32Array, b: Float32Array, out: Float32Array): void;
  compareLt(a: Float32Array, b: Float32Array, out: Float32Array): void;
  compareLe(a: Float32Array, b: Float32Array, out: Float32Array): void;
  compareGt(a: Float32Array, b: Float32Array, out: Float32Array): void;
  compareGe(a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = cond != 0 ? a : b; a NaN condition is true, -0 false. */
  whereSelect(cond: Float32Array, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = max(a, b): NaN if either is NaN, a on ties. */
  maximumFwd(a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = min(a, b): NaN if either is NaN, a on ties. */
  minimumFwd(a: Float32Array, b: Float32Array, out: Float32Array): void;
  /**
   * PyTorch 1.13's gradients of maximum, before any reduction to a broadcast operand's shape:
   * the larger operand gets grad, the smaller 0, a tie grad / 2 each, a NaN pair grad each.
   * gradA and gradB hold n elements and must not overlap anything.
   */
  maximumBwd(a: Float32Array, b: Float32Array, grad: Float32Array, gradA: Float32Array, gradB: Float32Array): void;
  /** minimumBwd: as maximumBwd with the smaller operand getting grad. */
  minimumBwd(a: Float32Array, b: Float32Array, grad: Float32Array, gradA: Float32Array, gradB: Float32Array): void;
}

/**
 * Cumulative sums and products along the middle axis of [outer, size, inner] arrays
 * (native/binding/scan_binding.cpp), accumulated in double as PyTorch's CPU kernel does.
 * Every array holds outer * size * inner floats; outputs must not overlap any input.
 */
export interface ScanBinding {
  /** out = cumsum of x along size. */
  cumsumFwd(x: Float32Array, outer: number, size: number, inner: number, out: Float32Array): void;
  /** out = cumprod of x along size. */
  cumprodFwd(x: Float32Array, outer: number, size: number, inner: number, out: Float32Array): void;
  /** gradX = the reversed cumsum of grad along size (cumsum's gradient). */
  cumsumBwd(grad: Float32Array, outer: number, size: number, inner: number, gradX: Float32Array): void;
  /**
   * cumprod's gradient as PyTorch 1.13's cumprod_backward, zeros handled exactly (no
   * division by them); out is cumprodFwd's output for x.
   */
  cumprodBwd(x: Float32Array, out: Float32Array, grad: Float32Array, outer: number, size: number, inner: number, gradX: Float32Array): void;
}

/**
 * torch.gather / torch.scatter_add along the middle axis of [outer, size, inner] arrays
 * (native/binding/gather_dim_binding.cpp): index holds outer * n * inner int32 elements,
 * one per element, each in [0, size) (checked; the message names the first bad one).
 * out must not overlap src or index.
 */
export interface GatherDimBinding {
  /** out [outer, n, inner] = src [outer, size, inner] at index along size. */
  gatherDim(src: Float32Array, outer: number, size: number, inner: number, n: number, index: Int32Array, out: Float32Array): void;
  /**
   * out [outer, size, inner] += src [outer, n, inner] at index along size; an element
   * hit several times receives them in index order (the same at any thread count).
   */
  scatterAddDim(src: Float32Array, outer: number, size: number, inner: number, n: number, index: Int32Array, out: Float32Array): void;
}

/** Sorting along the middle axis of [outer, size, inner] arrays (native/binding/sort_binding.cpp). */
export interface SortBinding {
  /**
   * values and indices [outer, k, inner] = the first k (in [0, size]) of every column of
   * x [outer, size, inner] sorted ascending (descending: largest first), with their
   * positions along size. Always a stable sort (ties keep their order); NaN is the
   * largest value. values and indices must not overlap x or each other.
   */
  sortFwd(x: Float32Array, outer: number, size: number, inner: number, k: number, descending: boolean, values: Float32Array, indices: Int32Array): void;
}

/** Optimizer steps, gradient clipping, dropout masks (native/binding/optim_binding.cpp). step counts start at 1. */
export interface OptimBinding {
  sgdStep(
    param: Float32Array,
    grad: Float32Array,
    momentumBuffer: Float32Array,
    lr: number,
    momentum: number,
    dampening: number,
    weightDecay: number,
    nesterov: boolean,
    maximize: boolean,
    firstStep: boolean,
  ): void;
  /** Adam, or AdamW when decoupled. maxExpAvgSq may be empty unless amsgrad. */
  adamStep(
    param: Float32Array,
    grad: Float32Array,
    expAvg: Float32Array,
    expAvgSq: Float32Array,
    maxExpAvgSq: Float32Array,
    step: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    amsgrad: boolean,
    maximize: boolean,
    decoupled: boolean,
  ): void;
  rmspropStep(
    param: Float32Array,
    grad: Float32Array,
    squareAvg: Float32Array,
    gradAvg: Float32Array,
    momentumBuffer: Float32Array,
    lr: number,
    alpha: number,
    eps: number,
    weightDecay: number,
    momentum: number,
    centered: boolean,
    maximize: boolean,
  ): void;
  adagradStep(
    param: Float32Array,
    grad: Float32Array,
    stateSum: Float32Array,
    step: number,
    lr: number,
    lrDecay: number,
    eps: number,
    weightDecay: number,
    maximize: boolean,
  ): void;
  adamaxStep(
    param: Float32Array,
    grad: Float32Array,
    expAvg: Float32Array,
    expInf: Float32Array,
    step: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    maximize: boolean,
  ): void;
  /** Returns the new mu product (float32, as PyTorch's state tensor). */
  nadamStep(
    param: Float32Array,
    grad: Float32Array,
    expAvg: Float32Array,
    expAvgSq: Float32Array,
    step: number,
    muProduct: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    momentumDecay: number,
  ): number;
  radamStep(
    param: Float32Array,
    grad: Float32Array,
    expAvg: Float32Array,
    expAvgSq: Float32Array,
    step: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
  ): void;
  /** Scales every grad in place; returns the total norm. Throws AxonalError (ERR_AXONAL_NONFINITE) when asked. */
  clipGradNorm(grads: Float32Array[], maxNorm: number, normType: number, infNorm: boolean, errorIfNonfinite: boolean): number;
  clipGradValue(grad: Float32Array, clipValue: number): void;
  /** out = x * mask, mask = keep / (1 - p); returns the counter words consumed. */
  dropoutForward(x: Float32Array, out: Float32Array, mask: Float32Array, p: number, seed: number, offset: number): number;
  dropoutBackward(grad: Float32Array, mask: Float32Array, gradX: Float32Array): void;
  dropout2dForward(
    batch: number,
    channels: number,
    spatial: number,
    x: Float32Array,
    out: Float32Array,
    mask: Float32Array,
    p: number,
    seed: number,
    offset: number,
  ): number;
  dropout2dBackward(batch: number, channels: number, spatial: number, grad: Float32Array, mask: Float32Array, gradX: Float32Array): void;
}

/**
 * Convolution and pooling (native/binding/conv_binding.cpp). NCHW float32, weights in
 * PyTorch's layouts; an empty bias or gradient buffer means "none" / "skip".
 */
export interface ConvBinding {
  /** y [n, o, oh, ow] = conv(x [n, c, h, w], weight [o, c/groups, kh, kw]) + bias [o]. */
  conv2dForward(
    x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array,
    n: number, c: number, h: number, w: number, o: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, groups: number,
  ): void;
  /** dx, dweight, dbias of conv2dForward (each overwritten; empty: skipped). */
  conv2dBackward(
    x: Float32Array, weight: Float32Array, dy: Float32Array, dx: Float32Array, dweight: Float32Array, dbias: Float32Array,
    n: number, c: number, h: number, w: number, o: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, groups: number,
  ): void;
  /** y [n, cOut, hOut, wOut] = conv_transpose(x [n, cIn, h, w], weight [cIn, cOut/groups, kh, kw]) + bias [cOut]. */
  convTranspose2dForward(
    x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array,
    n: number, cIn: number, h: number, w: number, cOut: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, groups: number, oph: number, opw: number,
  ): void;
  convTranspose2dBackward(
    x: Float32Array, weight: Float32Array, dy: Float32Array, dx: Float32Array, dweight: Float32Array, dbias: Float32Array,
    n: number, cIn: number, h: number, w: number, cOut: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, dh: number, dw: number, groups: number, oph: number, opw: number,
  ): void;
  /** Max pooling over `planes` planes; idx holds each maximum's flat index in its plane (-1: empty window). */
  maxPool2dForward(
    x: Float32Array, y: Float32Array, idx: Int32Array, planes: number, h: number, w: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, ceilMode: boolean,
  ): void;
  /** The forward's geometry: windows that tile the plane let dx be written directly. */
  maxPool2dBackward(
    dy: Float32Array, idx: Int32Array, dx: Float32Array, planes: number, h: number, w: number, kh: number, kw: number,
    sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, ceilMode: boolean,
  ): void;
  /** divisorOverride 0 means none. */
  avgPool2dForward(
    x: Float32Array, y: Float32Array, planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, ceilMode: boolean, countIncludePad: boolean, divisorOverride: number,
  ): void;
  avgPool2dBackward(
    dy: Float32Array, dx: Float32Array, planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number,
    ph: number, pw: number, ceilMode: boolean, countIncludePad: boolean, divisorOverride: number,
  ): void;
  adaptiveAvgPool2dForward(x: Float32Array, y: Float32Array, planes: number, h: number, w: number, oh: number, ow: number): void;
  adaptiveAvgPool2dBackward(dy: Float32Array, dx: Float32Array, planes: number, h: number, w: number, oh: number, ow: number): void;
}

/** Batch, layer and group normalization (native/binding/norm_binding.cpp). */
export interface NormBinding {
  // Optional buffers (weight, bias, running statistics, backward outputs) are empty
  // Float32Arrays for "none" / "not wanted". x is [n, c, s] (batch / group norm) or
  // [rows, cols] (layer norm); saveMean / saveRstd receive what backward needs.
  batchNormForward(
    x: Float32Array,
    n: number,
    c: number,
    s: number,
    weight: Float32Array,
    bias: Float32Array,
    runningMean: Float32Array,
    runningVar: Float32Array,
    useBatchStats: boolean,
    momentum: number,
    eps: number,
    y: Float32Array,
    saveMean: Float32Array,
    saveRstd: Float32Array,
  ): void;
  batchNormBackward(
    x: Float32Array,
    dy: Float32Array,
    n: number,
    c: number,
    s: number,
    weight: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    useBatchStats: boolean,
    dx: Float32Array,
    dweight: Float32Array,
    dbias: Float32Array,
  ): void;
  layerNormForward(
    x: Float32Array,
    rows: number,
    cols: number,
    weight: Float32Array,
    bias: Float32Array,
    eps: number,
    y: Float32Array,
    saveMean: Float32Array,
    saveRstd: Float32Array,
  ): void;
  layerNormBackward(
    x: Float32Array,
    dy: Float32Array,
    rows: number,
    cols: number,
    weight: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dx: Float32Array,
    dweight: Float32Array,
    dbias: Float32Array,
  ): void;
  groupNormForward(
    x: Float32Array,
    n: number,
    c: number,
    s: number,
    groups: number,
    weight: Float32Array,
    bias: Float32Array,
    eps: number,
    y: Float32Array,
    saveMean: Float32Array,
    saveRstd: Float32Array,
  ): void;
  groupNormBackward(
    x: Float32Array,
    dy: Float32Array,
    n: number,
    c: number,
    s: number,
    groups: number,
    weight: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dx: Float32Array,
    dweight: Float32Array,
    dbias: Float32Array,
  ): void;
}

/**
 * Recurrent cells (native/binding/rnn_binding.cpp): one time step of the fused gate
 * math over [rows, hidden]; layouts in native/include/axonal/kernels/rnn_kernels.h.
 * gi/gh are x W_ih^T and h W_hh^T without biases; bih/bhh the biases (zeros if none).
 */
export interface RnnBinding {
  /** save [rows, 5*hidden] = i, f, g, o, tanh(c). */
  lstmCellFwd(
    rows: number,
    hidden: number,
    gi: Float32Array,
    gh: Float32Array,
    bih: Float32Array,
    bhh: Float32Array,
    cPrev: Float32Array,
    h: Float32Array,
    c: Float32Array,
    save: Float32Array,
  ): void;
  /** dgates [rows, 4*hidden]: gradient of the gate pre-activations; dcPrev = gradient of c_prev. */
  lstmCellBwd(rows: number, hidden: number, dh: Float32Array, dc: Float32Array, cPrev: Float32Array, save: Float32Array, dgates: Float32Array, dcPrev: Float32Array): void;
  /** save [rows, 4*hidden] = r, z, n, gh_n + b_hn. */
  gruCellFwd(rows: number, hidden: number, gi: Float32Array, gh: Float32Array, bih: Float32Array, bhh: Float32Array, hPrev: Float32Array, h: Float32Array, save: Float32Array): void;
  /** dgi, dgh [rows, 3*hidden]: gradients of gi and gh; dhPrev = dh * z (the caller adds dgh W_hh). */
  gruCellBwd(rows: number, hidden: number, dh: Float32Array, hPrev: Float32Array, save: Float32Array, dgi: Float32Array, dgh: Float32Array, dhPrev: Float32Array): void;
  /** h = act(gi + bih + gh + bhh), act = relu or tanh. */
  rnnCellFwd(relu: boolean, rows: number, hidden: number, gi: Float32Array, gh: Float32Array, bih: Float32Array, bhh: Float32Array, h: Float32Array): void;
  /** dgates = dh * act'(h) from the step's output h. */
  rnnCellBwd(relu: boolean, rows: number, hidden: number, dh: Float32Array, h: Float32Array, dgates: Float32Array): void;
}

export interface NativeBinding
  extends BackendBinding,
    ConvBinding,
    NormBinding,
    RnnBinding,
    GemmBinding,
    RandomBinding,
    ActivationBinding,
    LossBinding,
    ReduceBinding,
    GatherBinding,
    SelectBinding,
    ScanBinding,
    GatherDimBinding,
    SortBinding,
    OptimBinding {}

/** The package root: src/ and dist/ both sit one level below it. */
export const packageRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function libcName(): string {
  if (platform() !== 'linux') return 'n/a';
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const glibc = report?.header?.glibcVersionRuntime;
  return glibc ? `glibc ${glibc}` : 'musl (no glibc detected)';
}

function cpuFlags(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => l.startsWith('flags') || l.startsWith('Features'));
    if (!line) return 'unknown';
    const wanted = ['avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512dq', 'avx512vl', 'asimd'];
    const have = new Set(line.split(':')[1]?.trim().split(/\s+/));
    return wanted.filter((f) => have.has(f)).join(' ') || 'none of avx2/avx512/asimd';
  } catch {
    return 'unknown (no /proc/cpuinfo)';
  }
}

function loadFailure(cause: unknown): AxonalError {
  const tried = [
    join(packageRoot, 'build', 'Release', 'axonal.node'),
    join(packageRoot, 'build', 'Debug', 'axonal.node'),
    join(packageRoot, 'prebuilds', `${platform()}-${arch()}`),
  ];
  const lines = [
    'axonal: could not load the native addon.',
    `  tried: ${tried.map((p) => `${p}${existsSync(p) ? '' : ' (missing)'}`).join('\n         ')}`,
    `  platform: ${platform()}, arch: ${arch()}, libc: ${libcName()}, node: ${process.version} (N-API ${process.versions.napi})`,
    `  cpu features: ${cpuFlags()}`,
    `  cause: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
    '  fix: build it from source with `npm rebuild axonal` (needs python3, make and a C++17 compiler),',
    '       or install on a platform with a bundled prebuild (linux/darwin, x64/arm64).',
  ];
  return new AxonalError(lines.join('\n'), ErrorCode.Load, { cause });
}

function load(): NativeBinding {
  const localRequire = createRequire(import.meta.url);
  let binding: NativeBinding;
  try {
    const nodeGypBuild = localRequire('node-gyp-build') as (dir: string) => unknown;
    binding = nodeGypBuild(packageRoot) as NativeBinding;
  } catch (err) {
    // An AXONAL_ISA error comes from a loaded addon: pass its own sentence through.
    if ((err as { code?: string }).code === ErrorCode.Isa) {
      throw new AxonalError((err as Error).message, ErrorCode.Isa);
    }
    throw loadFailure(err);
  }
  binding.setErrorClass(AxonalError);
  return binding;
}

export const native: NativeBinding = load();
