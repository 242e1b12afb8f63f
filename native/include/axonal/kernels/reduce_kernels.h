// Per-ISA reduce kernels. Elementwise arithmetic with broadcasting, reductions, axpy/fill/copy (issue: pointwise kernels).
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct ReduceKernels {
  // Filled by the reduce kernel work; every ISA provides every entry.
  int reserved = 0;
};

namespace scalar { const ReduceKernels& reduce_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const ReduceKernels& reduce_kernels() noexcept; }
namespace avx512 { const ReduceKernels& reduce_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const ReduceKernels& reduce_kernels() noexcept; }
#endif

}  // namespace axonal
