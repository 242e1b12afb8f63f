// Per-ISA conv kernels: im2col/col2im packing for the GEMM-based convolution and
// pooling forward/backward, each over one (h, w) plane. Geometry and index
// conventions follow PyTorch 1.13 (aten/src/ATen/native/im2col.h,
// cpu/MaxPoolKernel.cpp, cpu/AvgPoolKernel.cpp, AdaptiveAveragePooling.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

// One input plane h x w mapped to an output plane oh x ow by a kh x kw window with
// stride (sh, sw), zero padding (ph, pw) and dilation (dh, dw). The caller has
// validated every field (sizes >= 0, kernel/stride/dilation >= 1, oh/ow consistent).
struct PlaneGeom {
  std::ptrdiff_t h = 0, w = 0;
  std::ptrdiff_t oh = 0, ow = 0;
  std::ptrdiff_t kh = 1, kw = 1;
  std::ptrdiff_t sh = 1, sw = 1;
  std::ptrdiff_t ph = 0, pw = 0;
  std::ptrdiff_t dh = 1, dw = 1;
};

// col: kh*kw rows of oh*ow, ld (>= oh*ow) floats apart (several images' columns
// side by side); row (ki*kw + kj), column (oy*ow + ox) holds
// x[oy*sh - ph + ki*dh][ox*sw - pw + kj*dw], or 0 outside the plane.
typedef void (*Im2colFn)(const float* x, float* col, std::ptrdiff_t ld, const PlaneGeom& g) noexcept;
// The adjoint: x (h*w, overwritten) = sum of the col entries that im2col copied from each pixel.
typedef void (*Col2imFn)(const float* col, std::ptrdiff_t ld, float* x, const PlaneGeom& g) noexcept;

// y[oy*ow + ox] = max over the window (NaN wins, first maximum kept); idx = its
// flat index iy*w + ix, or -1 (and y = -inf) if the window holds no pixel.
typedef void (*MaxPoolFwdFn)(const float* x, float* y, std::int32_t* idx, const PlaneGeom& g) noexcept;
// dx (h*w, overwritten) = sum of dy over the outputs (oh*ow) whose idx points at each
// pixel; idx entries must be -1 or in [0, h*w). The geometry lets windows that tile
// the plane write dx directly.
typedef void (*MaxPoolBwdFn)(const float* dy, const std::int32_t* idx, float* dx, const PlaneGeom& g) noexcept;

struct AvgPoolParams {
  bool count_include_pad = true;
  std::int64_t divisor_override = 0;  // 0: none
};
// Average over the window (dilation 1) with PyTorch's divisor rules.
typedef void (*AvgPoolFwdFn)(const float* x, float* y, const PlaneGeom& g, AvgPoolParams p) noexcept;
// dx (overwritten) = adjoint of the forward.
typedef void (*AvgPoolBwdFn)(const float* dy, float* dx, const PlaneGeom& g, AvgPoolParams p) noexcept;

// Adaptive average pooling, window of output i: [floor(i*h/oh), ceil((i+1)*h/oh)).
typedef void (*AdaptiveAvgFwdFn)(const float* x, float* y, const PlaneGeom& g) noexcept;
typedef void (*AdaptiveAvgBwdFn)(const float* dy, float* dx, const PlaneGeom& g) noexcept;

struct ConvKernels {
  Im2colFn im2col;
  Col2imFn col2im;
  MaxPoolFwdFn maxpool_fwd;
  MaxPoolBwdFn maxpool_bwd;
  AvgPoolFwdFn avgpool_fwd;
  AvgPoolBwdFn avgpool_bwd;
  AdaptiveAvgFwdFn adaptive_avgpool_fwd;
  AdaptiveAvgBwdFn adaptive_avgpool_bwd;
};

namespace scalar { const ConvKernels& conv_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const ConvKernels& conv_kernels() noexcept; }
namespace avx512 { const ConvKernels& conv_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const ConvKernels& conv_kernels() noexcept; }
#endif

}  // namespace axonal
