// Loss kernels for scalar.
#include "axonal/kernels/loss_kernels.h"

namespace axonal {
namespace scalar {
namespace {

const LossKernels kTable = {};

}  // namespace

const LossKernels& loss_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
