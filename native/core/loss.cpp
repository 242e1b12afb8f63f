// Loss drivers: size-determined blocks on the thread pool, per-block partial sums
// combined in block order.
#include "axonal/loss.h"

#include <cstdlib>
#include <cstring>

#include "axonal/dispatch.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kGrain = 1 << 15;  // elements per block

// Runs fn(block) -> double for every block and returns their sum in block order.
template <class F>
Status sum_blocks(std::ptrdiff_t blocks, F fn, double* total) noexcept {
  double stack[64];
  double* part = blocks <= 64 ? stack : static_cast<double*>(std::malloc(sizeof(double) * blocks));
  if (part == nullptr) return Status::kOutOfMemory;
  parallel_for(blocks, [&](std::ptrdiff_t b) { part[b] = fn(b); });
  double s = 0.0;
  for (std::ptrdiff_t b = 0; b < blocks; ++b) s += part[b];
  if (part != stack) std::free(part);
  *total = s;
  return Status::kOk;
}

std::ptrdiff_t rows_per_block(std::ptrdiff_t cols) noexcept {
  const std::ptrdiff_t r = kGrain / (cols > 0 ? cols : 1);
  return r < 1 ? 1 : r;
}

}  // namespace

Status point_loss(PointLoss op, const float* x, const float* t, const float* pos_weight, std::ptrdiff_t cols,
                  float* grad, float* out, std::ptrdiff_t n, float a, Reduction red, double* value) noexcept {
  if (static_cast<int>(op) < 0 || op >= PointLoss::kCount || n < 0) return Status::kInvalidArgument;
  if (pos_weight != nullptr && (cols <= 0 || n % cols != 0)) return Status::kInvalidArgument;
  const PointLossFn fn = kernels().loss->point[static_cast<int>(op)];
  PointLossParams p;
  p.a = a;
  p.scale = red == Reduction::kMean ? static_cast<float>(1.0 / static_cast<double>(n)) : 1.0f;
  double total = 0.0;
  Status st = Status::kOk;
  if (n > 0 && pos_weight == nullptr) {
    st = sum_blocks(
        (n + kGrain - 1) / kGrain,
        [&](std::ptrdiff_t b) {
          const std::ptrdiff_t i0 = b * kGrain;
          const std::ptrdiff_t len = n - i0 < kGrain ? n - i0 : kGrain;
          return fn(x + i0, t + i0, nullptr, grad + i0, out ? out + i0 : nullptr, static_cast<std::size_t>(len), p);
        },
        &total);
  } else if (n > 0) {
    const std::ptrdiff_t rows = n / cols;
    const std::ptrdiff_t per = rows_per_block(cols);
    st = sum_blocks(
        (rows + per - 1) / per,
        [&](std::ptrdiff_t b) {
          const std::ptrdiff_t r1 = (b + 1) * per < rows ? (b + 1) * per : rows;
          double s = 0.0;
          for (std::ptrdiff_t r = b * per; r < r1; ++r) {
            const std::ptrdiff_t i0 = r * cols;
            s += fn(x + i0, t + i0, pos_weight, grad + i0, out ? out + i0 : nullptr, static_cast<std::size_t>(cols), p);
          }
          return s;
        },
        &total);
  }
  if (st != Status::kOk) return st;
  *value = red == Reduction::kMean ? total / static_cast<double>(n) : total;
  return Status::kOk;
}

namespace {

// Sum of the weights of non-ignored targets (the mean's divisor), in row order.
double target_weight(std::ptrdiff_t rows, const std::int32_t* target, const float* weight,
                     std::int32_t ignore_index) noexcept {
  double tw = 0.0;
  for (std::ptrdiff_t r = 0; r < rows; ++r) {
    if (target[r] == ignore_index) continue;
    tw += weight ? static_cast<double>(weight[target[r]]) : 1.0;
  }
  return tw;
}

}  // namespace

Status cross_entropy(const float* x, std::ptrdiff_t rows, std::ptrdiff_t cols, const std::int32_t* target,
                     const float* weight, std::int32_t ignore_index, float label_smoothing, Reduction red,
                     float* grad, float* out, double* value) noexcept {
  if (rows < 0 || cols < 0) return Status::kInvalidArgument;
  const double tw = target_weight(rows, target, weight, ignore_index);
  double wsum = 0.0;
  if (weight) {
    for (std::ptrdiff_t c = 0; c < cols; ++c) wsum += weight[c];
  } else {
    wsum = static_cast<double>(cols);
  }
  CrossEntropyArgs base;
  base.ld = static_cast<std::size_t>(cols);
  base.ld_grad = static_cast<std::size_t>(cols);
  base.cols = static_cast<std::size_t>(cols);
  base.weight = weight;
  base.weight_sum = static_cast<float>(wsum);
  base.ignore_index = ignore_index;
  base.label_smoothing = label_smoothing;
  base.scale = red == Reduction::kMean ? static_cast<float>(1.0 / tw) : 1.0f;
  const CrossEntropyFn fn = kernels().loss->cross_entropy;
  const std::ptrdiff_t per = rows_per_block(cols);
  double total = 0.0;
  if (rows > 0) {
    const Status st = sum_blocks(
        (rows + per - 1) / per,
        [&](std::ptrdiff_t b) {
          const std::ptrdiff_t r0 = b * per;
          const std::ptrdiff_t r1 = r0 + per < rows ? r0 + per : rows;
          CrossEntropyArgs a = base;
          a.x = x + r0 * cols;
          a.grad = grad + r0 * cols;
          a.rows = static_cast<std::size_t>(r1 - r0);
          a.target = target + r0;
          a.out = out ? out + r0 : nullptr;
          return fn(a);
        },
        &total);
    if (st != Status::kOk) return st;
  }
  *value = red == Reduction::kMean ? total / tw : total;
  return Status::kOk;
}

Status nll_loss(const float* x, std::ptrdiff_t rows, std::ptrdiff_t cols, const std::int32_t* target,
                const float* weight, std::int32_t ignore_index, Reduction red, float* grad, float* out,
                double* value) noexcept {
  if (rows < 0 || cols < 0) return Status::kInvalidArgument;
  const double tw = target_weight(rows, target, weight, ignore_index);
  const float scale = red == Reduction::kMean ? static_cast<float>(1.0 / tw) : 1.0f;
  const std::ptrdiff_t per = rows_per_block(cols);
  double total = 0.0;
  if (rows > 0) {
    const Status st = sum_blocks(
        (rows + per - 1) / per,
        [&](std::ptrdiff_t b) {
          const std::ptrdiff_t r0 = b * per;
          const std::ptrdiff_t r1 = r0 + per < rows ? r0 + per : rows;
          if (cols > 0) std::memset(grad + r0 * cols, 0, sizeof(float) * static_cast<std::size_t>((r1 - r0) * cols));
          double s = 0.0;
          for (std::ptrdiff_t r = r0; r < r1; ++r) {
            const std::int32_t t = target[r];
            float loss = 0.0f;
            if (t != ignore_index) {
              const float w = weight ? weight[t] : 1.0f;
              loss = -w * x[r * cols + t];
              grad[r * cols + t] = -w * scale;
            }
            if (out) out[r] = loss;
            s += static_cast<double>(loss);
          }
          return s;
        },
        &total);
    if (st != Status::kOk) return st;
  }
  *value = red == Reduction::kMean ? total / tw : total;
  return Status::kOk;
}

}  // namespace axonal
