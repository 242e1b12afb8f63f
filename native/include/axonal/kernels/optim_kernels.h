// Per-ISA optim kernels. Optimizer updates, gradient clipping, dropout masks (issue: pointwise kernels).
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct OptimKernels {
  // Filled by the optim kernel work; every ISA provides every entry.
  int reserved = 0;
};

namespace scalar { const OptimKernels& optim_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const OptimKernels& optim_kernels() noexcept; }
namespace avx512 { const OptimKernels& optim_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const OptimKernels& optim_kernels() noexcept; }
#endif

}  // namespace axonal
