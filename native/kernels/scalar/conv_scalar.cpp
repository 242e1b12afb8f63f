// Conv kernels for scalar: the shared bodies (kernels/common/conv_body.inc) over this
// ISA's lanes (rvec_scalar.h).
#include "axonal/kernels/conv_kernels.h"
#include "rvec_scalar.h"

namespace axonal {
namespace scalar {
namespace {

#include "../common/conv_body.inc"

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kConvTable; }

}  // namespace scalar
}  // namespace axonal
