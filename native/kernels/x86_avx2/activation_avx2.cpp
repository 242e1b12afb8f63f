// Activation kernels for avx2.
#include "axonal/kernels/activation_kernels.h"

namespace axonal {
namespace avx2 {
namespace {

const ActivationKernels kTable = {};

}  // namespace

const ActivationKernels& activation_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
