// Activation kernels for scalar: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_scalar.h"

namespace axonal {
namespace scalar {

#include "../common/activation_impl.inc"

}  // namespace scalar
}  // namespace axonal
