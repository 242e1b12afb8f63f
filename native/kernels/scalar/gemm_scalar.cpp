// Portable reference kernels: plain loops, no intrinsics.
#include "axonal/kernels/gemm_kernels.h"

namespace axonal {
namespace scalar {
namespace {

void saxpy_f32(std::ptrdiff_t n, float a, const float* x, float* y) noexcept {
  for (std::ptrdiff_t i = 0; i < n; ++i) y[i] += a * x[i];
}

float sdot_f32(std::ptrdiff_t n, const float* x, const float* y) noexcept {
  float acc[4] = {0.f, 0.f, 0.f, 0.f};
  std::ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) {
    acc[0] += x[i] * y[i];
    acc[1] += x[i + 1] * y[i + 1];
    acc[2] += x[i + 2] * y[i + 2];
    acc[3] += x[i + 3] * y[i + 3];
  }
  for (; i < n; ++i) acc[0] += x[i] * y[i];
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

const GemmKernels kTable = {&saxpy_f32, &sdot_f32};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
