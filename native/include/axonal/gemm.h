// Single-precision GEMM with BLAS semantics on row-major matrices, with a fused epilogue:
//   C = act(alpha * op(A) * op(B) + beta * C + bias)
// bias (optional) has n values, one per column of C; act is a GemmActivation
// (kernels/gemm_kernels.h: none, relu, gelu, gelu tanh), applied while the tile is in
// registers.
// op(A) is M x K (A stored K x M when trans_a), op(B) is K x N (B stored N x K
// when trans_b). Leading dimensions are row strides in elements. When beta == 0,
// C is overwritten without being read (NaN in C does not propagate).
#pragma once

#include <cstddef>

#include "axonal/status.h"

namespace axonal {

struct SgemmArgs {
  bool trans_a = false;
  bool trans_b = false;
  std::ptrdiff_t m = 0, n = 0, k = 0;
  float alpha = 1.0f;
  const float* a = nullptr;
  std::ptrdiff_t lda = 0;
  const float* b = nullptr;
  std::ptrdiff_t ldb = 0;
  float beta = 0.0f;
  float* c = nullptr;
  std::ptrdiff_t ldc = 0;
  const float* bias = nullptr;  // n values or null
  int activation = 0;           // GemmActivation code
};

// Elements a strided row-major matrix view of rows x cols with row stride ld spans
// (0 for an empty matrix). The binding checks buffer lengths against this.
std::ptrdiff_t strided_extent(std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t ld) noexcept;

// Checks dimensions and strides (not buffer lengths, which only the caller knows).
Status sgemm_check(const SgemmArgs& args) noexcept;

// kOutOfMemory if the packing scratch cannot be allocated (C is then unspecified).
// Each C element's K sum runs in a fixed order (KC blocks depend only on K), so the
// result is bit-identical for any thread count.
Status sgemm(const SgemmArgs& args) noexcept;

// Tests only: while set, every packing-buffer request fails (exercises kOutOfMemory).
void sgemm_fail_allocations_for_testing(bool fail) noexcept;

// Tests only: force the path sgemm takes, so every config and both packing modes
// are exercised at every size (normally chosen from the sizes). config: -1 auto,
// 0 the ISA's main config, 1 its narrow config, 2 its small config, 3 the transposed
// product on the main config (a forced config the ISA lacks falls back to main).
// direct: -1 auto, 0 always pack, 1 read A and B in place wherever the kernels can.
void sgemm_force_path_for_testing(int config, int direct) noexcept;

}  // namespace axonal
