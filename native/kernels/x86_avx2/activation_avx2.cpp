// Activation kernels for avx2: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_avx2.h"

namespace axonal {
namespace avx2 {

#include "../common/activation_impl.inc"

}  // namespace avx2
}  // namespace axonal
