// Reduce kernels for avx2.
#include "axonal/kernels/reduce_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

const ReduceKernels kTable = {};

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
