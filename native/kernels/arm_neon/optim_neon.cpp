// Optim kernels for neon: the shared bodies (kernels/common/optim_body.inc) over
// this ISA's lanes (rvec_neon.h).
#include "axonal/kernels/optim_kernels.h"
#include "rvec_neon.h"

namespace axonal {
namespace neon {
namespace {

#include "../common/optim_body.inc"

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kOptimTable; }

}  // namespace neon
}  // namespace axonal
