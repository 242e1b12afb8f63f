// Activation kernels for neon: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_neon.h"

namespace axonal {
namespace neon {

// Correctly rounded square root (torch.sqrt's vectorised path is the same
// instruction); only the activation kernels need it, so it lives here.
static inline vf v_sqrt(vf a) { return vsqrtq_f32(a); }

#include "../common/activation_impl.inc"

}  // namespace neon
}  // namespace axonal
