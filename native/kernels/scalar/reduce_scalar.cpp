// Reduce kernels for scalar.
#include "axonal/kernels/reduce_kernels.h"

namespace axonal {
namespace scalar {
namespace {

const ReduceKernels kTable = {};

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
