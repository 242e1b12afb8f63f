// AVX2 matrix-vector kernels (included inside axonal::avx2's anonymous namespace).
inline float gemv_hsum(__m256 v) noexcept {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

void sgemv_rows(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  std::ptrdiff_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const float* r0 = b + j * ldb;
    const float* r1 = r0 + ldb;
    const float* r2 = r1 + ldb;
    const float* r3 = r2 + ldb;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    std::ptrdiff_t p = 0;
    for (; p + 8 <= k; p += 8) {
      const __m256 xv = _mm256_loadu_ps(x + p);
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + p), xv, a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + p), xv, a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + p), xv, a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + p), xv, a3);
    }
    float s0 = gemv_hsum(a0), s1 = gemv_hsum(a1), s2 = gemv_hsum(a2), s3 = gemv_hsum(a3);
    for (; p < k; ++p) {
      s0 += r0[p] * x[p];
      s1 += r1[p] * x[p];
      s2 += r2[p] * x[p];
      s3 += r3[p] * x[p];
    }
    y[j] = s0;
    y[j + 1] = s1;
    y[j + 2] = s2;
    y[j + 3] = s3;
  }
  for (; j < n; ++j) {
    const float* r = b + j * ldb;
    __m256 a = _mm256_setzero_ps();
    std::ptrdiff_t p = 0;
    for (; p + 8 <= k; p += 8) a = _mm256_fmadd_ps(_mm256_loadu_ps(r + p), _mm256_loadu_ps(x + p), a);
    float s = gemv_hsum(a);
    for (; p < k; ++p) s += r[p] * x[p];
    y[j] = s;
  }
}

void sgemv_cols(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  std::ptrdiff_t j = 0;
  for (; j + 32 <= n; j += 32) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (std::ptrdiff_t p = 0; p < k; ++p) {
      const __m256 xp = _mm256_set1_ps(x[p]);
      const float* r = b + p * ldb + j;
      a0 = _mm256_fmadd_ps(xp, _mm256_loadu_ps(r), a0);
      a1 = _mm256_fmadd_ps(xp, _mm256_loadu_ps(r + 8), a1);
      a2 = _mm256_fmadd_ps(xp, _mm256_loadu_ps(r + 16), a2);
      a3 = _mm256_fmadd_ps(xp, _mm256_loadu_ps(r + 24), a3);
    }
    _mm256_storeu_ps(y + j, a0);
    _mm256_storeu_ps(y + j + 8, a1);
    _mm256_storeu_ps(y + j + 16, a2);
    _mm256_storeu_ps(y + j + 24, a3);
  }
  for (; j < n; ++j) {
    float s = 0.0f;
    for (std::ptrdiff_t p = 0; p < k; ++p) s += x[p] * b[p * ldb + j];
    y[j] = s;
  }
}
