// Rnn kernels for avx2: the shared bodies in kernels/common/rnn_impl.inc, compiled
// with this ISA's vector primitives and flags.
#include "axonal/kernels/rnn_kernels.h"

#include "vmath_avx2.h"

namespace axonal {
namespace avx2 {

#include "../common/rnn_impl.inc"

}  // namespace avx2
}  // namespace axonal
