// Scalar ISA: the "vector" is one float, so the shared bodies run lane by lane.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {
namespace scalar {
namespace {

#include "../common/rvec_scalar.inc"
using VO = SO;
AXONAL_RVEC_DEFINE_LOOP

}  // namespace
}  // namespace scalar
}  // namespace axonal
