// Optim kernels for avx512.
#include "axonal/kernels/optim_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

const OptimKernels kTable = {};

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
