// gather and scatter-add along a dimension (native/core/gather_dim.cpp) against plain
// references at awkward sizes (1, primes, a dimension of size 1, n larger and smaller
// than size, inner strides past a column block), duplicate indices summed in order,
// NaN-poisoned gather outputs (every element written), several thread counts (same
// bytes) and invalid arguments (rejected, nothing written).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/gather_dim.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::Status;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

struct Dims {
  std::ptrdiff_t outer, size, inner, n;
};

const Dims kDims[] = {{1, 1, 1, 1}, {1, 7, 1, 3}, {3, 1, 5, 4}, {2, 13, 3, 13}, {5, 2, 1, 31},
                      {1, 3, 300, 2}, {4, 5, 257, 7}, {7, 17, 11, 1}, {2, 1000, 1, 999}};

std::vector<std::int32_t> random_index(std::size_t count, std::ptrdiff_t size, std::uint64_t seed) {
  const std::vector<float> r = axonal_test::random_floats(count, seed);
  std::vector<std::int32_t> index(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::int32_t v = static_cast<std::int32_t>((r[i] + 1.0f) * 0.5f * static_cast<float>(size));
    index[i] = v >= size ? static_cast<std::int32_t>(size - 1) : v;
  }
  return index;
}

}  // namespace

AXONAL_TEST(gather_dim_matches_reference) {
  for (const Dims& d : kDims) {
    const std::vector<float> src = axonal_test::random_floats(static_cast<std::size_t>(d.outer * d.size * d.inner), 3);
    const std::size_t count = static_cast<std::size_t>(d.outer * d.n * d.inner);
    const std::vector<std::int32_t> index = random_index(count, d.size, 4 + static_cast<std::uint64_t>(d.n));
    std::vector<float> out(count, kNaN);
    EXPECT_TRUE(axonal::gather_dim(d.outer, d.size, d.inner, src.data(), d.n, index.data(), out.data()) == Status::kOk);
    for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
      for (std::ptrdiff_t i = 0; i < d.n; ++i) {
        for (std::ptrdiff_t k = 0; k < d.inner; ++k) {
          const std::size_t at = static_cast<std::size_t>((o * d.n + i) * d.inner + k);
          const float want = src[static_cast<std::size_t>((o * d.size + index[at]) * d.inner + k)];
          REQUIRE_MSG(out[at] == want, "[%td, %td, %td] n %td at (%td, %td, %td): %g vs %g", d.outer, d.size, d.inner,
                      d.n, o, i, k, out[at], want);
        }
      }
    }
  }
}

AXONAL_TEST(scatter_add_dim_matches_reference_in_index_order) {
  for (const Dims& d : kDims) {
    const std::size_t count = static_cast<std::size_t>(d.outer * d.n * d.inner);
    const std::vector<float> src = axonal_test::random_floats(count, 5);
    const std::vector<std::int32_t> index = random_index(count, d.size, 6 + static_cast<std::uint64_t>(d.size));
    std::vector<float> out = axonal_test::random_floats(static_cast<std::size_t>(d.outer * d.size * d.inner), 7);
    std::vector<float> want = out;
    for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
      for (std::ptrdiff_t i = 0; i < d.n; ++i) {
        for (std::ptrdiff_t k = 0; k < d.inner; ++k) {
          const std::size_t at = static_cast<std::size_t>((o * d.n + i) * d.inner + k);
          want[static_cast<std::size_t>((o * d.size + index[at]) * d.inner + k)] += src[at];
        }
      }
    }
    EXPECT_TRUE(axonal::scatter_add_dim(d.outer, d.size, d.inner, src.data(), d.n, index.data(), out.data()) ==
                Status::kOk);
    // The same float adds in the same order: bit-identical.
    REQUIRE_MSG(std::memcmp(out.data(), want.data(), out.size() * sizeof(float)) == 0,
                "[%td, %td, %td] n %td differs from the reference", d.outer, d.size, d.inner, d.n);
  }
}

AXONAL_TEST(gather_dim_ops_are_the_same_at_any_thread_count) {
  const Dims d{9, 41, 333, 50};
  const std::size_t count = static_cast<std::size_t>(d.outer * d.n * d.inner);
  const std::vector<float> src = axonal_test::random_floats(count, 8);
  const std::vector<std::int32_t> index = random_index(count, d.size, 9);
  const int before = axonal::num_threads();
  std::vector<float> first;
  for (int threads : {1, 2, 3}) {
    axonal::set_num_threads(threads);
    std::vector<float> out(static_cast<std::size_t>(d.outer * d.size * d.inner), 0.0f);
    axonal::scatter_add_dim(d.outer, d.size, d.inner, src.data(), d.n, index.data(), out.data());
    if (first.empty()) {
      first = out;
    } else {
      EXPECT_TRUE(std::memcmp(first.data(), out.data(), out.size() * sizeof(float)) == 0);
    }
  }
  axonal::set_num_threads(before);
}

AXONAL_TEST(gather_dim_ops_reject_bad_arguments_and_write_nothing) {
  std::vector<float> src(12, 1.0f), out(12, kNaN);
  std::vector<std::int32_t> index(12, 0);
  index[7] = 3;  // size is 3 below: out of range
  EXPECT_TRUE(axonal::gather_dim(2, 3, 2, src.data(), 3, index.data(), out.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::scatter_add_dim(2, 3, 2, src.data(), 3, index.data(), out.data()) == Status::kInvalidArgument);
  index[7] = -1;
  EXPECT_TRUE(axonal::gather_dim(2, 3, 2, src.data(), 3, index.data(), out.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::scatter_add_dim(2, 3, 2, src.data(), 3, index.data(), out.data()) == Status::kInvalidArgument);
  index[7] = 0;
  EXPECT_TRUE(axonal::gather_dim(-1, 3, 2, src.data(), 3, index.data(), out.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::gather_dim(2, 3, 2, src.data(), -3, index.data(), out.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::scatter_add_dim(2, -3, 2, src.data(), 3, index.data(), out.data()) == Status::kInvalidArgument);
  for (float v : out) EXPECT_TRUE(std::isnan(v));
  // size 0 with no index elements is fine and writes nothing.
  EXPECT_TRUE(axonal::gather_dim(2, 0, 2, src.data(), 0, index.data(), out.data()) == Status::kOk);
  for (float v : out) EXPECT_TRUE(std::isnan(v));
}
