#include "axonal/dropout.h"

#include "axonal/dispatch.h"
#include "axonal/random.h"
#include "axonal/reduce.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kValuesPerTask = std::ptrdiff_t{1} << 14;  // a multiple of 4

// Fills mask[i0:i1) for draws i0.. of the stream (i0 a multiple of 4).
void fill_mask(float* mask, std::ptrdiff_t i0, std::ptrdiff_t i1, std::uint64_t first_block, std::uint64_t seed,
               double keep, float scale) noexcept {
  for (std::ptrdiff_t i = i0; i < i1; i += 4) {
    const Philox4x32 r = philox4x32_10(first_block + static_cast<std::uint64_t>(i / 4), seed);
    for (int l = 0; l < 4 && i + l < i1; ++l) {
      const double u = (r.v[l] >> 8) * (1.0 / 16777216.0);
      mask[i + l] = u < keep ? scale : 0.0f;
    }
  }
}

float keep_scale(float p) noexcept {
  const float keep = 1.0f - p;
  return keep > 0.0f ? 1.0f / keep : 0.0f;
}

}  // namespace

std::uint64_t dropout_forward(std::ptrdiff_t n, const float* x, float* out, float* mask, float p,
                              std::uint64_t seed, std::uint64_t offset) noexcept {
  const double keep = 1.0 - static_cast<double>(p);
  const float scale = keep_scale(p);
  const std::uint64_t first_block = offset / 4;
  const ReduceKernels& k = *kernels().reduce;
  const std::ptrdiff_t tasks = (n + kValuesPerTask - 1) / kValuesPerTask;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kValuesPerTask, i1 = i0 + kValuesPerTask < n ? i0 + kValuesPerTask : n;
    fill_mask(mask, i0, i1, first_block, seed, keep, scale);
    k.binary(BinaryOp::kMul, i1 - i0, x + i0, mask + i0, out + i0);
  });
  return uniform_words(n);
}

void dropout_backward(std::ptrdiff_t n, const float* grad, const float* mask, float* grad_x) noexcept {
  binary_2d(BinaryOp::kMul, Broadcast::kNone, 1, n, grad, n, mask, n, grad_x, n);
}

std::uint64_t dropout_channel_forward(std::ptrdiff_t batch, std::ptrdiff_t channels, std::ptrdiff_t spatial,
                                      const float* x, float* out, float* mask, float p, std::uint64_t seed,
                                      std::uint64_t offset) noexcept {
  const std::ptrdiff_t planes = batch * channels;
  const double keep = 1.0 - static_cast<double>(p);
  const float scale = keep_scale(p);
  const std::uint64_t first_block = offset / 4;
  const std::ptrdiff_t tasks = (planes + kValuesPerTask - 1) / kValuesPerTask;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kValuesPerTask, i1 = i0 + kValuesPerTask < planes ? i0 + kValuesPerTask : planes;
    fill_mask(mask, i0, i1, first_block, seed, keep, scale);
  });
  binary_2d(BinaryOp::kMul, Broadcast::kColumn, planes, spatial, x, spatial, mask, 1, out, spatial);
  return uniform_words(planes);
}

void dropout_channel_backward(std::ptrdiff_t batch, std::ptrdiff_t channels, std::ptrdiff_t spatial,
                              const float* grad, const float* mask, float* grad_x) noexcept {
  const std::ptrdiff_t planes = batch * channels;
  binary_2d(BinaryOp::kMul, Broadcast::kColumn, planes, spatial, grad, spatial, mask, 1, grad_x, spatial);
}

}  // namespace axonal
