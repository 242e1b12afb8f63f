// The kernel table: every ISA-specific function the drivers call, one record per
// family. dispatch/ fills one table per ISA compiled into this binary and selects
// the active one once (AXONAL_ISA may force a lower level).
#pragma once

#include "axonal/isa.h"
#include "axonal/kernels/activation_kernels.h"
#include "axonal/kernels/conv_kernels.h"
#include "axonal/kernels/gemm_kernels.h"
#include "axonal/kernels/loss_kernels.h"
#include "axonal/kernels/norm_kernels.h"
#include "axonal/kernels/optim_kernels.h"
#include "axonal/kernels/reduce_kernels.h"
#include "axonal/kernels/rnn_kernels.h"

namespace axonal {

struct KernelTable {
  Isa isa;
  int simd_width_floats;
  const GemmKernels* gemm;
  const ActivationKernels* activation;
  const LossKernels* loss;
  const ReduceKernels* reduce;
  const OptimKernels* optim;
  const ConvKernels* conv;
  const NormKernels* norm;
  const RnnKernels* rnn;
};

}  // namespace axonal
