// Per-ISA reduce kernels: elementwise arithmetic on contiguous runs (the drivers in
// core/reduce.cpp turn these into broadcasts over strided [rows, cols] views),
// reductions accumulated in double, axpy/fill/copy, max/argmax with PyTorch's NaN
// rules (a NaN wins and its first index is reported).
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

enum class BinaryOp : int { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3 };

struct ReduceKernels {
  // out[i] = a[i] op b[i]; out may be a or b (in place).
  void (*binary)(BinaryOp op, std::ptrdiff_t n, const float* a, const float* b, float* out) noexcept;
  // out[i] = a[i] op s; out may be a.
  void (*binary_scalar)(BinaryOp op, std::ptrdiff_t n, const float* a, float s, float* out) noexcept;
  // y[i] += alpha * x[i]
  void (*axpy)(std::ptrdiff_t n, float alpha, const float* x, float* y) noexcept;
  // acc[i] += x[i] * y[i]
  void (*mul_acc)(std::ptrdiff_t n, const float* x, const float* y, float* acc) noexcept;
  void (*fill)(std::ptrdiff_t n, float value, float* out) noexcept;
  void (*copy)(std::ptrdiff_t n, const float* x, float* out) noexcept;
  // out[i] = min(max(x[i], lo), hi), NaN stays NaN; out may be x.
  void (*clamp)(std::ptrdiff_t n, const float* x, float lo, float hi, float* out) noexcept;
  // Sums in double over the lanes of the ISA (order fixed for a given ISA and n).
  double (*sum)(std::ptrdiff_t n, const float* x) noexcept;
  double (*sum_squares)(std::ptrdiff_t n, const float* x) noexcept;
  double (*dot)(std::ptrdiff_t n, const float* x, const float* y) noexcept;
  // max |x[i]|, NaN if any x[i] is NaN, 0 for n == 0.
  float (*max_abs)(std::ptrdiff_t n, const float* x) noexcept;
  // Index of the first maximum of x[0:n] (n >= 1); the first NaN if there is one.
  std::ptrdiff_t (*argmax)(std::ptrdiff_t n, const float* x) noexcept;
  // Running max over rows: where row[i] > best[i] or (row[i] is NaN and best[i] is
  // not), best[i] = row[i] and index[i] = k.
  void (*max_update)(std::ptrdiff_t n, const float* row, float* best, std::int32_t* index,
                     std::int32_t k) noexcept;
};

namespace scalar { const ReduceKernels& reduce_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const ReduceKernels& reduce_kernels() noexcept; }
namespace avx512 { const ReduceKernels& reduce_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const ReduceKernels& reduce_kernels() noexcept; }
#endif

}  // namespace axonal
