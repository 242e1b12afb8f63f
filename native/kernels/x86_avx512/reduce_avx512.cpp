// Reduce kernels for avx512.
#include "axonal/kernels/reduce_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

const ReduceKernels kTable = {};

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
