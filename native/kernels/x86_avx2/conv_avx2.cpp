// Conv kernels for avx2.
#include "axonal/kernels/conv_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

const ConvKernels kTable = {};

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
