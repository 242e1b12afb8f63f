// Activation drivers: pointwise activations forward/backward over flat arrays and
// row-wise softmax / log_softmax over strided [rows, cols] views. Work is split
// over the thread pool in blocks whose boundaries depend only on the sizes.
#pragma once

#include <cstddef>

#include "axonal/kernels/activation_kernels.h"
#include "axonal/status.h"

namespace axonal {

// y = f(x) elementwise over n elements (y may equal x).
Status activation_fwd(ActOp op, const float* x, float* y, std::ptrdiff_t n, ActParams p) noexcept;
// dx = dy * f'(src) (src is x, or y for ops whose backward reads the output; see ActOp).
Status activation_bwd(ActOp op, const float* src, const float* dy, float* dx, std::ptrdiff_t n, ActParams p) noexcept;

// The same over strided [rows, cols] views (row strides ldx, ldy, ld_src, ld_dy,
// ld_dx >= cols): one kernel call per row, blocks of rows per task.
Status activation_fwd_2d(ActOp op, const float* x, std::ptrdiff_t ldx, float* y, std::ptrdiff_t ldy,
                         std::ptrdiff_t rows, std::ptrdiff_t cols, ActParams p) noexcept;
Status activation_bwd_2d(ActOp op, const float* src, std::ptrdiff_t ld_src, const float* dy, std::ptrdiff_t ld_dy,
                         float* dx, std::ptrdiff_t ld_dx, std::ptrdiff_t rows, std::ptrdiff_t cols,
                         ActParams p) noexcept;

// Row-wise softmax (log_softmax when `log`) along the last axis of [rows, cols]
// views with row strides ldx, ldy (>= cols). y may equal x when ldx == ldy.
Status softmax_fwd(bool log, const float* x, std::ptrdiff_t ldx, float* y, std::ptrdiff_t ldy, std::ptrdiff_t rows,
                   std::ptrdiff_t cols) noexcept;
// Backward from the forward output y and incoming gradient dy.
Status softmax_bwd(bool log, const float* y, std::ptrdiff_t ldy, const float* dy, std::ptrdiff_t lddy, float* dx,
                   std::ptrdiff_t lddx, std::ptrdiff_t rows, std::ptrdiff_t cols) noexcept;

}  // namespace axonal
