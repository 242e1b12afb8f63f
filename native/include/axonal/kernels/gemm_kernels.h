// Per-ISA GEMM building blocks. One record per ISA, chosen together so that a
// kernel is never paired with another ISA's packing layout.
#pragma once

#include <cstddef>

namespace axonal {

struct GemmKernels {
  // y[0:n] += a * x[0:n]
  void (*saxpy)(std::ptrdiff_t n, float a, const float* x, float* y) noexcept;
  // sum over i of x[i] * y[i], accumulated in the ISA's natural lane order.
  float (*sdot)(std::ptrdiff_t n, const float* x, const float* y) noexcept;
};

namespace scalar { const GemmKernels& gemm_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const GemmKernels& gemm_kernels() noexcept; }
namespace avx512 { const GemmKernels& gemm_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const GemmKernels& gemm_kernels() noexcept; }
#endif

}  // namespace axonal
