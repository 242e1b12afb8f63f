// Rnn kernels for neon.
#include "axonal/kernels/rnn_kernels.h"

namespace axonal {
namespace neon {
namespace {

const RnnKernels kTable = {};

}  // namespace

const RnnKernels& rnn_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
