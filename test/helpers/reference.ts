/** Plain double-precision references for tests. */

/** C = op(A) op(B) in float64, row-major with leading dimensions. */
export function refGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: ArrayLike<number>,
  lda: number,
  b: ArrayLike<number>,
  ldb: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * lda + i]! : a[i * lda + p]!;
        const bv = transB ? b[j * ldb + p]! : b[p * ldb + j]!;
        acc += av * bv;
      }
      c[i * n + j] = acc;
    }
  }
  return c;
}

/** Deterministic test data in [-1, 1), independent of the library's RNG. */
export function testData(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Largest |x - ref| / (atol + rtol |ref|); <= 1 means within tolerance. */
export function maxScaledError(x: ArrayLike<number>, ref: ArrayLike<number>, rtol: number, atol: number): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(x[i]! - ref[i]!) / (atol + rtol * Math.abs(ref[i]!));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}
