// Loss kernels for scalar: the shared bodies in kernels/common/loss_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/loss_kernels.h"

#include "vmath_scalar.h"

namespace axonal {
namespace scalar {

#include "../common/loss_impl.inc"

}  // namespace scalar
}  // namespace axonal
