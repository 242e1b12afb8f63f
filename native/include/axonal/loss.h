// Loss drivers: value and gradient in one fused pass, reductions none/mean/sum as
// in PyTorch 1.13. Work is split in blocks whose boundaries depend only on the
// sizes and per-block partial sums are combined in block order, so the value is
// bit-identical for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>

#include "axonal/kernels/loss_kernels.h"
#include "axonal/status.h"

namespace axonal {

enum class Reduction : int { kNone = 0, kMean = 1, kSum = 2 };

// Elementwise loss over n elements. grad (n) receives d(reduced loss)/dx (for
// kNone: the elementwise derivative, i.e. an upstream gradient of ones); out (n)
// receives the elementwise losses when non-null. pos_weight (kBceWithLogits only)
// is null or holds `cols` values broadcast along rows of `cols` (n % cols == 0).
// *value = the reduced loss (for kNone: the sum of out).
Status point_loss(PointLoss op, const float* x, const float* t, const float* pos_weight, std::ptrdiff_t cols,
                  float* grad, float* out, std::ptrdiff_t n, float a, Reduction red, double* value) noexcept;

// Cross-entropy from logits x [rows, cols] with class indices (see CrossEntropyArgs);
// mean divides by the sum of the weights of non-ignored targets (PyTorch's rule).
// out (rows) receives per-row losses when non-null.
Status cross_entropy(const float* x, std::ptrdiff_t rows, std::ptrdiff_t cols, const std::int32_t* target,
                     const float* weight, std::int32_t ignore_index, float label_smoothing, Reduction red,
                     float* grad, float* out, double* value) noexcept;

// Negative log-likelihood of log-probabilities x [rows, cols]; same rules.
Status nll_loss(const float* x, std::ptrdiff_t rows, std::ptrdiff_t cols, const std::int32_t* target,
                const float* weight, std::int32_t ignore_index, Reduction red, float* grad, float* out,
                double* value) noexcept;

}  // namespace axonal
