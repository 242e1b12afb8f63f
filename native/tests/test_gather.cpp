// Row gather and scatter-add on every ISA against plain loops: duplicates, a skipped
// index, outer > 1, narrow, odd and block-crossing rows, empty index lists, the
// threaded paths, and bit-identical results at 1, 2 and 3 threads.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/gather.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::Status;

struct Case {
  std::ptrdiff_t outer, size, inner, n;
};

// Indices with duplicates by construction: n draws from [0, size), the first index
// repeated at the end so that even n = 2 hits one row twice.
std::vector<std::int32_t> make_indices(std::ptrdiff_t n, std::ptrdiff_t size, std::uint64_t seed) {
  std::vector<std::int32_t> idx(static_cast<size_t>(n));
  std::uint64_t s = seed * 0x9E3779B97F4A7C15ull + 7;
  for (auto& v : idx) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    v = static_cast<std::int32_t>(s % static_cast<std::uint64_t>(size));
  }
  if (n >= 2) idx.back() = idx.front();
  return idx;
}

std::vector<float> reference_gather(const Case& c, const std::vector<float>& src, const std::vector<std::int32_t>& idx) {
  std::vector<float> out(static_cast<size_t>(c.outer * c.n * c.inner));
  for (std::ptrdiff_t o = 0; o < c.outer; ++o)
    for (std::ptrdiff_t i = 0; i < c.n; ++i)
      for (std::ptrdiff_t k = 0; k < c.inner; ++k)
        out[static_cast<size_t>((o * c.n + i) * c.inner + k)] = src[static_cast<size_t>((o * c.size + idx[i]) * c.inner + k)];
  return out;
}

// Float sums in the order of i, as the driver promises: the comparison is exact.
void reference_scatter(const Case& c, const std::vector<float>& g, const std::vector<std::int32_t>& idx, std::int32_t skip,
                       std::vector<float>* out) {
  for (std::ptrdiff_t o = 0; o < c.outer; ++o)
    for (std::ptrdiff_t i = 0; i < c.n; ++i) {
      if (idx[i] == skip) continue;
      for (std::ptrdiff_t k = 0; k < c.inner; ++k)
        (*out)[static_cast<size_t>((o * c.size + idx[i]) * c.inner + k)] += g[static_cast<size_t>((o * c.n + i) * c.inner + k)];
    }
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

void check_case(const Case& c, std::int32_t skip, std::uint64_t seed) {
  const std::vector<float> src = axonal_test::random_floats(static_cast<size_t>(c.outer * c.size * c.inner), seed);
  const std::vector<float> grad = axonal_test::random_floats(static_cast<size_t>(c.outer * c.n * c.inner), seed + 1);
  const std::vector<std::int32_t> idx = make_indices(c.n, c.size, seed + 2);

  // NaN-poisoned output: every element must be written.
  std::vector<float> out(static_cast<size_t>(c.outer * c.n * c.inner), std::numeric_limits<float>::quiet_NaN());
  REQUIRE_MSG(axonal::gather_rows(c.outer, c.size, c.inner, src.data(), c.n, idx.data(), out.data()) == Status::kOk,
              "gather %td,%td,%td n=%td: status", c.outer, c.size, c.inner, c.n);
  REQUIRE_MSG(same_bits(out, reference_gather(c, src, idx)), "gather %td,%td,%td n=%td: differs from the reference",
              c.outer, c.size, c.inner, c.n);

  // Accumulates into a nonzero target, as a gradient that already holds a contribution.
  std::vector<float> acc = axonal_test::random_floats(static_cast<size_t>(c.outer * c.size * c.inner), seed + 3);
  std::vector<float> want = acc;
  reference_scatter(c, grad, idx, skip, &want);
  REQUIRE_MSG(axonal::scatter_add_rows(c.outer, c.size, c.inner, grad.data(), c.n, idx.data(), skip, acc.data()) ==
                  Status::kOk,
              "scatter %td,%td,%td n=%td skip=%d: status", c.outer, c.size, c.inner, c.n, skip);
  REQUIRE_MSG(same_bits(acc, want), "scatter %td,%td,%td n=%td skip=%d: differs from the reference", c.outer, c.size,
              c.inner, c.n, skip);
}

// Small shapes (one task) and shapes past every split: rows per gather task,
// column blocks of 512, outer slices per scatter task, single-float rows.
const Case kLarge[] = {
    {1, 60000 / 100, 784, 64},   // a data-loader batch: 50176 floats, two gather tasks
    {1, 50, 600, 4096},          // scatter: two column blocks, one of 88
    {300, 9, 7, 20},             // scatter: outer slices grouped per task
    {40000, 3, 1, 2},            // single-float rows, many outer slices
    {3, 1000, 1100, 40},         // three column blocks per slice, outer > 1
    {2, 7, 40000, 3},            // rows wider than a task
};

}  // namespace

AXONAL_TEST(gather_and_scatter_match_plain_loops) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 1;
    for (std::ptrdiff_t outer : {1, 3})
      for (std::ptrdiff_t size : {1, 2, 5})
        for (std::ptrdiff_t inner : {0, 1, 3, 16, 17, 515})
          for (std::ptrdiff_t n : {0, 1, 2, 9, 33})
            for (std::int32_t skip : {-1, 0, 1}) {
              if (skip >= size) continue;
              check_case({outer, size, inner, n}, skip, seed++);
            }
    for (const Case& c : kLarge) {
      check_case(c, -1, seed++);
      check_case(c, static_cast<std::int32_t>(c.size / 2), seed++);
    }
  });
}

AXONAL_TEST(gather_and_scatter_are_thread_count_independent) {
  const int before = axonal::num_threads();
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 100;
    for (const Case& c : kLarge) {
      const std::vector<float> src = axonal_test::random_floats(static_cast<size_t>(c.outer * c.size * c.inner), seed);
      const std::vector<float> grad = axonal_test::random_floats(static_cast<size_t>(c.outer * c.n * c.inner), seed + 1);
      const std::vector<std::int32_t> idx = make_indices(c.n, c.size, seed + 2);
      seed += 3;
      std::vector<float> gathered0, scattered0;
      for (int threads : {1, 2, 3}) {
        axonal::set_num_threads(threads);
        std::vector<float> gathered(static_cast<size_t>(c.outer * c.n * c.inner));
        std::vector<float> scattered(static_cast<size_t>(c.outer * c.size * c.inner), 0.25f);
        axonal::gather_rows(c.outer, c.size, c.inner, src.data(), c.n, idx.data(), gathered.data());
        axonal::scatter_add_rows(c.outer, c.size, c.inner, grad.data(), c.n, idx.data(), -1, scattered.data());
        if (threads == 1) {
          gathered0 = gathered;
          scattered0 = scattered;
          continue;
        }
        REQUIRE_MSG(same_bits(gathered, gathered0) && same_bits(scattered, scattered0),
                    "%td,%td,%td n=%td: threads=%d differs from 1 thread", c.outer, c.size, c.inner, c.n, threads);
      }
    }
  });
  axonal::set_num_threads(before);
}

AXONAL_TEST(gather_and_scatter_reject_bad_indices_before_writing) {
  const std::vector<float> src(2 * 4 * 3, 1.0f);
  std::vector<float> out(2 * 3 * 3, 5.0f), acc(2 * 4 * 3, 5.0f);
  for (std::int32_t bad : {-1, 4, std::numeric_limits<std::int32_t>::min()}) {
    const std::int32_t idx[3] = {0, 3, bad};
    EXPECT_TRUE(axonal::gather_rows(2, 4, 3, src.data(), 3, idx, out.data()) == Status::kInvalidArgument);
    EXPECT_TRUE(axonal::scatter_add_rows(2, 4, 3, src.data(), 3, idx, -1, acc.data()) == Status::kInvalidArgument);
  }
  const std::int32_t ok[3] = {0, 3, 1};
  // skip must be -1 or an index; -1 never matches (it is not a valid index).
  for (std::int32_t skip : {-2, 4}) {
    EXPECT_TRUE(axonal::scatter_add_rows(2, 4, 3, src.data(), 3, ok, skip, acc.data()) == Status::kInvalidArgument);
  }
  EXPECT_TRUE(axonal::gather_rows(-1, 4, 3, src.data(), 3, ok, out.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::scatter_add_rows(2, 4, -3, src.data(), 3, ok, -1, acc.data()) == Status::kInvalidArgument);
  for (float v : out) EXPECT_EQ(v, 5.0f);
  for (float v : acc) EXPECT_EQ(v, 5.0f);
  // Nothing to index from: an empty index list is fine, any index is not.
  EXPECT_TRUE(axonal::gather_rows(2, 0, 3, nullptr, 0, nullptr, nullptr) == Status::kOk);
  EXPECT_TRUE(axonal::gather_rows(2, 0, 3, nullptr, 3, ok, out.data()) == Status::kInvalidArgument);
}
