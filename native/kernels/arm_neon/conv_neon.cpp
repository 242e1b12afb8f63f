// Conv kernels for neon.
#include "axonal/kernels/conv_kernels.h"

namespace axonal {
namespace neon {
namespace {

const ConvKernels kTable = {};

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
