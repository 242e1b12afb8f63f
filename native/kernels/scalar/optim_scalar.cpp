// Optim kernels for scalar.
#include "axonal/kernels/optim_kernels.h"

namespace axonal {
namespace scalar {
namespace {

const OptimKernels kTable = {};

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
