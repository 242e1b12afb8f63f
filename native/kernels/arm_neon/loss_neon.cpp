// Loss kernels for neon: the shared bodies in kernels/common/loss_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/loss_kernels.h"

#include "vmath_neon.h"

namespace axonal {
namespace neon {

#include "../common/loss_impl.inc"

}  // namespace neon
}  // namespace axonal
