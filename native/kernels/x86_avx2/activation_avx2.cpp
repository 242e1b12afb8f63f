// Activation kernels for avx2: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_avx2.h"

namespace axonal {
namespace avx2 {

// Correctly rounded square root (torch.sqrt's vectorised path is the same
// instruction); only the activation kernels need it, so it lives here.
static inline vf v_sqrt(vf a) { return _mm256_sqrt_ps(a); }

#include "../common/activation_impl.inc"

}  // namespace avx2
}  // namespace axonal
