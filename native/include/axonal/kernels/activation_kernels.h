// Per-ISA activation kernels. Activations forward/backward, row-wise softmax/log_softmax (issue: pointwise kernels).
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct ActivationKernels {
  // Filled by the activation kernel work; every ISA provides every entry.
  int reserved = 0;
};

namespace scalar { const ActivationKernels& activation_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const ActivationKernels& activation_kernels() noexcept; }
namespace avx512 { const ActivationKernels& activation_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const ActivationKernels& activation_kernels() noexcept; }
#endif

}  // namespace axonal
