// Rnn kernels for avx512.
#include "axonal/kernels/rnn_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

const RnnKernels kTable = {};

}  // namespace

const RnnKernels& rnn_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
