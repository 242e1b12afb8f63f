// Norm kernels for avx2: the shared bodies (kernels/common/norm_body.inc) over this
// ISA's lanes (rvec_avx2.h).
#include "axonal/kernels/norm_kernels.h"
#include "rvec_avx2.h"

namespace axonal {
namespace avx2 {
namespace {

// Lane k of a double accumulator added to p[k].
inline void add_lanes(double* p, const VO::D& d) noexcept {
  double t[8];
  _mm256_storeu_pd(t, d.lo);
  _mm256_storeu_pd(t + 4, d.hi);
  for (int k = 0; k < 8; ++k) p[k] += t[k];
}

#include "../common/norm_body.inc"

}  // namespace

const NormKernels& norm_kernels() noexcept { return kNormTable; }

}  // namespace avx2
}  // namespace axonal
