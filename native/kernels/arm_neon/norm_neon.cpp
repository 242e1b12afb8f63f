// Norm kernels for neon: the shared bodies (kernels/common/norm_body.inc) over this
// ISA's lanes (rvec_neon.h).
#include "axonal/kernels/norm_kernels.h"
#include "rvec_neon.h"

namespace axonal {
namespace neon {
namespace {

// Lane k of a double accumulator added to p[k].
inline void add_lanes(double* p, const VO::D& d) noexcept {
  double t[4];
  vst1q_f64(t, d.lo);
  vst1q_f64(t + 2, d.hi);
  for (int k = 0; k < 4; ++k) p[k] += t[k];
}

#include "../common/norm_body.inc"

}  // namespace

const NormKernels& norm_kernels() noexcept { return kNormTable; }

}  // namespace neon
}  // namespace axonal
