// Activation kernels for avx512: the shared bodies in kernels/common/activation_impl.inc,
// compiled with this ISA's vector primitives and flags.
#include "axonal/kernels/activation_kernels.h"

#include "vmath_avx512.h"

namespace axonal {
namespace avx512 {

#include "../common/activation_impl.inc"

}  // namespace avx512
}  // namespace axonal
