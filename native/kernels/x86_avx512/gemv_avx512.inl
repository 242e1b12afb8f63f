// AVX-512 matrix-vector kernels (included inside axonal::avx512's anonymous namespace).
inline __mmask16 gemv_tail_mask(std::ptrdiff_t rem) noexcept { return static_cast<__mmask16>((1u << rem) - 1u); }

// Eight rows of B at a time share each load of x: eight independent FMA chains keep
// both FMA pipes busy while the rows stream from L2.
void sgemv_rows(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  std::ptrdiff_t j = 0;
  for (; j + 8 <= n; j += 8) {
    const float* r = b + j * ldb;
    __m512 acc[8];
    for (int q = 0; q < 8; ++q) acc[q] = _mm512_setzero_ps();
    std::ptrdiff_t p = 0;
    for (; p + 16 <= k; p += 16) {
      const __m512 xv = _mm512_loadu_ps(x + p);
      for (int q = 0; q < 8; ++q) acc[q] = _mm512_fmadd_ps(_mm512_loadu_ps(r + q * ldb + p), xv, acc[q]);
    }
    if (p < k) {
      const __mmask16 m = gemv_tail_mask(k - p);
      const __m512 xv = _mm512_maskz_loadu_ps(m, x + p);
      for (int q = 0; q < 8; ++q) acc[q] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, r + q * ldb + p), xv, acc[q]);
    }
    for (int q = 0; q < 8; ++q) y[j + q] = _mm512_reduce_add_ps(acc[q]);
  }
  for (; j < n; ++j) {
    const float* r = b + j * ldb;
    __m512 a = _mm512_setzero_ps();
    std::ptrdiff_t p = 0;
    for (; p + 16 <= k; p += 16) a = _mm512_fmadd_ps(_mm512_loadu_ps(r + p), _mm512_loadu_ps(x + p), a);
    if (p < k) {
      const __mmask16 m = gemv_tail_mask(k - p);
      a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, r + p), _mm512_maskz_loadu_ps(m, x + p), a);
    }
    y[j] = _mm512_reduce_add_ps(a);
  }
}

// 64 columns of y in four registers, over all of k.
void sgemv_cols(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  std::ptrdiff_t j = 0;
  for (; j + 64 <= n; j += 64) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    for (std::ptrdiff_t p = 0; p < k; ++p) {
      const __m512 xp = _mm512_set1_ps(x[p]);
      const float* r = b + p * ldb + j;
      a0 = _mm512_fmadd_ps(xp, _mm512_loadu_ps(r), a0);
      a1 = _mm512_fmadd_ps(xp, _mm512_loadu_ps(r + 16), a1);
      a2 = _mm512_fmadd_ps(xp, _mm512_loadu_ps(r + 32), a2);
      a3 = _mm512_fmadd_ps(xp, _mm512_loadu_ps(r + 48), a3);
    }
    _mm512_storeu_ps(y + j, a0);
    _mm512_storeu_ps(y + j + 16, a1);
    _mm512_storeu_ps(y + j + 32, a2);
    _mm512_storeu_ps(y + j + 48, a3);
  }
  for (; j < n; j += 16) {
    const __mmask16 m = n - j >= 16 ? static_cast<__mmask16>(0xFFFF) : gemv_tail_mask(n - j);
    __m512 a = _mm512_setzero_ps();
    for (std::ptrdiff_t p = 0; p < k; ++p) a = _mm512_fmadd_ps(_mm512_set1_ps(x[p]), _mm512_maskz_loadu_ps(m, b + p * ldb + j), a);
    _mm512_mask_storeu_ps(y + j, m, a);
  }
}
