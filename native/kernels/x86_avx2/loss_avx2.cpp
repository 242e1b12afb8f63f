// Loss kernels for avx2.
#include "axonal/kernels/loss_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

const LossKernels kTable = {};

}  // namespace

const LossKernels& loss_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
