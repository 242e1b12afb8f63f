// NEON matrix-vector kernels (included inside axonal::neon's anonymous namespace).
void sgemv_rows(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    const float* r = b + j * ldb;
    float32x4_t a0 = vdupq_n_f32(0.f), a1 = vdupq_n_f32(0.f);
    std::ptrdiff_t p = 0;
    for (; p + 8 <= k; p += 8) {
      a0 = vfmaq_f32(a0, vld1q_f32(r + p), vld1q_f32(x + p));
      a1 = vfmaq_f32(a1, vld1q_f32(r + p + 4), vld1q_f32(x + p + 4));
    }
    float s = vaddvq_f32(vaddq_f32(a0, a1));
    for (; p < k; ++p) s += r[p] * x[p];
    y[j] = s;
  }
}

void sgemv_cols(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  std::ptrdiff_t j = 0;
  for (; j + 16 <= n; j += 16) {
    float32x4_t a0 = vdupq_n_f32(0.f), a1 = vdupq_n_f32(0.f), a2 = vdupq_n_f32(0.f), a3 = vdupq_n_f32(0.f);
    for (std::ptrdiff_t p = 0; p < k; ++p) {
      const float* r = b + p * ldb + j;
      a0 = vfmaq_n_f32(a0, vld1q_f32(r), x[p]);
      a1 = vfmaq_n_f32(a1, vld1q_f32(r + 4), x[p]);
      a2 = vfmaq_n_f32(a2, vld1q_f32(r + 8), x[p]);
      a3 = vfmaq_n_f32(a3, vld1q_f32(r + 12), x[p]);
    }
    vst1q_f32(y + j, a0);
    vst1q_f32(y + j + 4, a1);
    vst1q_f32(y + j + 8, a2);
    vst1q_f32(y + j + 12, a3);
  }
  for (; j < n; ++j) {
    float s = 0.0f;
    for (std::ptrdiff_t p = 0; p < k; ++p) s += x[p] * b[p * ldb + j];
    y[j] = s;
  }
}
