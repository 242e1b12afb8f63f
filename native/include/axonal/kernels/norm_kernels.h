// Per-ISA norm kernels. Normalization: batch norm, layer norm, group norm, forward and backward.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct NormKernels {
  // Filled by the norm kernel work; every ISA provides every entry.
  int reserved = 0;
};

namespace scalar { const NormKernels& norm_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const NormKernels& norm_kernels() noexcept; }
namespace avx512 { const NormKernels& norm_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const NormKernels& norm_kernels() noexcept; }
#endif

}  // namespace axonal
