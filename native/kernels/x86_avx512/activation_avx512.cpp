// Activation kernels for avx512.
#include "axonal/kernels/activation_kernels.h"

namespace axonal {
namespace avx512 {
namespace {

const ActivationKernels kTable = {};

}  // namespace

const ActivationKernels& activation_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
