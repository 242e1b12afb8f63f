// Optim kernels for avx2: the shared bodies (kernels/common/optim_body.inc) over
// this ISA's lanes (rvec_avx2.h).
#include "axonal/kernels/optim_kernels.h"
#include "rvec_avx2.h"

namespace axonal {
namespace avx2 {
namespace {

#include "../common/optim_body.inc"

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kOptimTable; }

}  // namespace avx2
}  // namespace axonal
