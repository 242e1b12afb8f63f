// Activation drivers: split the work into size-determined blocks and run the
// active ISA's kernels on the thread pool.
#include "axonal/activation.h"

#include "axonal/dispatch.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

// Elements per task for pointwise work (a multiple of every SIMD width).
constexpr std::ptrdiff_t kGrain = 1 << 15;

bool valid_op(ActOp op) noexcept { return static_cast<int>(op) >= 0 && op < ActOp::kCount; }

std::ptrdiff_t rows_per_task(std::ptrdiff_t cols) noexcept {
  const std::ptrdiff_t r = kGrain / (cols > 0 ? cols : 1);
  return r < 1 ? 1 : r;
}

}  // namespace

Status activation_fwd(ActOp op, const float* x, float* y, std::ptrdiff_t n, ActParams p) noexcept {
  if (!valid_op(op) || n < 0) return Status::kInvalidArgument;
  if (n == 0) return Status::kOk;
  const ActFwdFn fn = kernels().activation->fwd[static_cast<int>(op)];
  const std::ptrdiff_t tasks = (n + kGrain - 1) / kGrain;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kGrain;
    const std::ptrdiff_t len = n - i0 < kGrain ? n - i0 : kGrain;
    fn(x + i0, y + i0, static_cast<std::size_t>(len), p);
  });
  return Status::kOk;
}

Status activation_bwd(ActOp op, const float* src, const float* dy, float* dx, std::ptrdiff_t n, ActParams p) noexcept {
  if (!valid_op(op) || n < 0) return Status::kInvalidArgument;
  if (n == 0) return Status::kOk;
  const ActBwdFn fn = kernels().activation->bwd[static_cast<int>(op)];
  const std::ptrdiff_t tasks = (n + kGrain - 1) / kGrain;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kGrain;
    const std::ptrdiff_t len = n - i0 < kGrain ? n - i0 : kGrain;
    fn(src + i0, dy + i0, dx + i0, static_cast<std::size_t>(len), p);
  });
  return Status::kOk;
}

Status activation_fwd_2d(ActOp op, const float* x, std::ptrdiff_t ldx, float* y, std::ptrdiff_t ldy,
                         std::ptrdiff_t rows, std::ptrdiff_t cols, ActParams p) noexcept {
  if (!valid_op(op) || rows < 0 || cols < 0 || ldx < cols || ldy < cols) return Status::kInvalidArgument;
  if (rows == 0 || cols == 0) return Status::kOk;
  const ActFwdFn fn = kernels().activation->fwd[static_cast<int>(op)];
  const std::ptrdiff_t per = rows_per_task(cols);
  parallel_for((rows + per - 1) / per, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r1 = (t + 1) * per < rows ? (t + 1) * per : rows;
    for (std::ptrdiff_t r = t * per; r < r1; ++r) fn(x + r * ldx, y + r * ldy, static_cast<std::size_t>(cols), p);
  });
  return Status::kOk;
}

Status activation_bwd_2d(ActOp op, const float* src, std::ptrdiff_t ld_src, const float* dy, std::ptrdiff_t ld_dy,
                         float* dx, std::ptrdiff_t ld_dx, std::ptrdiff_t rows, std::ptrdiff_t cols,
                         ActParams p) noexcept {
  if (!valid_op(op) || rows < 0 || cols < 0 || ld_src < cols || ld_dy < cols || ld_dx < cols)
    return Status::kInvalidArgument;
  if (rows == 0 || cols == 0) return Status::kOk;
  const ActBwdFn fn = kernels().activation->bwd[static_cast<int>(op)];
  const std::ptrdiff_t per = rows_per_task(cols);
  parallel_for((rows + per - 1) / per, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r1 = (t + 1) * per < rows ? (t + 1) * per : rows;
    for (std::ptrdiff_t r = t * per; r < r1; ++r)
      fn(src + r * ld_src, dy + r * ld_dy, dx + r * ld_dx, static_cast<std::size_t>(cols), p);
  });
  return Status::kOk;
}

Status softmax_fwd(bool log, const float* x, std::ptrdiff_t ldx, float* y, std::ptrdiff_t ldy, std::ptrdiff_t rows,
                   std::ptrdiff_t cols) noexcept {
  if (rows < 0 || cols < 0 || ldx < cols || ldy < cols) return Status::kInvalidArgument;
  if (rows == 0 || cols == 0) return Status::kOk;
  const ActivationKernels& k = *kernels().activation;
  const RowFwdFn fn = log ? k.log_softmax_fwd : k.softmax_fwd;
  const std::ptrdiff_t per = rows_per_task(cols);
  parallel_for((rows + per - 1) / per, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r1 = (t + 1) * per < rows ? (t + 1) * per : rows;
    for (std::ptrdiff_t r = t * per; r < r1; ++r) fn(x + r * ldx, y + r * ldy, static_cast<std::size_t>(cols));
  });
  return Status::kOk;
}

Status softmax_bwd(bool log, const float* y, std::ptrdiff_t ldy, const float* dy, std::ptrdiff_t lddy, float* dx,
                   std::ptrdiff_t lddx, std::ptrdiff_t rows, std::ptrdiff_t cols) noexcept {
  if (rows < 0 || cols < 0 || ldy < cols || lddy < cols || lddx < cols) return Status::kInvalidArgument;
  if (rows == 0 || cols == 0) return Status::kOk;
  const ActivationKernels& k = *kernels().activation;
  const RowBwdFn fn = log ? k.log_softmax_bwd : k.softmax_bwd;
  const std::ptrdiff_t per = rows_per_task(cols);
  parallel_for((rows + per - 1) / per, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r1 = (t + 1) * per < rows ? (t + 1) * per : rows;
    for (std::ptrdiff_t r = t * per; r < r1; ++r)
      fn(y + r * ldy, dy + r * lddy, dx + r * lddx, static_cast<std::size_t>(cols));
  });
  return Status::kOk;
}

}  // namespace axonal
