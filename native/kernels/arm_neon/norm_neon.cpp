// Norm kernels for neon.
#include "axonal/kernels/norm_kernels.h"

namespace axonal {
namespace neon {
namespace {

const NormKernels kTable = {};

}  // namespace

const NormKernels& norm_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
