// Rnn kernels for avx512: the shared bodies in kernels/common/rnn_impl.inc, compiled
// with this ISA's vector primitives and flags.
#include "axonal/kernels/rnn_kernels.h"

#include "vmath_avx512.h"

namespace axonal {
namespace avx512 {

#include "../common/rnn_impl.inc"

}  // namespace avx512
}  // namespace axonal
