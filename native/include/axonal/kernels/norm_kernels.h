// Per-ISA norm kernels: the building blocks of batch, layer and group norm, forward
// and backward (drivers in core/norm.cpp). Statistics and gradient sums accumulate in
// double; moments are taken about a shift (a sample of the data) so that the
// one-pass variance s2/n - (s1/n)^2 does not cancel. Every kernel's summation order
// depends only on its sizes and the ISA.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct NormKernels {
  // ---- contiguous rows of n elements ----
  // s1 = sum (x - shift), s2 = sum (x - shift)^2.
  void (*moments)(const float* x, std::ptrdiff_t n, float shift, double* s1, double* s2) noexcept;
  // sg = sum w dy, sgx = sum w dy (x - mean); w null means all ones.
  void (*dot)(const float* x, const float* dy, const float* w, std::ptrdiff_t n, float mean, double* sg,
              double* sgx) noexcept;
  // y = (x - mean) * a + b.
  void (*scale_shift)(const float* x, float* y, std::ptrdiff_t n, float mean, float a, float b) noexcept;
  // y = (x - mean) * rstd * gamma[i] + beta[i]; gamma / beta null mean 1 / 0.
  void (*affine)(const float* x, float* y, std::ptrdiff_t n, float mean, float rstd, const float* gamma,
                 const float* beta) noexcept;
  // dx = a * w[i] * dy + b * (x - mean) + c; w null means all ones.
  void (*bwd)(const float* x, const float* dy, const float* w, float* dx, std::ptrdiff_t n, float mean, float a,
              float b, float c) noexcept;

  // ---- row-major [rows, cols] blocks, one value per column (accumulated: +=) ----
  // s1[j] += sum_r (x - shift[j]), s2[j] += sum_r (x - shift[j])^2.
  void (*col_moments)(const float* x, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* shift, double* s1,
                      double* s2) noexcept;
  // sg[j] += sum_r dy, sgx[j] += sum_r dy (x - mean[j]).
  void (*col_dot)(const float* x, const float* dy, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* mean,
                  double* sg, double* sgx) noexcept;
  // Per-row statistics: dg[j] += sum_r dy (x - mean[r]) rstd[r], db[j] += sum_r dy.
  void (*col_affine_grad)(const float* x, const float* dy, std::ptrdiff_t rows, std::ptrdiff_t cols,
                          const float* mean, const float* rstd, double* dg, double* db) noexcept;
  // y = (x - mean[j]) * a[j] + b[j].
  void (*col_scale_shift)(const float* x, float* y, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* mean,
                          const float* a, const float* b) noexcept;
  // dx = a[j] dy + b[j] (x - mean[j]) + c[j].
  void (*col_bwd)(const float* x, const float* dy, float* dx, std::ptrdiff_t rows, std::ptrdiff_t cols,
                  const float* mean, const float* a, const float* b, const float* c) noexcept;
};

namespace scalar { const NormKernels& norm_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const NormKernels& norm_kernels() noexcept; }
namespace avx512 { const NormKernels& norm_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const NormKernels& norm_kernels() noexcept; }
#endif

}  // namespace axonal
