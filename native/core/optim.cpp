#include "axonal/optim.h"

#include <cmath>

#include "axonal/dispatch.h"
#include "axonal/reduce.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kChunk = std::ptrdiff_t{1} << 15;  // elements per task

const OptimKernels& ok() noexcept { return *kernels().optim; }

template <class F>
void for_chunks(std::ptrdiff_t n, const F& f) noexcept {
  if (n <= 0) return;
  const std::ptrdiff_t tasks = (n + kChunk - 1) / kChunk;
  if (tasks == 1) {
    f(std::ptrdiff_t{0}, n);
    return;
  }
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kChunk, i1 = i0 + kChunk < n ? i0 + kChunk : n;
    f(i0, i1 - i0);
  });
}

float f(double v) noexcept { return static_cast<float>(v); }

}  // namespace

void sgd_step(std::ptrdiff_t n, float* param, const float* grad, float* buf, const SgdOptions& o) noexcept {
  SgdHyper h{};
  h.lr = f(o.lr);
  h.momentum = f(o.momentum);
  h.one_minus_dampening = f(1.0 - o.dampening);
  h.weight_decay = f(o.weight_decay);
  h.nesterov = o.nesterov;
  h.maximize = o.maximize;
  h.first_step = o.first_step;
  const OptimKernels& k = ok();
  for_chunks(n, [&](std::ptrdiff_t i, std::ptrdiff_t len) {
    k.sgd(len, param + i, grad + i, buf != nullptr ? buf + i : nullptr, h);
  });
}

void adam_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
               float* max_exp_avg_sq, const AdamOptions& o) noexcept {
  AdamHyper h{};
  const double bias_correction1 = 1.0 - std::pow(o.beta1, o.step);
  const double bias_correction2 = 1.0 - std::pow(o.beta2, o.step);
  h.lr_decay_factor = f(1.0 - o.lr * o.weight_decay);
  h.beta1 = f(o.beta1);
  h.one_minus_beta1 = f(1.0 - o.beta1);
  h.beta2 = f(o.beta2);
  h.one_minus_beta2 = f(1.0 - o.beta2);
  h.eps = f(o.eps);
  h.weight_decay = f(o.weight_decay);
  h.step_size = f(o.lr / bias_correction1);
  h.bias_correction2_sqrt = f(std::sqrt(bias_correction2));
  h.amsgrad = o.amsgrad;
  h.maximize = o.maximize;
  h.decoupled = o.decoupled;
  const OptimKernels& k = ok();
  for_chunks(n, [&](std::ptrdiff_t i, std::ptrdiff_t len) {
    k.adam(len, param + i, grad + i, exp_avg + i, exp_avg_sq + i, max_exp_avg_sq != nullptr ? max_exp_avg_sq + i : nullptr,
           h);
  });
}

void rmsprop_step(std::ptrdiff_t n, float* param, const float* grad, float* square_avg, float* grad_avg,
                  float* momentum_buffer, const RmspropOptions& o) noexcept {
  RmspropHyper h{};
  h.lr = f(o.lr);
  h.alpha = f(o.alpha);
  h.one_minus_alpha = f(1.0 - o.alpha);
  h.eps = f(o.eps);
  h.weight_decay = f(o.weight_decay);
  h.momentum = f(o.momentum);
  h.centered = o.centered;
  h.maximize = o.maximize;
  const OptimKernels& k = ok();
  for_chunks(n, [&](std::ptrdiff_t i, std::ptrdiff_t len) {
    k.rmsprop(len, param + i, grad + i, square_avg + i, grad_avg != nullptr ? grad_avg + i : nullptr,
              momentum_buffer != nullptr ? momentum_buffer + i : nullptr, h);
  });
}

void adagrad_step(std::ptrdiff_t n, float* param, const float* grad, float* state_sum,
                  const AdagradOptions& o) noexcept {
  AdagradHyper h{};
  h.clr = f(o.lr / (1.0 + (o.step - 1.0) * o.lr_decay));
  h.eps = f(o.eps);
  h.weight_decay = f(o.weight_decay);
  h.maximize = o.maximize;
  const OptimKernels& k = ok();
  for_chunks(n, [&](std::ptrdiff_t i, std::ptrdiff_t len) { k.adagrad(len, param + i, grad + i, state_sum + i, h); });
}

void adamax_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_inf,
                 const AdamaxOptions& o) noexcept {
  AdamaxHyper h{};
  h.clr = f(o.lr / (1.0 - std::pow(o.beta1, o.step)));
  h.beta1 = f(o.beta1);
  h.one_minus_beta1 = f(1.0 - o.beta1);
  h.beta2 = f(o.beta2);
  h.eps = f(o.eps);
  h.weight_decay = f(o.weight_decay);
  h.maximize = o.maximize;
  const OptimKernels& k = ok();
  for_chunks(n, [&](std::ptrdiff_t i, std::ptrdiff_t len) { k.adamax(len, param + i, grad + i, exp_avg + i, exp_inf + i, h); });
}

float nadam_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                 const NadamOptions& o) noexcept {
  const double step = o.step;
  const double bias_correction2 = 1.0 - std::pow(o.beta2, step);
  const double mu = o.beta1 * (1.0 - 0.5 * std::pow(0.96, step * o.momentum_decay));
  const double mu_next = o.beta1 * (1.0 - 0.5 * std::pow(0.96, (step + 1.0) * o.momentum_decay));
  // mu_product is a float32 tensor in PyTorch: each product rounds to float.
  const float mu_product = f(static_cast<double>(o.mu_product) * mu);
  const float mu_product_next = f(static_cast<double>(f(static_cast<double>(mu_product) * mu)) * mu_next);
  NadamHyper h{};
  h.beta1 = f(o.beta1);
  h.one_minus_beta1 = f(1.0 - o.beta1);
  h.beta2 = f(o.beta2);
  h.one_minus_beta2 = f(1.0 - o.beta2);
  h.eps = f(o.eps);
  h.weight_decay = f(o.weight_decay);
  h.bias_correction2 = f(bias_correction2);
  h.grad_coef = f(-o.lr * (1.0 - mu) / (1.0 - static_cast<double>(mu_product)));
  h.avg_coef = f(-o.lr * mu_next / (1.0 - static_cast<double>(mu_product_next)));
  const OptimKernels& k = ok();
  for_chunks(n, [&](std::ptrdiff_t i, std::ptrdiff_t len) { k.nadam(len, param + i, grad + i, exp_avg + i, exp_avg_sq + i, h); });
  return mu_product;
}

void radam_step(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                const RadamOptions& o) noexcept {
  const double step = o.step;
  const double bias_correction1 = 1.0 - std::pow(o.beta1, step);
  const double bias_correction2 = 1.0 - std::pow(o.beta2, step);
  const double rho_inf = 2.0 / (1.0 - o.beta2) - 1.0;
  const double rho_t = rho_inf - 2.0 * step * std::pow(o.beta2, step) / bias_correction2;
  RadamHyper h{};
  h.lr = f(o.lr);
  h.beta1 = f(o.beta1);
  h.one_minus_beta1 = f(1.0 - o.beta1);
  h.beta2 = f(o.beta2);
  h.one_minus_beta2 = f(1.0 - o.beta2);
  h.eps = f(o.eps);
  h.weight_decay = f(o.weight_decay);
  h.bias_correction1 = f(bias_correction1);
  h.bias_correction2_sqrt = f(std::sqrt(bias_correction2));
  h.rectified = rho_t > 5.0;
  h.rect = h.rectified ? f(std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)))
                       : 1.0f;
  const OptimKernels& k = ok();
  for_chunks(n, [&](std::ptrdiff_t i, std::ptrdiff_t len) { k.radam(len, param + i, grad + i, exp_avg + i, exp_avg_sq + i, h); });
}

Status clip_grad_norm(int count, float* const* grads, const std::ptrdiff_t* lengths, double max_norm,
                      double norm_type, bool inf_norm, bool error_if_nonfinite, double* total_norm) noexcept {
  double total = 0.0;
  if (count > 0) {
    if (inf_norm) {
      // max over tensors of max |g|; NaN propagates.
      for (int t = 0; t < count; ++t) {
        const double m = max_abs(lengths[t], grads[t]);
        total = (m != m || total != total) ? m + total : (m > total ? m : total);
      }
    } else if (norm_type == 2.0) {
      for (int t = 0; t < count; ++t) {
        const double nt = std::sqrt(sum_squares(lengths[t], grads[t]));
        total += nt * nt;
      }
      total = std::sqrt(total);
    } else {
      // General p: sum over tensors of ||g||_p^p, then the p-th root (ISA-neutral, in double).
      for (int t = 0; t < count; ++t) {
        double s = 0.0;
        for (std::ptrdiff_t i = 0; i < lengths[t]; ++i) s += std::pow(std::fabs(static_cast<double>(grads[t][i])), norm_type);
        const double nt = std::pow(s, 1.0 / norm_type);
        total += std::pow(nt, norm_type);
      }
      total = std::pow(total, 1.0 / norm_type);
    }
  }
  // PyTorch computes the norm in float32.
  total = static_cast<double>(static_cast<float>(total));
  *total_norm = total;
  if (error_if_nonfinite && !std::isfinite(total)) return Status::kInvalidArgument;
  double coef = max_norm / (total + 1e-6);
  // torch.clamp(max=1.0) keeps NaN.
  if (coef > 1.0) coef = 1.0;
  const float c = static_cast<float>(coef);
  for (int t = 0; t < count; ++t) scale(lengths[t], c, grads[t], grads[t]);
  return Status::kOk;
}

void clip_grad_value(std::ptrdiff_t n, float* grad, float clip_value) noexcept {
  clamp(n, grad, -clip_value, clip_value, grad);
}

}  // namespace axonal
