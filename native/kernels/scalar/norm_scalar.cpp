// Norm kernels for scalar.
#include "axonal/kernels/norm_kernels.h"

namespace axonal {
namespace scalar {
namespace {

const NormKernels kTable = {};

}  // namespace

const NormKernels& norm_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
