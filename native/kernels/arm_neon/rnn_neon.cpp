// Rnn kernels for neon: the shared bodies in kernels/common/rnn_impl.inc, compiled
// with this ISA's vector primitives and flags.
#include "axonal/kernels/rnn_kernels.h"

#include "vmath_neon.h"

namespace axonal {
namespace neon {

#include "../common/rnn_impl.inc"

}  // namespace neon
}  // namespace axonal
