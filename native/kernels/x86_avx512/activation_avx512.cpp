// Activation kernels for avx512: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_avx512.h"

namespace axonal {
namespace avx512 {

// Correctly rounded square root (torch.sqrt's vectorised path is the same
// instruction); only the activation kernels need it, so it lives here.
static inline vf v_sqrt(vf a) { return _mm512_sqrt_ps(a); }

#include "../common/activation_impl.inc"

}  // namespace avx512
}  // namespace axonal
