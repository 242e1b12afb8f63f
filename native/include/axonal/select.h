// Elementwise comparison and selection: eq/ne/lt/le/gt/ge as float 0/1, where,
// maximum/minimum and their gradients. Plain loops (core only: the compiler
// vectorises them), split over the pool in tasks fixed by n.
//
// Each input operand holds n elements, or 1: a scalar broadcast to every element
// (a number operand, a 0-d tensor). Any other broadcast is expanded by the caller.
// Outputs hold n elements; every one is written. An output may be an input itself
// (same pointer, same length: in place) but must not otherwise overlap one; the
// binding checks that. Every function returns kInvalidArgument (nothing written) if
// n is negative or an operand's length is neither n nor 1.
#pragma once

#include <cstddef>

#include "axonal/status.h"

namespace axonal {

enum class CompareOp : int { kEq = 0, kNe, kLt, kLe, kGt, kGe };

// A length the operands may have for n outputs: n, or 1 (broadcast).
inline bool operand_length_ok(std::ptrdiff_t len, std::ptrdiff_t n) noexcept { return len == n || len == 1; }

// out[i] = (a[i] op b[i]) ? 1 : 0, IEEE comparisons: a NaN operand makes every op
// false except ne, which is true; -0 == +0.
Status compare_f32(CompareOp op, std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b,
                   std::ptrdiff_t nb, float* out) noexcept;

// out[i] = cond[i] != 0 ? a[i] : b[i]. A NaN condition is nonzero (true), -0 is zero
// (false), as torch.where(cond.bool(), a, b).
Status where_f32(std::ptrdiff_t n, const float* cond, std::ptrdiff_t nc, const float* a, std::ptrdiff_t na,
                 const float* b, std::ptrdiff_t nb, float* out) noexcept;

// out[i] = max(a[i], b[i]) (or min): NaN if either is NaN, a[i] on ties (so
// maximum(+0, -0) is +0 and maximum(-0, +0) is -0, PyTorch's scalar loop; its AVX2
// loop returns b on ties, so PyTorch's own sign of a zero tie depends on the layout).
Status maximum_fwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   float* out) noexcept;
Status minimum_fwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   float* out) noexcept;

// The gradients of maximum (minimum) as PyTorch 1.13 computes them, before any
// reduction to a broadcast operand's shape:
//   da[i] = a[i] < b[i] ? 0 : a[i] == b[i] ? g[i] / 2 : g[i]   (minimum: a[i] > b[i] ? 0 : ...)
//   db[i] = a[i] > b[i] ? 0 : a[i] == b[i] ? g[i] / 2 : g[i]   (minimum: a[i] < b[i] ? 0 : ...)
// A tie splits the gradient in halves; where a or b is NaN both receive all of it.
// The zeros are selected, not multiplied: an infinite g gives 0, not NaN. g, da and
// db hold n elements; da and db must not overlap each other or any input.
Status maximum_bwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   const float* g, float* da, float* db) noexcept;
Status minimum_bwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   const float* g, float* da, float* db) noexcept;

}  // namespace axonal
