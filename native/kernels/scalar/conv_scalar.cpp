// Conv kernels for scalar.
#include "axonal/kernels/conv_kernels.h"

namespace axonal {
namespace scalar {
namespace {

const ConvKernels kTable = {};

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
