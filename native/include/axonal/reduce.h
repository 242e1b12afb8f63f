// Broadcast arithmetic and reductions on float32 arrays, split into tasks whose
// boundaries depend only on the sizes, so results are bit-identical for any thread
// count (whole-array sums combine per-task partials in task order).
#pragma once

#include <cstddef>
#include <cstdint>

#include "axonal/kernels/reduce_kernels.h"
#include "axonal/status.h"

namespace axonal {

enum class Broadcast : int {
  kNone = 0,    // b is [rows, cols] with row stride ldb
  kRow = 1,     // b is one row of cols values, repeated down the rows (bias add)
  kColumn = 2,  // b is one column of rows values, repeated across the columns
};

// out[r, c] = a[r, c] op b'[r, c] over strided [rows, cols] views (row strides
// lda, ldb, ldo >= cols). out may be a (or b when kNone) with the same stride.
void binary_2d(BinaryOp op, Broadcast bc, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* a,
               std::ptrdiff_t lda, const float* b, std::ptrdiff_t ldb, float* out, std::ptrdiff_t ldo) noexcept;

// Gradients of out = a op b' (contiguous [rows, cols]; b has the broadcast shape):
// grad_a (rows*cols) and grad_b (shape of b) are overwritten; either may be null.
void binary_2d_backward(BinaryOp op, Broadcast bc, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* a,
                        const float* b, const float* grad, float* grad_a, float* grad_b) noexcept;

// out = alpha * x, y += alpha * x, out = value, out = x, out = clamp(x, lo, hi).
void scale(std::ptrdiff_t n, float alpha, const float* x, float* out) noexcept;
void axpy(std::ptrdiff_t n, float alpha, const float* x, float* y) noexcept;
void fill(std::ptrdiff_t n, float value, float* out) noexcept;
void copy(std::ptrdiff_t n, const float* x, float* out) noexcept;
void clamp(std::ptrdiff_t n, const float* x, float lo, float hi, float* out) noexcept;

// Whole-array reductions in double, deterministic for any thread count.
double sum(std::ptrdiff_t n, const float* x) noexcept;
double sum_squares(std::ptrdiff_t n, const float* x) noexcept;
float max_abs(std::ptrdiff_t n, const float* x) noexcept;

// x viewed as [outer, axis, inner] (contiguous); out is [outer, inner].
// Sum (or mean when `mean`) along the middle axis. axis == 0 gives 0 (mean: NaN).
void sum_axis(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* x, float* out,
              bool mean) noexcept;
// grad_x[o, k, i] = grad[o, i] (divided by axis when `mean`).
void sum_axis_backward(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* grad,
                       float* grad_x, bool mean) noexcept;
// Max along the middle axis and the index of the first maximum (NaN wins: its first
// index). axis must be >= 1.
void max_axis(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* x, float* values,
              std::int32_t* indices) noexcept;
// grad_x = 0 except grad_x[o, indices[o, i], i] = grad[o, i].
void max_axis_backward(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* grad,
                       const std::int32_t* indices, float* grad_x) noexcept;

}  // namespace axonal
