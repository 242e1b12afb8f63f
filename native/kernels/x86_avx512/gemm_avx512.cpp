// AVX-512 kernels (compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl).
// Tails use masked loads and stores instead of a scalar loop.
#include <immintrin.h>

#include "axonal/kernels/gemm_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

inline __mmask16 tail_mask(std::ptrdiff_t rem) noexcept {
  return static_cast<__mmask16>((1u << rem) - 1u);
}

void saxpy_f32(std::ptrdiff_t n, float a, const float* x, float* y) noexcept {
  const __m512 va = _mm512_set1_ps(a);
  std::ptrdiff_t i = 0;
  for (; i + 16 <= n; i += 16) {
    _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
  }
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    __m512 r = _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i));
    _mm512_mask_storeu_ps(y + i, m, r);
  }
}

float sdot_f32(std::ptrdiff_t n, const float* x, const float* y) noexcept {
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  std::ptrdiff_t i = 0;
  for (; i + 32 <= n; i += 32) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i + 16), _mm512_loadu_ps(y + i + 16), acc1);
  }
  for (; i + 16 <= n; i += 16) acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i), acc0);
  if (i < n) {
    const __mmask16 m = tail_mask(n - i);
    acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i), acc1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
}

const GemmKernels kTable = {&saxpy_f32, &sdot_f32};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
