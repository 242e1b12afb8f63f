// Conv kernels for neon: the shared bodies (kernels/common/conv_body.inc) over this
// ISA's lanes (rvec_neon.h).
#include "axonal/kernels/conv_kernels.h"
#include "rvec_neon.h"

namespace axonal {
namespace neon {
namespace {

#include "../common/conv_body.inc"

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kConvTable; }

}  // namespace neon
}  // namespace axonal
