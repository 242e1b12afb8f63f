// Norm kernels for scalar: the shared bodies (kernels/common/norm_body.inc) over this
// ISA's lanes (rvec_scalar.h).
#include "axonal/kernels/norm_kernels.h"
#include "rvec_scalar.h"

namespace axonal {
namespace scalar {
namespace {

#include "../common/norm_body.inc"

}  // namespace

const NormKernels& norm_kernels() noexcept { return kNormTable; }

}  // namespace scalar
}  // namespace axonal
