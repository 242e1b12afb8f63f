// Optim kernels for scalar: the shared bodies (kernels/common/optim_body.inc) over
// this ISA's lanes (rvec_scalar.h).
#include "axonal/kernels/optim_kernels.h"
#include "rvec_scalar.h"

namespace axonal {
namespace scalar {
namespace {

#include "../common/optim_body.inc"

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kOptimTable; }

}  // namespace scalar
}  // namespace axonal
