// Dropout with masks from the counter-based Philox 4x32-10 stream (random.h): draw
// j of a call uses 32-bit word offset + j of the stream keyed by seed, so a mask
// depends only on (seed, offset, p, shape), never on threads or chunking.
// An element (or channel) is kept when its uniform u (top 24 bits) satisfies
// u < 1 - p; kept entries of the mask hold 1 / (1 - p) (rounded to float, as
// PyTorch's noise.div_(1 - p)), dropped ones 0. p == 1 drops everything.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

// out = x * mask over n elements; mask (n) receives the scaled keep mask. out may be x.
// Returns the 32-bit words consumed (advance offset by it); offset must be a multiple of 4.
std::uint64_t dropout_forward(std::ptrdiff_t n, const float* x, float* out, float* mask, float p,
                              std::uint64_t seed, std::uint64_t offset) noexcept;

// grad_x = grad * mask. grad_x may be grad.
void dropout_backward(std::ptrdiff_t n, const float* grad, const float* mask, float* grad_x) noexcept;

// Channel-wise (Dropout2d/3d): x is [batch, channels, spatial]; one draw per
// (batch, channel), mask has batch*channels entries.
std::uint64_t dropout_channel_forward(std::ptrdiff_t batch, std::ptrdiff_t channels, std::ptrdiff_t spatial,
                                      const float* x, float* out, float* mask, float p, std::uint64_t seed,
                                      std::uint64_t offset) noexcept;
void dropout_channel_backward(std::ptrdiff_t batch, std::ptrdiff_t channels, std::ptrdiff_t spatial,
                              const float* grad, const float* mask, float* grad_x) noexcept;

}  // namespace axonal
