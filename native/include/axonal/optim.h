// Optimizer steps over flat float32 arrays, PyTorch 1.13 single-tensor formulas.
// Hyperparameters arrive as doubles (as Python floats do); the step-dependent
// scalars (bias corrections, mu products, rectification) are computed here in
// double exactly as torch/optim/*.py computes them, then rounded to float.
#pragma once

#include <cstddef>
#include <cstdint>

#include "axonal/status.h"

namespace axonal {

struct SgdOptions {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false, maximize = false;
  bool first_step = false;  // the momentum buffer does not exist yet: it becomes the grad
};
// momentum_buffer may be null when momentum == 0.
void sgd_step(std::ptrdiff_t n, float* param, const float* grad, float* momentum_buffer,
              const SgdOptions& o) noexcept;

struct AdamOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool amsgrad = false, maximize = false;
  bool decoupled = false;  // AdamW
  double step = 1;         // the step count after increment (1 on the first step)
};
void adam_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
               float* max_exp_avg_sq, const AdamOptions& o) noexcept;

struct RmspropOptions {
  double lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0;
  bool centered = false, maximize = false;
};
void rmsprop_step(std::ptrdiff_t n, float* param, const float* grad, float* square_avg, float* grad_avg,
                  float* momentum_buffer, const RmspropOptions& o) noexcept;

struct AdagradOptions {
  double lr = 1e-2, lr_decay = 0, eps = 1e-10, weight_decay = 0;
  bool maximize = false;
  double step = 1;
};
void adagrad_step(std::ptrdiff_t n, float* param, const float* grad, float* state_sum,
                  const AdagradOptions& o) noexcept;

struct AdamaxOptions {
  double lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool maximize = false;
  double step = 1;
};
void adamax_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_inf,
                 const AdamaxOptions& o) noexcept;

struct NadamOptions {
  double lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0, momentum_decay = 4e-3;
  double step = 1;
  float mu_product = 1.0f;  // state before this step (PyTorch keeps it as a float32 tensor)
};
// Returns the new mu_product (float32, as PyTorch's state tensor).
float nadam_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                 const NadamOptions& o) noexcept;

struct RadamOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  double step = 1;
};
void radam_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                const RadamOptions& o) noexcept;

// torch.nn.utils.clip_grad_norm_: total = norm of the per-tensor norms (p-norm, or
// max |g| when inf_norm); every grad is scaled by min(max_norm / (total + 1e-6), 1).
// When error_if_nonfinite and total is NaN or +-Inf, nothing is scaled and
// kInvalidArgument is returned. *total_norm receives the norm either way.
Status clip_grad_norm(int count, float* const* grads, const std::ptrdiff_t* lengths, double max_norm,
                      double norm_type, bool inf_norm, bool error_if_nonfinite, double* total_norm) noexcept;

// torch.nn.utils.clip_grad_value_: g = clamp(g, -clip, clip) (NaN stays NaN).
void clip_grad_value(std::ptrdiff_t n, float* grad, float clip_value) noexcept;

}  // namespace axonal
