// Optim kernels for neon.
#include "axonal/kernels/optim_kernels.h"

namespace axonal {
namespace neon {
namespace {

const OptimKernels kTable = {};

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
