// Activation kernels for scalar: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_scalar.h"

namespace axonal {
namespace scalar {

// Correctly rounded square root (torch.sqrt's vectorised path is the same
// instruction); only the activation kernels need it, so it lives here.
static inline vf v_sqrt(vf a) { return __builtin_sqrtf(a); }

#include "../common/activation_impl.inc"

}  // namespace scalar
}  // namespace axonal
