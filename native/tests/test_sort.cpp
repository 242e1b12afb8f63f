// sort / topk (native/core/sort.cpp) against std::stable_sort of (value, position)
// pairs with NaN largest, ascending and descending, on columns full of ties, NaN,
// +-0 and +-Inf, at awkward sizes (1, runs of 15/16/17, primes, 1000), inner strides,
// every k from 0 to n in steps; several thread counts (same bytes) and bad sizes
// (rejected, nothing written).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/sort.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::Status;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Values on a coarse grid (many ties) with NaN, +-0 and +-Inf sprinkled in.
std::vector<float> tie_heavy(std::size_t count, std::uint64_t seed) {
  std::vector<float> v = axonal_test::random_floats(count, seed);
  const float special[] = {kNaN, 0.0f, -0.0f, kInf, -kInf};
  for (std::size_t i = 0; i < count; ++i) {
    v[i] = std::round(v[i] * 4.0f) / 4.0f;
    if (i % 7 == 3) v[i] = special[(i / 7) % 5];
  }
  return v;
}

// The reference order of one column: positions stably sorted, NaN largest.
std::vector<std::int32_t> ref_order(const std::vector<float>& col, bool desc) {
  std::vector<std::int32_t> p(col.size());
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::int32_t>(i);
  std::stable_sort(p.begin(), p.end(), [&](std::int32_t a, std::int32_t b) {
    const float x = col[static_cast<std::size_t>(a)], y = col[static_cast<std::size_t>(b)];
    const bool nx = std::isnan(x), ny = std::isnan(y);
    if (nx || ny) return desc ? (nx && !ny) : (ny && !nx);
    return desc ? x > y : x < y;
  });
  return p;
}

bool same_float(float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0 || (std::isnan(a) && std::isnan(b)); }

}  // namespace

AXONAL_TEST(sort_matches_stable_sort_with_nan_largest) {
  const std::ptrdiff_t sizes[] = {1, 2, 15, 16, 17, 31, 33, 100, 1000};
  const std::ptrdiff_t inners[] = {1, 3, 67};
  for (std::ptrdiff_t n : sizes) {
    for (std::ptrdiff_t inner : inners) {
      const std::ptrdiff_t outer = n > 100 ? 1 : 2;
      const std::vector<float> x = tie_heavy(static_cast<std::size_t>(outer * n * inner), 17 + static_cast<std::uint64_t>(n));
      for (bool desc : {false, true}) {
        for (std::ptrdiff_t k : {std::ptrdiff_t{0}, std::ptrdiff_t{1}, n / 2, n}) {
          const std::size_t count = static_cast<std::size_t>(outer * k * inner);
          std::vector<float> values(count, 12345.0f);
          std::vector<std::int32_t> indices(count, -7);
          EXPECT_TRUE(axonal::sort_f32(outer, n, inner, x.data(), desc, k, values.data(), indices.data()) ==
                      Status::kOk);
          for (std::ptrdiff_t o = 0; o < outer; ++o) {
            for (std::ptrdiff_t c = 0; c < inner; ++c) {
              std::vector<float> col(static_cast<std::size_t>(n));
              for (std::ptrdiff_t i = 0; i < n; ++i) col[static_cast<std::size_t>(i)] = x[static_cast<std::size_t>((o * n + i) * inner + c)];
              const std::vector<std::int32_t> want = ref_order(col, desc);
              for (std::ptrdiff_t i = 0; i < k; ++i) {
                const std::size_t at = static_cast<std::size_t>((o * k + i) * inner + c);
                const std::int32_t w = want[static_cast<std::size_t>(i)];
                REQUIRE_MSG(indices[at] == w && same_float(values[at], col[static_cast<std::size_t>(w)]),
                            "n %td inner %td desc %d k %td column (%td, %td) rank %td: index %d, want %d", n, inner,
                            desc ? 1 : 0, k, o, c, i, indices[at], w);
              }
            }
          }
        }
      }
    }
  }
}

AXONAL_TEST(sort_is_the_same_at_any_thread_count) {
  const std::ptrdiff_t outer = 5, n = 301, inner = 41;
  const std::vector<float> x = tie_heavy(static_cast<std::size_t>(outer * n * inner), 3);
  const int before = axonal::num_threads();
  std::vector<std::int32_t> first;
  for (int threads : {1, 2, 3}) {
    axonal::set_num_threads(threads);
    std::vector<float> values(x.size());
    std::vector<std::int32_t> indices(x.size());
    EXPECT_TRUE(axonal::sort_f32(outer, n, inner, x.data(), true, n, values.data(), indices.data()) == Status::kOk);
    if (first.empty()) {
      first = indices;
    } else {
      EXPECT_TRUE(first == indices);
    }
  }
  axonal::set_num_threads(before);
}

AXONAL_TEST(sort_rejects_bad_sizes_and_writes_nothing) {
  std::vector<float> x(12, 1.0f), values(12, kNaN);
  std::vector<std::int32_t> indices(12, -7);
  EXPECT_TRUE(axonal::sort_f32(2, 3, 2, x.data(), false, 4, values.data(), indices.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::sort_f32(2, 3, 2, x.data(), false, -1, values.data(), indices.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::sort_f32(-2, 3, 2, x.data(), false, 1, values.data(), indices.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::sort_f32(2, 3, -2, x.data(), false, 1, values.data(), indices.data()) == Status::kInvalidArgument);
  for (float v : values) EXPECT_TRUE(std::isnan(v));
  for (std::int32_t i : indices) EXPECT_EQ(i, -7);
  EXPECT_TRUE(axonal::sort_f32(2, 0, 2, x.data(), true, 0, values.data(), indices.data()) == Status::kOk);
}
