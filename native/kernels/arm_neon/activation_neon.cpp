// Activation kernels for neon.
#include "axonal/kernels/activation_kernels.h"

namespace axonal {
namespace neon {
namespace {

const ActivationKernels kTable = {};

}  // namespace

const ActivationKernels& activation_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
