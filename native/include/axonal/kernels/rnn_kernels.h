// Per-ISA rnn kernels. Recurrent cells: fused LSTM/GRU/RNN gate math, forward and backward.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct RnnKernels {
  // Filled by the rnn kernel work; every ISA provides every entry.
  int reserved = 0;
};

namespace scalar { const RnnKernels& rnn_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const RnnKernels& rnn_kernels() noexcept; }
namespace avx512 { const RnnKernels& rnn_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const RnnKernels& rnn_kernels() noexcept; }
#endif

}  // namespace axonal
