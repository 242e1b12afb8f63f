#include "axonal/dropout.h"

#include <cmath>

#include "axonal/dispatch.h"
#include "axonal/random.h"
#include "axonal/reduce.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kValuesPerTask = std::ptrdiff_t{1} << 14;  // a multiple of 4 and of every vector width

float keep_scale(float p) noexcept {
  const float keep = 1.0f - p;
  return keep > 0.0f ? 1.0f / keep : 0.0f;
}

// u = (word >> 8) / 2^24 is kept when u < 1 - p, i.e. when (word >> 8) < ceil((1 - p) 2^24).
std::int32_t keep_threshold(float p) noexcept {
  const double t = std::ceil((1.0 - static_cast<double>(p)) * 16777216.0);
  return t <= 0 ? 0 : (t >= 16777216.0 ? 16777216 : static_cast<std::int32_t>(t));
}

void masked(std::ptrdiff_t n, const float* x, float* out, float* mask, float p, std::uint64_t seed,
            std::uint64_t offset) noexcept {
  const std::int32_t threshold = keep_threshold(p);
  const float scale = keep_scale(p);
  const std::uint64_t first_block = offset / 4;
  const OptimKernels& k = *kernels().optim;
  const std::ptrdiff_t tasks = (n + kValuesPerTask - 1) / kValuesPerTask;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kValuesPerTask, i1 = i0 + kValuesPerTask < n ? i0 + kValuesPerTask : n;
    k.dropout(i1 - i0, x != nullptr ? x + i0 : nullptr, out != nullptr ? out + i0 : nullptr, mask + i0,
              first_block + static_cast<std::uint64_t>(i0 / 4), seed, threshold, scale);
  });
}

}  // namespace

std::uint64_t dropout_forward(std::ptrdiff_t n, const float* x, float* out, float* mask, float p,
                              std::uint64_t seed, std::uint64_t offset) noexcept {
  masked(n, x, out, mask, p, seed, offset);
  return uniform_words(n);
}

void dropout_backward(std::ptrdiff_t n, const float* grad, const float* mask, float* grad_x) noexcept {
  binary_2d(BinaryOp::kMul, Broadcast::kNone, 1, n, grad, n, mask, n, grad_x, n);
}

std::uint64_t dropout_channel_forward(std::ptrdiff_t batch, std::ptrdiff_t channels, std::ptrdiff_t spatial,
                                      const float* x, float* out, float* mask, float p, std::uint64_t seed,
                                      std::uint64_t offset) noexcept {
  const std::ptrdiff_t planes = batch * channels;
  masked(planes, nullptr, nullptr, mask, p, seed, offset);
  binary_2d(BinaryOp::kMul, Broadcast::kColumn, planes, spatial, x, spatial, mask, 1, out, spatial);
  return uniform_words(planes);
}

void dropout_channel_backward(std::ptrdiff_t batch, std::ptrdiff_t channels, std::ptrdiff_t spatial,
                              const float* grad, const float* mask, float* grad_x) noexcept {
  const std::ptrdiff_t planes = batch * channels;
  binary_2d(BinaryOp::kMul, Broadcast::kColumn, planes, spatial, grad, spatial, mask, 1, grad_x, spatial);
}

}  // namespace axonal
