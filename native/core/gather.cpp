// Drivers of gather.h. A gather is a copy, so any split gives the same bytes; it is
// split by output rows, a number per task fixed by the sizes. A scatter-add is split
// by outer slices and column blocks, never by i: each output element then belongs to
// one task, which adds its contributions in the order of i, so there are no races and
// the sums are bit-identical at any thread count (and on every ISA: a float add is
// one correctly rounded operation whatever the vector width).
#include "axonal/gather.h"

#include <cstring>

#include "axonal/dispatch.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

// Floats per task; below this one thread does everything (waking the pool would
// cost more than the work).
constexpr std::ptrdiff_t kChunk = std::ptrdiff_t{1} << 15;
// Columns per scatter task when rows are wide: a multiple of every vector width and
// of a cache line, so neighbouring tasks never share a line of out.
constexpr std::ptrdiff_t kColBlock = 512;

std::ptrdiff_t ceil_div(std::ptrdiff_t a, std::ptrdiff_t b) noexcept { return (a + b - 1) / b; }
std::ptrdiff_t min_of(std::ptrdiff_t a, std::ptrdiff_t b) noexcept { return a < b ? a : b; }

bool indices_valid(std::ptrdiff_t n, const std::int32_t* indices, std::ptrdiff_t size) noexcept {
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    if (indices[i] < 0 || indices[i] >= size) return false;
  }
  return true;
}

}  // namespace

Status gather_rows(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                   std::ptrdiff_t n, const std::int32_t* indices, float* out) noexcept {
  if (outer < 0 || size < 0 || inner < 0 || n < 0) return Status::kInvalidArgument;
  if (!indices_valid(n, indices, size)) return Status::kInvalidArgument;
  const std::ptrdiff_t rows = outer * n;
  if (rows == 0 || inner == 0) return Status::kOk;
  const std::ptrdiff_t per = inner >= kChunk ? 1 : kChunk / inner;
  const std::size_t row_bytes = sizeof(float) * static_cast<std::size_t>(inner);
  parallel_for(ceil_div(rows, per), [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r0 = t * per, r1 = min_of(r0 + per, rows);
    std::ptrdiff_t i = r0 % n;
    const float* slice = src + (r0 / n) * size * inner;  // src[o, :, :]
    for (std::ptrdiff_t r = r0; r < r1; ++r) {
      // One float per row (index_select on a last axis): a load, not a memcpy call.
      if (inner == 1) {
        out[r] = slice[indices[i]];
      } else {
        std::memcpy(out + r * inner, slice + indices[i] * inner, row_bytes);
      }
      if (++i == n) {
        i = 0;
        slice += size * inner;
      }
    }
  });
  return Status::kOk;
}

Status scatter_add_rows(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                        std::ptrdiff_t n, const std::int32_t* indices, std::int32_t skip, float* out) noexcept {
  if (outer < 0 || size < 0 || inner < 0 || n < 0) return Status::kInvalidArgument;
  if (skip < -1 || skip >= size) return Status::kInvalidArgument;
  if (!indices_valid(n, indices, size)) return Status::kInvalidArgument;
  if (outer == 0 || n == 0 || inner == 0) return Status::kOk;
  const ReduceKernels& k = *kernels().reduce;
  // Columns [c0, c0 + len) of the slices [o0, o1), the indices walked in order.
  auto add = [&](std::ptrdiff_t o0, std::ptrdiff_t o1, std::ptrdiff_t c0, std::ptrdiff_t len) {
    for (std::ptrdiff_t o = o0; o < o1; ++o) {
      const float* g = src + o * n * inner + c0;
      float* dst = out + o * size * inner + c0;
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        const std::int32_t j = indices[i];
        if (j == skip) continue;
        float* d = dst + j * inner;
        if (len == 1) {
          *d += g[i * inner];
        } else {
          k.binary(BinaryOp::kAdd, len, d, g + i * inner, d);
        }
      }
    }
  };
  if (outer * n * inner < kChunk) {
    add(0, outer, 0, inner);
    return Status::kOk;
  }
  const std::ptrdiff_t blocks = ceil_div(inner, kColBlock);
  const std::ptrdiff_t width = min_of(inner, kColBlock);
  // Outer slices per task so that a task adds about kChunk floats.
  const std::ptrdiff_t per = n * width >= kChunk ? 1 : kChunk / (n * width);
  const std::ptrdiff_t groups = ceil_div(outer, per);
  parallel_for(groups * blocks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t o0 = (t / blocks) * per, c0 = (t % blocks) * kColBlock;
    add(o0, min_of(o0 + per, outer), c0, min_of(kColBlock, inner - c0));
  });
  return Status::kOk;
}

}  // namespace axonal
