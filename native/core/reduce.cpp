#include "axonal/reduce.h"

#include "axonal/dispatch.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

// Elements per task for elementwise work and whole-array sums; a multiple of every
// vector width. Task boundaries depend on sizes only.
constexpr std::ptrdiff_t kChunk = std::ptrdiff_t{1} << 15;
// Columns per task for reductions along a middle axis (the running output row
// stays in L1 while the axis is walked).
constexpr std::ptrdiff_t kColChunk = 2048;
constexpr int kMaxPartials = 4096;

const ReduceKernels& rk() noexcept { return *kernels().reduce; }

std::ptrdiff_t ceil_div(std::ptrdiff_t a, std::ptrdiff_t b) noexcept { return (a + b - 1) / b; }

template <class F>
void for_chunks(std::ptrdiff_t n, const F& f) noexcept {
  if (n <= 0) return;
  const std::ptrdiff_t tasks = ceil_div(n, kChunk);
  if (tasks == 1) {
    f(std::ptrdiff_t{0}, n);
    return;
  }
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kChunk, i1 = i0 + kChunk < n ? i0 + kChunk : n;
    f(i0, i1 - i0);
  });
}

// Rows per task so that a task covers about kChunk elements.
template <class F>
void for_row_blocks(std::ptrdiff_t rows, std::ptrdiff_t cols, const F& f) noexcept {
  if (rows <= 0 || cols <= 0) return;
  std::ptrdiff_t per = kChunk / cols;
  if (per < 1) per = 1;
  const std::ptrdiff_t tasks = ceil_div(rows, per);
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r0 = t * per, r1 = r0 + per < rows ? r0 + per : rows;
    for (std::ptrdiff_t r = r0; r < r1; ++r) f(r);
  });
}

// Per-chunk partials (fixed chunking), combined in chunk order. Partials beyond
// kMaxPartials are folded into groups of consecutive chunks first, so the result
// still depends on n alone.
template <class F>
double chunked_sum(std::ptrdiff_t n, const F& chunk_sum) noexcept {
  if (n <= 0) return 0.0;
  std::ptrdiff_t chunk = kChunk;
  while (ceil_div(n, chunk) > kMaxPartials) chunk *= 2;
  const std::ptrdiff_t tasks = ceil_div(n, chunk);
  double partial[kMaxPartials];
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * chunk, i1 = i0 + chunk < n ? i0 + chunk : n;
    partial[t] = chunk_sum(i0, i1 - i0);
  });
  double s = 0.0;
  for (std::ptrdiff_t t = 0; t < tasks; ++t) s += partial[t];
  return s;
}

}  // namespace

void binary_2d(BinaryOp op, Broadcast bc, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* a,
               std::ptrdiff_t lda, const float* b, std::ptrdiff_t ldb, float* out, std::ptrdiff_t ldo) noexcept {
  if (rows <= 0 || cols <= 0) return;
  const ReduceKernels& k = rk();
  if (bc == Broadcast::kNone && lda == cols && ldb == cols && ldo == cols) {
    for_chunks(rows * cols, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { k.binary(op, len, a + i0, b + i0, out + i0); });
    return;
  }
  for_row_blocks(rows, cols, [&](std::ptrdiff_t r) {
    const float* ar = a + r * lda;
    float* orow = out + r * ldo;
    switch (bc) {
      case Broadcast::kNone: k.binary(op, cols, ar, b + r * ldb, orow); break;
      case Broadcast::kRow: k.binary(op, cols, ar, b, orow); break;
      case Broadcast::kColumn: k.binary_scalar(op, cols, ar, b[r], orow); break;
    }
  });
}

void binary_2d_backward(BinaryOp op, Broadcast bc, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* a,
                        const float* b, const float* grad, float* grad_a, float* grad_b) noexcept {
  const ReduceKernels& k = rk();
  const std::ptrdiff_t n = rows * cols;
  // grad_a: add/sub: g; mul: g * b'; div: g / b'.
  if (grad_a != nullptr) {
    switch (op) {
      case BinaryOp::kAdd:
      case BinaryOp::kSub: copy(n, grad, grad_a); break;
      case BinaryOp::kMul:
      case BinaryOp::kDiv: binary_2d(op, bc, rows, cols, grad, cols, b, cols, grad_a, cols); break;
    }
  }
  if (grad_b == nullptr) return;
  if (bc == Broadcast::kNone) {
    for_chunks(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) {
      const float* g = grad + i0;
      float* gb = grad_b + i0;
      switch (op) {
        case BinaryOp::kAdd: k.copy(len, g, gb); break;
        case BinaryOp::kSub: k.binary_scalar(BinaryOp::kMul, len, g, -1.0f, gb); break;
        case BinaryOp::kMul: k.binary(BinaryOp::kMul, len, g, a + i0, gb); break;
        case BinaryOp::kDiv:
          // -g * a / b^2, as -(g * a / b) / b
          k.binary(BinaryOp::kMul, len, g, a + i0, gb);
          k.binary(BinaryOp::kDiv, len, gb, b + i0, gb);
          k.binary(BinaryOp::kDiv, len, gb, b + i0, gb);
          k.binary_scalar(BinaryOp::kMul, len, gb, -1.0f, gb);
          break;
      }
    });
    return;
  }
  if (bc == Broadcast::kRow) {
    // grad_b[c] = sum over rows (sign/factor applied after): column sums of g (add/sub)
    // or of g*a (mul/div), accumulated in float row by row per column block.
    const std::ptrdiff_t blocks = ceil_div(cols, kColChunk);
    parallel_for(blocks, [&](std::ptrdiff_t t) {
      const std::ptrdiff_t c0 = t * kColChunk, len = c0 + kColChunk < cols ? kColChunk : cols - c0;
      float* gb = grad_b + c0;
      k.fill(len, 0.0f, gb);
      for (std::ptrdiff_t r = 0; r < rows; ++r) {
        const float* g = grad + r * cols + c0;
        if (op == BinaryOp::kAdd || op == BinaryOp::kSub) {
          k.binary(BinaryOp::kAdd, len, gb, g, gb);
        } else {
          k.mul_acc(len, g, a + r * cols + c0, gb);
        }
      }
      switch (op) {
        case BinaryOp::kAdd:
        case BinaryOp::kMul: break;
        case BinaryOp::kSub: k.binary_scalar(BinaryOp::kMul, len, gb, -1.0f, gb); break;
        case BinaryOp::kDiv:
          k.binary(BinaryOp::kDiv, len, gb, b + c0, gb);
          k.binary(BinaryOp::kDiv, len, gb, b + c0, gb);
          k.binary_scalar(BinaryOp::kMul, len, gb, -1.0f, gb);
          break;
      }
    });
    return;
  }
  // Column broadcast: grad_b[r] = sum over the row (in double).
  for_row_blocks(rows, cols, [&](std::ptrdiff_t r) {
    const float* g = grad + r * cols;
    double s = 0.0;
    switch (op) {
      case BinaryOp::kAdd: s = k.sum(cols, g); break;
      case BinaryOp::kSub: s = -k.sum(cols, g); break;
      case BinaryOp::kMul: s = k.dot(cols, g, a + r * cols); break;
      case BinaryOp::kDiv: s = -k.dot(cols, g, a + r * cols) / (static_cast<double>(b[r]) * b[r]); break;
    }
    grad_b[r] = static_cast<float>(s);
  });
  if (rows > 0 && cols == 0) fill(rows, 0.0f, grad_b);
}

void scale(std::ptrdiff_t n, float alpha, const float* x, float* out) noexcept {
  const ReduceKernels& k = rk();
  for_chunks(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { k.binary_scalar(BinaryOp::kMul, len, x + i0, alpha, out + i0); });
}

void axpy(std::ptrdiff_t n, float alpha, const float* x, float* y) noexcept {
  const ReduceKernels& k = rk();
  for_chunks(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { k.axpy(len, alpha, x + i0, y + i0); });
}

void fill(std::ptrdiff_t n, float value, float* out) noexcept {
  const ReduceKernels& k = rk();
  for_chunks(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { k.fill(len, value, out + i0); });
}

void copy(std::ptrdiff_t n, const float* x, float* out) noexcept {
  if (x == out) return;
  const ReduceKernels& k = rk();
  for_chunks(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { k.copy(len, x + i0, out + i0); });
}

void clamp(std::ptrdiff_t n, const float* x, float lo, float hi, float* out) noexcept {
  const ReduceKernels& k = rk();
  for_chunks(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { k.clamp(len, x + i0, lo, hi, out + i0); });
}

double sum(std::ptrdiff_t n, const float* x) noexcept {
  const ReduceKernels& k = rk();
  return chunked_sum(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { return k.sum(len, x + i0); });
}

double sum_squares(std::ptrdiff_t n, const float* x) noexcept {
  const ReduceKernels& k = rk();
  return chunked_sum(n, [&](std::ptrdiff_t i0, std::ptrdiff_t len) { return k.sum_squares(len, x + i0); });
}

float max_abs(std::ptrdiff_t n, const float* x) noexcept {
  if (n <= 0) return 0.0f;
  const ReduceKernels& k = rk();
  std::ptrdiff_t chunk = kChunk;
  while (ceil_div(n, chunk) > kMaxPartials) chunk *= 2;
  const std::ptrdiff_t tasks = ceil_div(n, chunk);
  float partial[kMaxPartials];
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * chunk, i1 = i0 + chunk < n ? i0 + chunk : n;
    partial[t] = k.max_abs(i1 - i0, x + i0);
  });
  float m = 0.0f;
  for (std::ptrdiff_t t = 0; t < tasks; ++t) {
    const float v = partial[t];
    m = (v != v || m != m) ? v + m : (v > m ? v : m);
  }
  return m;
}

void sum_axis(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* x, float* out,
              bool mean) noexcept {
  if (outer <= 0 || inner <= 0) return;
  const ReduceKernels& k = rk();
  if (axis == 0) {
    fill(outer * inner, mean ? __builtin_nanf("") : 0.0f, out);
    return;
  }
  if (inner == 1) {
    // One contiguous row per output, summed in double.
    for_row_blocks(outer, axis, [&](std::ptrdiff_t o) {
      const double s = k.sum(axis, x + o * axis);
      out[o] = static_cast<float>(mean ? s / static_cast<double>(axis) : s);
    });
    return;
  }
  const std::ptrdiff_t col_blocks = ceil_div(inner, kColChunk);
  parallel_for(outer * col_blocks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t o = t / col_blocks, c0 = (t % col_blocks) * kColChunk;
    const std::ptrdiff_t len = c0 + kColChunk < inner ? kColChunk : inner - c0;
    const float* base = x + o * axis * inner + c0;
    float* dst = out + o * inner + c0;
    k.copy(len, base, dst);
    for (std::ptrdiff_t a = 1; a < axis; ++a) k.binary(BinaryOp::kAdd, len, dst, base + a * inner, dst);
    if (mean) k.binary_scalar(BinaryOp::kDiv, len, dst, static_cast<float>(axis), dst);
  });
}

void sum_axis_backward(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* grad,
                       float* grad_x, bool mean) noexcept {
  if (outer <= 0 || inner <= 0 || axis <= 0) return;
  const ReduceKernels& k = rk();
  for_row_blocks(outer * axis, inner, [&](std::ptrdiff_t row) {
    const std::ptrdiff_t o = row / axis;
    if (mean) {
      k.binary_scalar(BinaryOp::kDiv, inner, grad + o * inner, static_cast<float>(axis), grad_x + row * inner);
    } else {
      k.copy(inner, grad + o * inner, grad_x + row * inner);
    }
  });
}

void max_axis(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* x, float* values,
              std::int32_t* indices) noexcept {
  if (outer <= 0 || inner <= 0 || axis <= 0) return;
  const ReduceKernels& k = rk();
  if (inner == 1) {
    for_row_blocks(outer, axis, [&](std::ptrdiff_t o) {
      const std::ptrdiff_t j = k.argmax(axis, x + o * axis);
      values[o] = x[o * axis + j];
      indices[o] = static_cast<std::int32_t>(j);
    });
    return;
  }
  const std::ptrdiff_t col_blocks = ceil_div(inner, kColChunk);
  parallel_for(outer * col_blocks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t o = t / col_blocks, c0 = (t % col_blocks) * kColChunk;
    const std::ptrdiff_t len = c0 + kColChunk < inner ? kColChunk : inner - c0;
    const float* base = x + o * axis * inner + c0;
    float* best = values + o * inner + c0;
    std::int32_t* idx = indices + o * inner + c0;
    k.copy(len, base, best);
    for (std::ptrdiff_t i = 0; i < len; ++i) idx[i] = 0;
    for (std::ptrdiff_t a = 1; a < axis; ++a) k.max_update(len, base + a * inner, best, idx, static_cast<std::int32_t>(a));
  });
}

void max_axis_backward(std::ptrdiff_t outer, std::ptrdiff_t axis, std::ptrdiff_t inner, const float* grad,
                       const std::int32_t* indices, float* grad_x) noexcept {
  if (outer <= 0 || inner <= 0 || axis <= 0) return;
  const ReduceKernels& k = rk();
  for_row_blocks(outer, axis * inner, [&](std::ptrdiff_t o) {
    float* gx = grad_x + o * axis * inner;
    k.fill(axis * inner, 0.0f, gx);
    for (std::ptrdiff_t i = 0; i < inner; ++i) {
      const std::int32_t j = indices[o * inner + i];
      if (j >= 0 && j < axis) gx[j * inner + i] = grad[o * inner + i];
    }
  });
}

}  // namespace axonal
