#include "tests/reference.h"

namespace axonal_test {

std::vector<float> random_floats(std::size_t n, std::uint64_t seed) {
  std::vector<float> out(n);
  std::uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  for (std::size_t i = 0; i < n; ++i) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    out[i] = static_cast<float>(static_cast<double>(s >> 40) / static_cast<double>(1ull << 23) - 1.0);
  }
  return out;
}

void reference_sgemm(bool trans_a, bool trans_b, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k,
                     double alpha, const float* a, std::ptrdiff_t lda, const float* b, std::ptrdiff_t ldb,
                     double beta, double* c, std::ptrdiff_t ldc) {
  for (std::ptrdiff_t i = 0; i < m; ++i) {
    for (std::ptrdiff_t j = 0; j < n; ++j) {
      double acc = 0;
      for (std::ptrdiff_t p = 0; p < k; ++p) {
        const double av = trans_a ? a[p * lda + i] : a[i * lda + p];
        const double bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
        acc += av * bv;
      }
      double& cv = c[i * ldc + j];
      cv = alpha * acc + (beta == 0.0 ? 0.0 : beta * cv);
    }
  }
}

}  // namespace axonal_test
