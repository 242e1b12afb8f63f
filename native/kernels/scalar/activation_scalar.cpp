// Activation kernels for scalar.
#include "axonal/kernels/activation_kernels.h"

namespace axonal {
namespace scalar {
namespace {

const ActivationKernels kTable = {};

}  // namespace

const ActivationKernels& activation_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
