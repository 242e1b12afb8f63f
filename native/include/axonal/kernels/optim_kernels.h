// Per-ISA optimizer kernels: one fused pass over param, grad and state, following
// PyTorch 1.13's single-tensor (for-loop) implementations operation by operation.
// Every float below is already rounded from the double the driver computed
// (core/optim.cpp), as PyTorch rounds its Python-float scalars to the tensor dtype.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct SgdHyper {
  float lr, momentum, one_minus_dampening, weight_decay;
  bool nesterov, maximize, first_step;  // first_step: buf = grad (PyTorch's clone)
};

// Adam and AdamW (decoupled).
struct AdamHyper {
  float lr_decay_factor;  // AdamW: 1 - lr * weight_decay
  float beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay;
  float step_size;              // lr / (1 - beta1^step)
  float bias_correction2_sqrt;  // sqrt(1 - beta2^step)
  bool amsgrad, maximize, decoupled;
};

struct RmspropHyper {
  float lr, alpha, one_minus_alpha, eps, weight_decay, momentum;
  bool centered, maximize;
};

struct AdagradHyper {
  float clr, eps, weight_decay;  // clr = lr / (1 + (step - 1) * lr_decay)
  bool maximize;
};

struct AdamaxHyper {
  float clr, beta1, one_minus_beta1, beta2, eps, weight_decay;  // clr = lr / (1 - beta1^step)
  bool maximize;
};

struct NadamHyper {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay;
  float bias_correction2;
  float grad_coef;  // -lr * (1 - mu) / (1 - mu_product)
  float avg_coef;   // -lr * mu_next / (1 - mu_product_next)
};

struct RadamHyper {
  float lr, beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay;
  float bias_correction1, bias_correction2_sqrt, rect;
  bool rectified;  // rho_t > 5
};

struct OptimKernels {
  void (*sgd)(std::ptrdiff_t n, float* param, const float* grad, float* momentum_buffer,
              const SgdHyper& h) noexcept;
  // max_exp_avg_sq is read and written only when h.amsgrad.
  void (*adam)(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
               float* max_exp_avg_sq, const AdamHyper& h) noexcept;
  // grad_avg used when centered, momentum_buffer when momentum > 0.
  void (*rmsprop)(std::ptrdiff_t n, float* param, const float* grad, float* square_avg, float* grad_avg,
                  float* momentum_buffer, const RmspropHyper& h) noexcept;
  void (*adagrad)(std::ptrdiff_t n, float* param, const float* grad, float* state_sum,
                  const AdagradHyper& h) noexcept;
  void (*adamax)(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_inf,
                 const AdamaxHyper& h) noexcept;
  void (*nadam)(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                const NadamHyper& h) noexcept;
  void (*radam)(std::ptrdiff_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                const RadamHyper& h) noexcept;
  // Dropout: element i uses 32-bit word i % 4 of Philox 4x32-10 block first_block + i / 4
  // under `key`; mask[i] = (word >> 8) < threshold ? scale : 0 (threshold in [0, 2^24]),
  // out[i] = x[i] * mask[i]. With x == nullptr only the mask is written.
  void (*dropout)(std::ptrdiff_t n, const float* x, float* out, float* mask, std::uint64_t first_block,
                  std::uint64_t key, std::int32_t threshold, float scale) noexcept;
};

namespace scalar { const OptimKernels& optim_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const OptimKernels& optim_kernels() noexcept; }
namespace avx512 { const OptimKernels& optim_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const OptimKernels& optim_kernels() noexcept; }
#endif

}  // namespace axonal
