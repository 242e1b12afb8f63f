// Cumulative sum and product along the middle axis of [outer, n, inner] arrays,
// forward and backward side by side, as PyTorch 1.13 computes them on the CPU.
// Plain loops (core only), split over the pool in tasks fixed by the sizes; every
// output element depends on its own column (o, :, k) only, so any split gives the
// same bytes.
//
// Accumulation is in double, as PyTorch's CPU kernel does for float32
// (at::acc_type<float, false> is double: a cumsum of 1e6 floats matches a double
// cumsum rounded once, not a float one); each output is the running double value
// rounded to float.
//
// Arrays are contiguous and row-major; outputs must not overlap inputs (the binding
// checks). Every function returns kInvalidArgument (nothing written) if a size is
// negative.
#pragma once

#include <cstddef>

#include "axonal/status.h"

namespace axonal {

// out[o, i, k] = sum_{j <= i} x[o, j, k].
Status cumsum_fwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, float* out) noexcept;

// out[o, i, k] = prod_{j <= i} x[o, j, k].
Status cumprod_fwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, float* out) noexcept;

// The gradient of cumsum: dx[o, i, k] = sum_{j >= i} g[o, j, k] (the reversed cumsum;
// dx = g when n == 1).
Status cumsum_bwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* g, float* dx) noexcept;

// The gradient of cumprod, PyTorch 1.13's cumprod_backward (first-order branch) per
// column, with out = cumprod(x) and w = out * g:
//   n == 1: dx = g.
//   k < z1 (before the column's first zero, or every k without one):
//     dx[k] = (sum_{k <= j < z1} w[j]) / x[k]
//   k == z1: dx[k] = (z1 > 0 ? out[z1 - 1] : 1) * sum_{j >= z1} g'[j] * P[j], where
//     g'[j] = g[j] for j < z2 (the second zero, or n) and 0 after, and P[j] is the
//     product of x over (z1, min(j, z2 - 1)]: PyTorch multiplies the gradient past z2
//     by P as well, so an infinite P there gives 0 * Inf = NaN.
//   k > z1: dx[k] = 0.
// Zeros are handled exactly (no division by them), NaN and Inf propagate as in
// PyTorch. out must be cumprod_fwd's output for x.
Status cumprod_bwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, const float* out,
                   const float* g, float* dx) noexcept;

}  // namespace axonal
