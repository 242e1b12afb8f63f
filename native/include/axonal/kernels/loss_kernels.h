// Per-ISA loss kernels. Losses: value and gradient in one fused pass (issue: pointwise kernels).
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct LossKernels {
  // Filled by the loss kernel work; every ISA provides every entry.
  int reserved = 0;
};

namespace scalar { const LossKernels& loss_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const LossKernels& loss_kernels() noexcept; }
namespace avx512 { const LossKernels& loss_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const LossKernels& loss_kernels() noexcept; }
#endif

}  // namespace axonal
