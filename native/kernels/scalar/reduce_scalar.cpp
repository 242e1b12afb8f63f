// Reduce kernels for scalar: the shared bodies (kernels/common/reduce_body.inc) over
// this ISA's lanes (rvec_scalar.h).
#include "axonal/kernels/reduce_kernels.h"
#include "rvec_scalar.h"

namespace axonal {
namespace scalar {
namespace {

#include "../common/reduce_body.inc"

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kReduceTable; }

}  // namespace scalar
}  // namespace axonal
