// Rnn kernels for avx2.
#include "axonal/kernels/rnn_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

const RnnKernels kTable = {};

}  // namespace

const RnnKernels& rnn_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
