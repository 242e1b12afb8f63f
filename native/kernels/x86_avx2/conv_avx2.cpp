// Conv kernels for avx2: the shared bodies (kernels/common/conv_body.inc) over this
// ISA's lanes (rvec_avx2.h).
#include "axonal/kernels/conv_kernels.h"
#include "rvec_avx2.h"

namespace axonal {
namespace avx2 {
namespace {

#include "../common/conv_body.inc"

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kConvTable; }

}  // namespace avx2
}  // namespace axonal
