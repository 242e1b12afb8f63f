// Activation kernels for neon: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_neon.h"

namespace axonal {
namespace neon {

#include "../common/activation_impl.inc"

}  // namespace neon
}  // namespace axonal
