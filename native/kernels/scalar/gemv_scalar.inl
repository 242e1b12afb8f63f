// Scalar matrix-vector kernels (included inside axonal::scalar's anonymous namespace).
void sgemv_rows(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  for (std::ptrdiff_t j = 0; j < n; ++j) {
    const float* row = b + j * ldb;
    float acc[4] = {0.f, 0.f, 0.f, 0.f};
    std::ptrdiff_t p = 0;
    for (; p + 4 <= k; p += 4) {
      acc[0] += row[p] * x[p];
      acc[1] += row[p + 1] * x[p + 1];
      acc[2] += row[p + 2] * x[p + 2];
      acc[3] += row[p + 3] * x[p + 3];
    }
    for (; p < k; ++p) acc[0] += row[p] * x[p];
    y[j] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  }
}

void sgemv_cols(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                float* y) noexcept {
  for (std::ptrdiff_t j = 0; j < n; ++j) y[j] = 0.0f;
  for (std::ptrdiff_t p = 0; p < k; ++p) {
    const float xp = x[p];
    const float* row = b + p * ldb;
    for (std::ptrdiff_t j = 0; j < n; ++j) y[j] += xp * row[j];
  }
}
