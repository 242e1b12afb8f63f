// Convolution and pooling drivers (core/conv.cpp). Convolution is im2col + sgemm
// per image and group; pooling runs the per-plane kernels over N*C planes. Tasks
// split by channel or plane only, so results do not depend on the thread count.
// Tensors are contiguous NCHW float32; weights use PyTorch's layouts.
#pragma once

#include <cstddef>
#include <cstdint>

#include "axonal/kernels/conv_kernels.h"
#include "axonal/status.h"

namespace axonal {

// Convolution of x [n, c, h, w] with weight [o, c/groups, kh, kw] into y [n, o, oh, ow].
struct Conv2dGeom {
  std::ptrdiff_t n = 0, c = 0, h = 0, w = 0, o = 0;
  std::ptrdiff_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  std::ptrdiff_t groups = 1;
  std::ptrdiff_t oh = 0, ow = 0;  // filled by conv2d_plan
};

// PyTorch's output size floor((in + 2p - d(k-1) - 1)/s) + 1, or -1 if the
// dilated kernel does not fit the padded input.
std::ptrdiff_t conv_output_size(std::ptrdiff_t in, std::ptrdiff_t k, std::ptrdiff_t s, std::ptrdiff_t p,
                                std::ptrdiff_t d) noexcept;
// PyTorch's pooling output size (ceil_mode rule included), or -1 if < 1... or invalid.
std::ptrdiff_t pool_output_size(std::ptrdiff_t in, std::ptrdiff_t k, std::ptrdiff_t s, std::ptrdiff_t p,
                                std::ptrdiff_t d, bool ceil_mode) noexcept;

// Validates g and fills oh/ow. kInvalidArgument if any field is out of range.
Status conv2d_plan(Conv2dGeom* g) noexcept;

// Tests: the column budget above which one image's forward and weight gradient run in
// bands of output rows (floats; <= 0 restores the default, 2^17).
void conv_band_floats_for_testing(std::ptrdiff_t floats) noexcept;

// y = conv(x, weight) + bias (bias may be null).
Status conv2d_fwd(const Conv2dGeom& g, const float* x, const float* weight, const float* bias, float* y) noexcept;
// Gradients of conv2d_fwd, each overwritten, each optional (null: skipped):
// dx needs weight, dweight needs x, dbias needs only dy.
Status conv2d_bwd(const Conv2dGeom& g, const float* x, const float* weight, const float* dy, float* dx,
                  float* dweight, float* dbias) noexcept;

// Transposed convolution: x [n, o, xh, xw] -> y [n, c, h, w] with weight [o, c/groups, kh, kw]
// in the terms of the conv geometry g (x plays conv's output, y conv's input), plus
// bias[c] (may be null): conv2d's input gradient. xh <= g.oh, xw <= g.ow; when an
// output padding of at least the stride makes the conv output larger (g.oh > xh),
// x is extended with zeros at the end.
Status conv_transpose2d_fwd(const Conv2dGeom& g, std::ptrdiff_t xh, std::ptrdiff_t xw, const float* x,
                            const float* weight, const float* bias, float* y) noexcept;
// Its gradients (each optional): dx = conv(dy, weight) cropped to xh x xw; dweight; dbias[c] = sums of dy.
Status conv_transpose2d_bwd(const Conv2dGeom& g, std::ptrdiff_t xh, std::ptrdiff_t xw, const float* x,
                            const float* weight, const float* dy, float* dx, float* dweight, float* dbias) noexcept;

// Pooling over `planes` planes of g.h x g.w into g.oh x g.ow.
Status maxpool2d_fwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* x, float* y, std::int32_t* idx) noexcept;
Status maxpool2d_bwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* dy, const std::int32_t* idx,
                     float* dx) noexcept;
Status avgpool2d_fwd(std::ptrdiff_t planes, const PlaneGeom& g, AvgPoolParams p, const float* x, float* y) noexcept;
Status avgpool2d_bwd(std::ptrdiff_t planes, const PlaneGeom& g, AvgPoolParams p, const float* dy, float* dx) noexcept;
Status adaptive_avgpool2d_fwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* x, float* y) noexcept;
Status adaptive_avgpool2d_bwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* dy, float* dx) noexcept;

}  // namespace axonal
