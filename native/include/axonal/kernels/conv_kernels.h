// Per-ISA conv kernels. Convolution (im2col/col2im packing for the GEMM, direct kernels where faster) and pooling, forward and backward.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct ConvKernels {
  // Filled by the conv kernel work; every ISA provides every entry.
  int reserved = 0;
};

namespace scalar { const ConvKernels& conv_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const ConvKernels& conv_kernels() noexcept; }
namespace avx512 { const ConvKernels& conv_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const ConvKernels& conv_kernels() noexcept; }
#endif

}  // namespace axonal
