// The kernel table: every ISA-specific function the drivers call, one record per
// family. dispatch/ fills one table per ISA compiled into this binary and selects
// the active one once (AXONAL_ISA may force a lower level).
#pragma once

#include "axonal/isa.h"
#include "axonal/kernels/gemm_kernels.h"

namespace axonal {

struct KernelTable {
  Isa isa;
  int simd_width_floats;
  const GemmKernels* gemm;
};

}  // namespace axonal
