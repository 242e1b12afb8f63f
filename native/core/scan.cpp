// Drivers of scan.h. Columns (o, :, k) are independent: the forward scans and the
// cumsum gradient walk a block of up to kCols adjacent columns at once (contiguous
// loads along k, one double accumulator per column); cumprod's gradient walks one
// column at a time (it looks for the column's zeros first). Tasks are fixed blocks of
// columns, so the result does not depend on the thread count.
#include "axonal/scan.h"

#include "axonal/column_blocks.h"

namespace axonal {
namespace {

// Columns scanned side by side.
constexpr std::ptrdiff_t kCols = 64;

bool sizes_ok(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner) noexcept {
  return outer >= 0 && n >= 0 && inner >= 0;
}

// out[o, i, k] = op-accumulation of x[o, 0..i, k] for k in [k0, k1); `reverse` walks i
// from n - 1 down (the reversed cumsum).
template <bool kProd, bool kReverse>
void scan_block(std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, float* out, std::ptrdiff_t k0,
                std::ptrdiff_t k1) noexcept {
  double acc[kCols];
  const std::ptrdiff_t w = k1 - k0;
  for (std::ptrdiff_t c = 0; c < w; ++c) acc[c] = kProd ? 1.0 : 0.0;
  for (std::ptrdiff_t s = 0; s < n; ++s) {
    const std::ptrdiff_t i = kReverse ? n - 1 - s : s;
    const float* xi = x + i * inner + k0;
    float* oi = out + i * inner + k0;
    for (std::ptrdiff_t c = 0; c < w; ++c) {
      if (kProd) {
        acc[c] *= static_cast<double>(xi[c]);
      } else {
        acc[c] += static_cast<double>(xi[c]);
      }
      oi[c] = static_cast<float>(acc[c]);
    }
  }
}

template <bool kProd, bool kReverse>
void scan(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, float* out) noexcept {
  for_column_blocks<kCols>(outer, n, inner, [&](std::ptrdiff_t o, std::ptrdiff_t k0, std::ptrdiff_t k1) {
    scan_block<kProd, kReverse>(n, inner, x + o * n * inner, out + o * n * inner, k0, k1);
  });
}

// cumprod_bwd on one column: element i at x[i * s] (likewise out, g, dx).
void cumprod_bwd_column(std::ptrdiff_t n, std::ptrdiff_t s, const float* x, const float* out, const float* g,
                        float* dx) noexcept {
  std::ptrdiff_t z1 = n, z2 = n;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    if (x[i * s] == 0.0f) {
      if (z1 == n) {
        z1 = i;
      } else {
        z2 = i;
        break;
      }
    }
  }
  // Before the first zero: the reversed cumsum of w = out * g (a float product, as
  // PyTorch's out * grad), in double, rounded, then divided by x in float.
  double acc = 0.0;
  for (std::ptrdiff_t i = z1 - 1; i >= 0; --i) {
    acc += static_cast<double>(out[i * s] * g[i * s]);
    dx[i * s] = static_cast<float>(acc) / x[i * s];
  }
  if (z1 == n) return;
  // The first zero: PyTorch's cumprod of x with ones outside (z1, z2), times the
  // gradient zeroed outside [z1, z2), summed over the whole column from z1 on.
  double p = 1.0, sum = 0.0;
  for (std::ptrdiff_t j = z1; j < n; ++j) {
    if (j > z1 && j < z2) p *= static_cast<double>(x[j * s]);
    const float gj = j < z2 ? g[j * s] : 0.0f;
    sum += static_cast<double>(gj * static_cast<float>(p));
  }
  const float prefix = z1 > 0 ? out[(z1 - 1) * s] : 1.0f;
  dx[z1 * s] = static_cast<float>(sum) * prefix;
  for (std::ptrdiff_t i = z1 + 1; i < n; ++i) dx[i * s] = 0.0f;
}

}  // namespace

Status cumsum_fwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, float* out) noexcept {
  if (!sizes_ok(outer, n, inner)) return Status::kInvalidArgument;
  scan<false, false>(outer, n, inner, x, out);
  return Status::kOk;
}

Status cumprod_fwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, float* out) noexcept {
  if (!sizes_ok(outer, n, inner)) return Status::kInvalidArgument;
  scan<true, false>(outer, n, inner, x, out);
  return Status::kOk;
}

Status cumsum_bwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* g, float* dx) noexcept {
  if (!sizes_ok(outer, n, inner)) return Status::kInvalidArgument;
  scan<false, true>(outer, n, inner, g, dx);
  return Status::kOk;
}

Status cumprod_bwd(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, const float* out,
                   const float* g, float* dx) noexcept {
  if (!sizes_ok(outer, n, inner)) return Status::kInvalidArgument;
  if (n == 1) {
    // PyTorch returns the gradient itself for a dimension of size 1 (even at x = 0, NaN or Inf).
    for_column_blocks<kCols>(outer, n, inner, [&](std::ptrdiff_t o, std::ptrdiff_t k0, std::ptrdiff_t k1) {
      for (std::ptrdiff_t k = k0; k < k1; ++k) dx[o * inner + k] = g[o * inner + k];
    });
    return Status::kOk;
  }
  for_column_blocks<kCols>(outer, n, inner, [&](std::ptrdiff_t o, std::ptrdiff_t k0, std::ptrdiff_t k1) {
    const std::ptrdiff_t base = o * n * inner;
    for (std::ptrdiff_t k = k0; k < k1; ++k) {
      cumprod_bwd_column(n, inner, x + base + k, out + base + k, g + base + k, dx + base + k);
    }
  });
  return Status::kOk;
}

}  // namespace axonal
