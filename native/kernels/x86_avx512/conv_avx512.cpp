// Conv kernels for avx512: the shared bodies (kernels/common/conv_body.inc) over this
// ISA's lanes (rvec_avx512.h).
#include "axonal/kernels/conv_kernels.h"
#include "rvec_avx512.h"

namespace axonal {
namespace avx512 {
namespace {

#include "../common/conv_body.inc"

}  // namespace

const ConvKernels& conv_kernels() noexcept { return kConvTable; }

}  // namespace avx512
}  // namespace axonal
