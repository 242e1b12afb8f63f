// Driver of sort.h. A column is copied to a contiguous scratch line, its positions
// are sorted by a bottom-up stable merge sort (insertion-sorted runs of kRun, then
// merges) and the first k are written out. Tasks are fixed groups of columns, each
// with its own scratch, so the result does not depend on the thread count.
#include "axonal/sort.h"

#include <atomic>
#include <cstdlib>

#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kRun = 16;
constexpr std::ptrdiff_t kChunk = std::ptrdiff_t{1} << 15;

inline bool is_nan(float v) noexcept { return v != v; }

// True when a must come strictly before b: a smaller (larger when descending), NaN
// being larger than everything; equal values (NaN and NaN, -0 and +0) never do.
template <bool kDesc>
inline bool before(float a, float b) noexcept {
  if (kDesc) return a > b || (is_nan(a) && !is_nan(b));
  return a < b || (is_nan(b) && !is_nan(a));
}

// Sorts the positions p[0, n) by v[p[i]]; tmp holds n more. Returns the buffer with
// the result (p or tmp).
template <bool kDesc>
std::int32_t* merge_sort(const float* v, std::int32_t* p, std::int32_t* tmp, std::ptrdiff_t n) noexcept {
  for (std::ptrdiff_t lo = 0; lo < n; lo += kRun) {
    const std::ptrdiff_t hi = lo + kRun < n ? lo + kRun : n;
    for (std::ptrdiff_t i = lo + 1; i < hi; ++i) {
      const std::int32_t e = p[i];
      std::ptrdiff_t j = i;
      for (; j > lo && before<kDesc>(v[e], v[p[j - 1]]); --j) p[j] = p[j - 1];
      p[j] = e;
    }
  }
  std::int32_t* a = p;
  std::int32_t* b = tmp;
  for (std::ptrdiff_t width = kRun; width < n; width *= 2) {
    for (std::ptrdiff_t lo = 0; lo < n; lo += 2 * width) {
      const std::ptrdiff_t mid = lo + width < n ? lo + width : n;
      const std::ptrdiff_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      std::ptrdiff_t i = lo, j = mid, o = lo;
      // The right run's element goes first only if strictly before: stable.
      while (i < mid && j < hi) b[o++] = before<kDesc>(v[a[j]], v[a[i]]) ? a[j++] : a[i++];
      while (i < mid) b[o++] = a[i++];
      while (j < hi) b[o++] = a[j++];
    }
    std::int32_t* t = a;
    a = b;
    b = t;
  }
  return a;
}

template <bool kDesc>
void sort_columns(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, std::ptrdiff_t k,
                  float* values, std::int32_t* indices, std::atomic<bool>* failed) noexcept {
  const std::ptrdiff_t columns = outer * inner;
  std::ptrdiff_t per_task = kChunk / n;
  if (per_task < 1) per_task = 1;
  const std::ptrdiff_t tasks = (columns + per_task - 1) / per_task;
  auto run = [&](std::ptrdiff_t t) {
    // Scratch: the column's values, the positions and the merge buffer.
    void* mem = std::malloc(static_cast<std::size_t>(n) * (sizeof(float) + 2 * sizeof(std::int32_t)));
    if (mem == nullptr) {
      failed->store(true);
      return;
    }
    float* v = static_cast<float*>(mem);
    std::int32_t* p = reinterpret_cast<std::int32_t*>(v + n);
    std::int32_t* tmp = p + n;
    const std::ptrdiff_t c0 = t * per_task;
    const std::ptrdiff_t c1 = c0 + per_task < columns ? c0 + per_task : columns;
    for (std::ptrdiff_t c = c0; c < c1; ++c) {
      const std::ptrdiff_t o = c / inner, col = c % inner;
      const float* xs = x + o * n * inner + col;
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        v[i] = xs[i * inner];
        p[i] = static_cast<std::int32_t>(i);
      }
      const std::int32_t* sorted = merge_sort<kDesc>(v, p, tmp, n);
      float* vo = values + o * k * inner + col;
      std::int32_t* io = indices + o * k * inner + col;
      for (std::ptrdiff_t i = 0; i < k; ++i) {
        vo[i * inner] = v[sorted[i]];
        io[i * inner] = sorted[i];
      }
    }
    std::free(mem);
  };
  if (tasks == 1) {
    run(0);
  } else {
    parallel_for(tasks, run);
  }
}

}  // namespace

Status sort_f32(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, bool descending,
                std::ptrdiff_t k, float* values, std::int32_t* indices) noexcept {
  if (outer < 0 || n < 0 || inner < 0 || k < 0 || k > n) return Status::kInvalidArgument;
  // Positions are int32.
  if (n > 2147483647) return Status::kInvalidArgument;
  if (outer == 0 || inner == 0 || k == 0) return Status::kOk;
  std::atomic<bool> failed{false};
  if (descending) {
    sort_columns<true>(outer, n, inner, x, k, values, indices, &failed);
  } else {
    sort_columns<false>(outer, n, inner, x, k, values, indices, &failed);
  }
  return failed.load() ? Status::kOutOfMemory : Status::kOk;
}

}  // namespace axonal
