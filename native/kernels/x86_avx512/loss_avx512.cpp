// Loss kernels for avx512.
#include "axonal/kernels/loss_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

const LossKernels kTable = {};

}  // namespace

const LossKernels& loss_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
