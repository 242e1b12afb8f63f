// Rnn kernels for scalar.
#include "axonal/kernels/rnn_kernels.h"

namespace axonal {
namespace scalar {
namespace {

const RnnKernels kTable = {};

}  // namespace

const RnnKernels& rnn_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
