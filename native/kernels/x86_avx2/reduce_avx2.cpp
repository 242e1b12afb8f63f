// Reduce kernels for avx2: the shared bodies (kernels/common/reduce_body.inc) over
// this ISA's lanes (rvec_avx2.h).
#include "axonal/kernels/reduce_kernels.h"
#include "rvec_avx2.h"

namespace axonal {
namespace avx2 {
namespace {

#include "../common/reduce_body.inc"

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kReduceTable; }

}  // namespace avx2
}  // namespace axonal
