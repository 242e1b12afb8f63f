// AVX2 + FMA kernels (compiled with -mavx2 -mfma; called only after CPUID says so).
#include <immintrin.h>

#include "axonal/kernels/gemm_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

void saxpy_f32(std::ptrdiff_t n, float a, const float* x, float* y) noexcept {
  const __m256 va = _mm256_set1_ps(a);
  std::ptrdiff_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  }
  for (; i < n; ++i) y[i] += a * x[i];
}

float hsum(__m256 v) noexcept {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

float sdot_f32(std::ptrdiff_t n, const float* x, const float* y) noexcept {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  std::ptrdiff_t i = 0;
  for (; i + 16 <= n; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), acc1);
  }
  for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
  float sum = hsum(_mm256_add_ps(acc0, acc1));
  for (; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

const GemmKernels kTable = {&saxpy_f32, &sdot_f32};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
