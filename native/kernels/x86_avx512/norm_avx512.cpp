// Norm kernels for avx512: the shared bodies (kernels/common/norm_body.inc) over this
// ISA's lanes (rvec_avx512.h).
#include "axonal/kernels/norm_kernels.h"
#include "rvec_avx512.h"

namespace axonal {
namespace avx512 {
namespace {

// Lane k of a double accumulator added to p[k].
inline void add_lanes(double* p, const VO::D& d) noexcept {
  double t[16];
  _mm512_storeu_pd(t, d.lo);
  _mm512_storeu_pd(t + 8, d.hi);
  for (int k = 0; k < 16; ++k) p[k] += t[k];
}

#include "../common/norm_body.inc"

}  // namespace

const NormKernels& norm_kernels() noexcept { return kNormTable; }

}  // namespace avx512
}  // namespace axonal
