// Norm kernels for avx512.
#include "axonal/kernels/norm_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

const NormKernels kTable = {};

}  // namespace

const NormKernels& norm_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
