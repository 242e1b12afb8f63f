// Optim kernels for avx2.
#include "axonal/kernels/optim_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

const OptimKernels kTable = {};

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
