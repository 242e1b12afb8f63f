// Drivers of gather_dim.h. Both ops are split by outer slice and block of kCols
// columns (o, :, k0..k1): a gather is a copy, and in a scatter-add each element of out
// then belongs to one task, which adds its contributions in the order of i, so there
// are no races and the sums are the same at any thread count.
#include "axonal/gather_dim.h"

#include "axonal/column_blocks.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kCols = 256;

bool sizes_ok(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, std::ptrdiff_t n) noexcept {
  return outer >= 0 && size >= 0 && inner >= 0 && n >= 0;
}

bool indices_valid(std::ptrdiff_t count, const std::int32_t* index, std::ptrdiff_t size) noexcept {
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    if (index[i] < 0 || index[i] >= size) return false;
  }
  return true;
}

}  // namespace

Status gather_dim(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                  std::ptrdiff_t n, const std::int32_t* index, float* out) noexcept {
  if (!sizes_ok(outer, size, inner, n)) return Status::kInvalidArgument;
  if (!indices_valid(outer * n * inner, index, size)) return Status::kInvalidArgument;
  for_column_blocks<kCols>(outer, n, inner, [&](std::ptrdiff_t o, std::ptrdiff_t k0, std::ptrdiff_t k1) {
    const float* s = src + o * size * inner;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const std::ptrdiff_t row = (o * n + i) * inner;
      for (std::ptrdiff_t k = k0; k < k1; ++k) out[row + k] = s[index[row + k] * inner + k];
    }
  });
  return Status::kOk;
}

Status scatter_add_dim(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                       std::ptrdiff_t n, const std::int32_t* index, float* out) noexcept {
  if (!sizes_ok(outer, size, inner, n)) return Status::kInvalidArgument;
  if (!indices_valid(outer * n * inner, index, size)) return Status::kInvalidArgument;
  for_column_blocks<kCols>(outer, n, inner, [&](std::ptrdiff_t o, std::ptrdiff_t k0, std::ptrdiff_t k1) {
    float* d = out + o * size * inner;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const std::ptrdiff_t row = (o * n + i) * inner;
      for (std::ptrdiff_t k = k0; k < k1; ++k) d[index[row + k] * inner + k] += src[row + k];
    }
  });
  return Status::kOk;
}

}  // namespace axonal
