// Rnn kernels for scalar: the shared bodies in kernels/common/rnn_impl.inc, compiled
// with this ISA's vector primitives and flags.
#include "axonal/kernels/rnn_kernels.h"

#include "vmath_scalar.h"

namespace axonal {
namespace scalar {

#include "../common/rnn_impl.inc"

}  // namespace scalar
}  // namespace axonal
