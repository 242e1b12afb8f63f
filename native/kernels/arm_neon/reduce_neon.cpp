// Reduce kernels for neon: the shared bodies (kernels/common/reduce_body.inc) over
// this ISA's lanes (rvec_neon.h).
#include "axonal/kernels/reduce_kernels.h"
#include "rvec_neon.h"

namespace axonal {
namespace neon {
namespace {

#include "../common/reduce_body.inc"

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kReduceTable; }

}  // namespace neon
}  // namespace axonal
