// Norm kernels for avx2.
#include "axonal/kernels/norm_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

const NormKernels kTable = {};

}  // namespace

const NormKernels& norm_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
