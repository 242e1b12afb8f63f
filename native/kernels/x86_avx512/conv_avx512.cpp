// Conv kernels for avx512.
#include "axonal/kernels/conv_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

const ConvKernels kTable = {};

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
