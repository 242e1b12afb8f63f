// Optim kernels for avx512: the shared bodies (kernels/common/optim_body.inc) over
// this ISA's lanes (rvec_avx512.h).
#include "axonal/kernels/optim_kernels.h"
#include "rvec_avx512.h"

namespace axonal {
namespace avx512 {
namespace {

#include "../common/optim_body.inc"

}  // namespace

const OptimKernels& optim_kernels() noexcept { return kOptimTable; }

}  // namespace avx512
}  // namespace axonal
