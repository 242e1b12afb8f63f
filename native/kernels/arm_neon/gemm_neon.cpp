// NEON kernels for arm64 (Advanced SIMD is baseline there: no extra flags).
#include <arm_neon.h>

#include "axonal/kernels/gemm_kernels.h"

namespace axonal {
namespace neon {
namespace {

void saxpy_f32(std::ptrdiff_t n, float a, const float* x, float* y) noexcept {
  const float32x4_t va = vdupq_n_f32(a);
  std::ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) vst1q_f32(y + i, vfmaq_f32(vld1q_f32(y + i), va, vld1q_f32(x + i)));
  for (; i < n; ++i) y[i] += a * x[i];
}

float sdot_f32(std::ptrdiff_t n, const float* x, const float* y) noexcept {
  float32x4_t acc0 = vdupq_n_f32(0.f), acc1 = vdupq_n_f32(0.f);
  std::ptrdiff_t i = 0;
  for (; i + 8 <= n; i += 8) {
    acc0 = vfmaq_f32(acc0, vld1q_f32(x + i), vld1q_f32(y + i));
    acc1 = vfmaq_f32(acc1, vld1q_f32(x + i + 4), vld1q_f32(y + i + 4));
  }
  for (; i + 4 <= n; i += 4) acc0 = vfmaq_f32(acc0, vld1q_f32(x + i), vld1q_f32(y + i));
  float sum = vaddvq_f32(vaddq_f32(acc0, acc1));
  for (; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

const GemmKernels kTable = {&saxpy_f32, &sdot_f32};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
