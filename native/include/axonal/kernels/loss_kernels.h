// Per-ISA loss kernels: value and gradient in one fused pass over the inputs.
// Formulas follow PyTorch 1.13 (aten/src/ATen/native/Loss.cpp, LossNLL.cpp,
// cpu/PointwiseOpsKernel.cpp, BinaryOpsKernel.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

// Elementwise losses between input x and target t.
enum class PointLoss : int {
  kMse = 0,        // (x - t)^2;                         grad 2 (x - t)
  kL1,             // |x - t|;                           grad sign(x - t)
  kHuber,          // a = delta
  kSmoothL1,       // a = beta (beta == 0 is L1 forward, as in PyTorch)
  kBce,            // x probabilities; logs clamped at -100; grad / max(x(1-x), 1e-12)
  kBceWithLogits,  // log-sum-exp form; w = pos_weight (per element, may be null)
  kKlDiv,          // x log-probabilities; a != 0: t given as log-probabilities
  kCount
};

struct PointLossParams {
  float a = 0.0f;      // delta / beta / log_target
  float scale = 1.0f;  // gradient multiplier (1/n for mean)
};

// For i < n: grad[i] = scale * dloss_i/dx_i; out[i] = loss_i when out is non-null.
// Returns the sum of loss_i (float vector partials flushed to double every few
// hundred elements; the order depends only on n). w is used by kBceWithLogits only.
typedef double (*PointLossFn)(const float* x, const float* t, const float* w, float* grad, float* out, std::size_t n,
                              PointLossParams p) noexcept;

// Cross-entropy from logits, fused log_softmax + NLL with label smoothing, over
// `rows` rows of `cols` logits (row stride ld for x and grad). target[r] is a class
// index already validated to be in [0, cols) or equal to ignore_index. weight is
// per class (null: all 1); weight_sum = sum of weight (or cols). For each row:
//   logp = (x - max) - log(sum e^(x - max))
//   loss_r = (1 - ls) * -w[t] logp[t] + ls / cols * -sum_c w[c] logp[c]   (0 if ignored)
//   grad_r = scale * dloss_r / dx   (written; zero row if ignored)
// out[r] = loss_r when out is non-null. Returns the sum of loss_r in row order.
struct CrossEntropyArgs {
  const float* x = nullptr;
  std::size_t ld = 0;
  std::size_t rows = 0, cols = 0;
  const std::int32_t* target = nullptr;
  const float* weight = nullptr;
  float weight_sum = 0.0f;
  std::int32_t ignore_index = -100;
  float label_smoothing = 0.0f;
  float scale = 1.0f;
  float* grad = nullptr;
  std::size_t ld_grad = 0;
  float* out = nullptr;
};
typedef double (*CrossEntropyFn)(const CrossEntropyArgs& a) noexcept;

struct LossKernels {
  PointLossFn point[static_cast<int>(PointLoss::kCount)];
  CrossEntropyFn cross_entropy;
};

namespace scalar { const LossKernels& loss_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const LossKernels& loss_kernels() noexcept; }
namespace avx512 { const LossKernels& loss_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const LossKernels& loss_kernels() noexcept; }
#endif

}  // namespace axonal
