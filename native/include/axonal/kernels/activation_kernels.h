// Per-ISA activation kernels: pointwise activations forward and backward, and
// row-wise softmax / log_softmax with their backwards. Formulas and special-value
// behaviour follow PyTorch 1.13 (aten/src/ATen/native/cpu/Activation.cpp,
// UnaryOpsKernel.cpp, SoftMaxKernel.cpp); each op's comment in ActOp says which
// saved tensor its backward reads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

// Pointwise activations. The backward of each reads `src`, which is the forward
// input x unless noted "(reads y)", in which case it is the forward output.
enum class ActOp : int {
  kRelu = 0,     // max(x, 0)
  kLeakyRelu,    // x > 0 ? x : a*x            (a = negative_slope)
  kElu,          // x > 0 ? x : a*(e^x - 1)    (a = alpha)
  kSelu,         // scale * elu(x, alpha) with PyTorch's constants
  kGelu,         // 0.5 x (1 + erf(x / sqrt 2))
  kGeluTanh,     // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
  kSilu,         // x * sigmoid(x)
  kMish,         // x * tanh(softplus(x))
  kSigmoid,      // 1 / (1 + e^-x)             (backward reads y)
  kTanh,         // tanh x                     (backward reads y)
  kSoftplus,     // a*x > b ? x : log1p(e^(a x)) / a   (a = beta, b = threshold)
  kHardtanh,     // clamp(x, a, b)             (a = min_val, b = max_val)
  kHardsigmoid,  // clamp(x + 3, 0, 6) / 6
  kHardswish,    // x * clamp(x + 3, 0, 6) / 6
  // Elementwise math (torch.exp, ...), appended after the activations so their
  // numbering is unchanged. Gradient conventions at 0, kinks and bounds are
  // PyTorch 1.13's (tools/autograd/derivatives.yaml), measured on its vectorised path.
  kExp,          // e^x                        (backward reads y: dy * y)
  kLog,          // log x                      (dy / x: +-Inf at +-0)
  kSqrt,         // sqrt x                     (backward reads y: dy / (2 y))
  kAbs,          // |x|                        (dy * sgn(x); sgn(0) = sgn(NaN) = 0)
  kLog1p,        // log(1 + x)                 (dy / (x + 1))
  kExpm1,        // e^x - 1                    (backward reads y: dy * (y + 1))
  kReciprocal,   // 1 / x                      (backward reads y: -dy * y^2)
  kSquare,       // x * x                      (dy * (2 x))
  kPow,          // x ** a                     (dy * (a * x ** (a - 1)); 0 when a = 0)
  kClamp,        // min(max(x, a), b), NaN kept (dy where a <= x <= b, else 0)
  kCopy,         // y = x (bandwidth reference for benchmarks; backward copies dy)
  kCount
};

// The vector math functions of vmath_<isa>.h, exposed elementwise (y = f(x)) so
// ISA-neutral code (tests) can measure them; accuracy is stated in
// kernels/common/vmath_impl.inc.
enum class VMath : int { kExp = 0, kExpm1, kLog, kLog1p, kTanh, kErf, kSigmoid, kSoftplus, kCount };

struct ActParams {
  float a = 0.0f;
  float b = 0.0f;
};

// y[i] = f(x[i]) for i < n. y may equal x (in place); no partial overlap.
typedef void (*ActFwdFn)(const float* x, float* y, std::size_t n, ActParams p) noexcept;
// dx[i] = dy[i] * f'(src[i]). dx may equal dy or src; no partial overlap.
typedef void (*ActBwdFn)(const float* src, const float* dy, float* dx, std::size_t n, ActParams p) noexcept;
// One row of `cols` elements: softmax / log_softmax forward (y may equal x).
typedef void (*RowFwdFn)(const float* x, float* y, std::size_t cols) noexcept;
// One row: backward from the forward output y and the incoming gradient dy.
typedef void (*RowBwdFn)(const float* y, const float* dy, float* dx, std::size_t cols) noexcept;

struct ActivationKernels {
  ActFwdFn fwd[static_cast<int>(ActOp::kCount)];
  ActBwdFn bwd[static_cast<int>(ActOp::kCount)];
  RowFwdFn softmax_fwd;      // y = e^(x - max) / sum
  RowBwdFn softmax_bwd;      // dx = y * (dy - sum(dy * y))
  RowFwdFn log_softmax_fwd;  // y = (x - max) - log(sum e^(x - max))
  RowBwdFn log_softmax_bwd;  // dx = dy - e^y * sum(dy)
  ActFwdFn vmath[static_cast<int>(VMath::kCount)];
};

namespace scalar { const ActivationKernels& activation_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const ActivationKernels& activation_kernels() noexcept; }
namespace avx512 { const ActivationKernels& activation_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const ActivationKernels& activation_kernels() noexcept; }
#endif

}  // namespace axonal
