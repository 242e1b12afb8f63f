// Normalization drivers (PyTorch 1.13 semantics): batch norm over [n, c, s] (s = the
// product of the spatial sizes, 1 for [n, c]), layer norm over rows [rows, cols],
// group norm over [n, c, s] with c split into `groups` groups. Forward saves the mean
// and 1/sqrt(var + eps) that backward needs. Work is split in tasks whose boundaries
// depend only on the sizes and partial sums are combined in a fixed order, so every
// result is bit-identical for any thread count.
#pragma once

#include <cstddef>

#include "axonal/kernels/norm_kernels.h"
#include "axonal/status.h"

namespace axonal {

// y = (x - mean[c]) * rstd[c] * weight[c] + bias[c]. With use_batch_stats the mean and
// (biased) variance come from the batch (n*s values per channel, at least 1) and, when
// running_mean / running_var are non-null, update them:
//   running = (1 - momentum) running + momentum stat   (variance: the unbiased one)
// otherwise the running statistics (both required) are used. weight / bias may be null
// (1 / 0). save_mean / save_rstd (c) receive the statistics used.
Status batch_norm_fwd(const float* x, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s, const float* weight,
                      const float* bias, float* running_mean, float* running_var, bool use_batch_stats,
                      float momentum, float eps, float* y, float* save_mean, float* save_rstd) noexcept;

// Gradients of batch_norm_fwd given dy, the saved mean / rstd and the same
// use_batch_stats. dx, dweight, dbias may each be null (not wanted); dweight / dbias
// are overwritten.
Status batch_norm_bwd(const float* x, const float* dy, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s,
                      const float* weight, const float* mean, const float* rstd, bool use_batch_stats, float* dx,
                      float* dweight, float* dbias) noexcept;

// Each row of x [rows, cols] normalised over its cols; weight / bias (cols) may be null.
Status layer_norm_fwd(const float* x, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* weight,
                      const float* bias, float eps, float* y, float* save_mean, float* save_rstd) noexcept;
Status layer_norm_bwd(const float* x, const float* dy, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* weight,
                      const float* mean, const float* rstd, float* dx, float* dweight, float* dbias) noexcept;

// x [n, c, s]; statistics per (sample, group) over c/groups channels x s; weight / bias
// (c) may be null. save_mean / save_rstd hold n*groups values.
Status group_norm_fwd(const float* x, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s, std::ptrdiff_t groups,
                      const float* weight, const float* bias, float eps, float* y, float* save_mean,
                      float* save_rstd) noexcept;
Status group_norm_bwd(const float* x, const float* dy, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s,
                      std::ptrdiff_t groups, const float* weight, const float* mean, const float* rstd, float* dx,
                      float* dweight, float* dbias) noexcept;

}  // namespace axonal
