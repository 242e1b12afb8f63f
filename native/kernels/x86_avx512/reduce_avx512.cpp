// Reduce kernels for avx512: the shared bodies (kernels/common/reduce_body.inc) over
// this ISA's lanes (rvec_avx512.h).
#include "axonal/kernels/reduce_kernels.h"
#include "rvec_avx512.h"

namespace axonal {
namespace avx512 {
namespace {

#include "../common/reduce_body.inc"

}  // namespace

const ReduceKernels& reduce_kernels() noexcept { return kReduceTable; }

}  // namespace avx512
}  // namespace axonal
