// Reduce kernels for neon.
#include "axonal/kernels/reduce_kernels.h"

namespace axonal {
namespace neon {
namespace {

const ReduceKernels kTable = {};

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
