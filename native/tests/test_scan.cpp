// Cumulative sum and product and their gradients (native/core/scan.cpp) against plain
// references: the forwards as sequential double sums and products per column, cumsum's
// gradient as sum_{j >= i} g[j], cumprod's gradient as its definition
// sum_{j >= k} g[j] * prod_{i <= j, i != k} x[i] (no division, so zeros are exact), on
// inputs with one and several zeros per column, at awkward sizes (1, primes, a dim of
// size 1, wide inner strides, past a task), NaN-poisoned outputs (every element
// written), several thread counts (same bytes) and negative sizes (nothing written).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/scan.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::Status;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

struct Dims {
  std::ptrdiff_t outer, n, inner;
};

const Dims kDims[] = {{1, 1, 1}, {1, 7, 1}, {3, 1, 5}, {2, 13, 3}, {5, 31, 1}, {1, 3, 67}, {4, 2, 129},
                      {7, 17, 11}, {1, 1000, 1}, {3, 257, 71}};

std::size_t volume(const Dims& d) { return static_cast<std::size_t>(d.outer * d.n * d.inner); }

// Inputs with zeros: about one element in `every` is 0 (none when every == 0), the rest
// in [0.5, 1.5) so products stay finite.
std::vector<float> inputs(const Dims& d, std::uint64_t seed, int every) {
  std::vector<float> x = axonal_test::random_floats(volume(d), seed);
  std::vector<float> pick = axonal_test::random_floats(volume(d), seed + 7);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = 1.0f + 0.5f * x[i];
    if (every > 0 && (pick[i] + 1.0f) * static_cast<float>(every) < 2.0f) x[i] = 0.0f;
  }
  return x;
}

float at(const std::vector<float>& v, const Dims& d, std::ptrdiff_t o, std::ptrdiff_t i, std::ptrdiff_t k) {
  return v[static_cast<std::size_t>((o * d.n + i) * d.inner + k)];
}

std::vector<float> ref_scan(const std::vector<float>& x, const Dims& d, bool prod, bool reverse) {
  std::vector<float> out(x.size());
  for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
    for (std::ptrdiff_t k = 0; k < d.inner; ++k) {
      double acc = prod ? 1.0 : 0.0;
      for (std::ptrdiff_t s = 0; s < d.n; ++s) {
        const std::ptrdiff_t i = reverse ? d.n - 1 - s : s;
        acc = prod ? acc * at(x, d, o, i, k) : acc + at(x, d, o, i, k);
        out[static_cast<std::size_t>((o * d.n + i) * d.inner + k)] = static_cast<float>(acc);
      }
    }
  }
  return out;
}

// d/dx[k] of sum_j g[j] * prod_{i <= j} x[i], by definition (O(n^2) per column, in double).
std::vector<double> ref_cumprod_grad(const std::vector<float>& x, const std::vector<float>& g, const Dims& d) {
  std::vector<double> dx(x.size());
  for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
    for (std::ptrdiff_t c = 0; c < d.inner; ++c) {
      for (std::ptrdiff_t k = 0; k < d.n; ++k) {
        double total = 0.0, p = 1.0;  // p = prod_{i <= j, i != k} x[i]
        for (std::ptrdiff_t i = 0; i < k; ++i) p *= at(x, d, o, i, c);
        for (std::ptrdiff_t j = k; j < d.n; ++j) {
          if (j > k) p *= at(x, d, o, j, c);
          total += at(g, d, o, j, c) * p;
        }
        dx[static_cast<std::size_t>((o * d.n + k) * d.inner + c)] = total;
      }
    }
  }
  return dx;
}

// Index of the first element off by more than tol * (1 + |want|), or -1.
std::ptrdiff_t first_off(const std::vector<float>& got, const std::vector<double>& want, double tol) {
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (!(std::fabs(got[i] - want[i]) <= tol * (1.0 + std::fabs(want[i])))) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

}  // namespace

AXONAL_TEST(scan_forwards_match_sequential_double_scans) {
  for (const Dims& d : kDims) {
    const std::vector<float> x = inputs(d, 11 + static_cast<std::uint64_t>(d.n), 9);
    for (bool prod : {false, true}) {
      std::vector<float> out(x.size(), kNaN);
      const auto fn = prod ? axonal::cumprod_fwd : axonal::cumsum_fwd;
      EXPECT_TRUE(fn(d.outer, d.n, d.inner, x.data(), out.data()) == Status::kOk);
      const std::vector<float> want = ref_scan(x, d, prod, false);
      // Same double accumulation in the same order: bit-identical.
      REQUIRE_MSG(std::memcmp(out.data(), want.data(), x.size() * sizeof(float)) == 0,
                  "%s [%td, %td, %td] differs from the reference", prod ? "cumprod" : "cumsum", d.outer, d.n, d.inner);
    }
  }
}

AXONAL_TEST(cumsum_accumulates_in_double_like_pytorch) {
  // 2^24 + 1 + 1 + ...: a float accumulator would stay at 2^24; the double one does not.
  const Dims d{1, 5, 1};
  const float x[] = {16777216.0f, 1.0f, 1.0f, 1.0f, 1.0f};
  float out[5];
  EXPECT_TRUE(axonal::cumsum_fwd(d.outer, d.n, d.inner, x, out) == Status::kOk);
  EXPECT_EQ(out[4], 16777220.0f);
  EXPECT_EQ(out[2], 16777218.0f);
}

AXONAL_TEST(cumsum_bwd_is_the_reversed_cumsum) {
  for (const Dims& d : kDims) {
    const std::vector<float> g = axonal_test::random_floats(volume(d), 5 + static_cast<std::uint64_t>(d.inner));
    std::vector<float> dx(g.size(), kNaN);
    EXPECT_TRUE(axonal::cumsum_bwd(d.outer, d.n, d.inner, g.data(), dx.data()) == Status::kOk);
    std::vector<double> want(g.size());
    for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
      for (std::ptrdiff_t k = 0; k < d.inner; ++k) {
        for (std::ptrdiff_t i = 0; i < d.n; ++i) {
          double s = 0.0;
          for (std::ptrdiff_t j = i; j < d.n; ++j) s += at(g, d, o, j, k);
          want[static_cast<std::size_t>((o * d.n + i) * d.inner + k)] = s;
        }
      }
    }
    const std::ptrdiff_t bad = first_off(dx, want, 1e-6);
    REQUIRE_MSG(bad < 0, "[%td, %td, %td] element %td: %g vs %g", d.outer, d.n, d.inner, bad, dx[bad], want[bad]);
  }
}

AXONAL_TEST(cumprod_bwd_matches_the_definition_with_zeros) {
  // every = 0: no zeros; 9: some columns with one zero; 3: several, adjacent ones included.
  for (int every : {0, 9, 3, 1}) {
    for (const Dims& d : kDims) {
      if (d.n > 300) continue;  // the O(n^2) reference
      const std::vector<float> x = inputs(d, 3 + static_cast<std::uint64_t>(every), every);
      const std::vector<float> g = axonal_test::random_floats(x.size(), 99);
      std::vector<float> out(x.size()), dx(x.size(), kNaN);
      EXPECT_TRUE(axonal::cumprod_fwd(d.outer, d.n, d.inner, x.data(), out.data()) == Status::kOk);
      EXPECT_TRUE(axonal::cumprod_bwd(d.outer, d.n, d.inner, x.data(), out.data(), g.data(), dx.data()) ==
                  Status::kOk);
      const std::vector<double> want = ref_cumprod_grad(x, g, d);
      const std::ptrdiff_t bad = first_off(dx, want, 2e-5 * static_cast<double>(d.n));
      REQUIRE_MSG(bad < 0, "every %d [%td, %td, %td] element %td: %g vs %g", every, d.outer, d.n, d.inner, bad,
                  dx[bad], want[bad]);
    }
  }
}

AXONAL_TEST(cumprod_bwd_special_columns) {
  const Dims d{1, 4, 1};
  const float g[] = {1.0f, 2.0f, 3.0f, 4.0f};
  struct Case {
    float x[4];
    float want[4];
  } cases[] = {
      {{2.0f, 0.0f, 3.0f, 4.0f}, {1.0f, 118.0f, 0.0f, 0.0f}},  // one zero: 2 * (2 + 3*3 + 4*12)
      {{2.0f, 0.0f, 0.0f, 3.0f}, {1.0f, 4.0f, 0.0f, 0.0f}},    // two in a row: only g[1] * 2
      {{0.0f, 0.0f, 0.0f, 0.0f}, {1.0f, 0.0f, 0.0f, 0.0f}},
      {{0.0f, 2.0f, 3.0f, 0.0f}, {1.0f + 4.0f + 18.0f, 0.0f, 0.0f, 0.0f}},
      {{1.0f, 0.0f, kNaN, 2.0f}, {1.0f, kNaN, 0.0f, 0.0f}},  // NaN after the zero reaches it
      // An infinite product past the second zero: PyTorch's 0 * Inf = NaN at the first zero.
      {{0.0f, std::numeric_limits<float>::infinity(), 0.0f, 1.0f}, {kNaN, 0.0f, 0.0f, 0.0f}},
  };
  for (const Case& c : cases) {
    float out[4], dx[4];
    EXPECT_TRUE(axonal::cumprod_fwd(d.outer, d.n, d.inner, c.x, out) == Status::kOk);
    EXPECT_TRUE(axonal::cumprod_bwd(d.outer, d.n, d.inner, c.x, out, g, dx) == Status::kOk);
    for (int i = 0; i < 4; ++i) {
      const bool same = std::isnan(c.want[i]) ? std::isnan(dx[i]) : dx[i] == c.want[i];
      REQUIRE_MSG(same, "x = [%g, %g, %g, %g] element %d: %g, want %g", c.x[0], c.x[1], c.x[2], c.x[3], i, dx[i],
                  c.want[i]);
    }
  }
  // A dimension of size 1: the gradient itself, whatever x is.
  const float x1[] = {0.0f, kNaN, std::numeric_limits<float>::infinity()};
  float out1[3], dx1[3];
  EXPECT_TRUE(axonal::cumprod_fwd(3, 1, 1, x1, out1) == Status::kOk);
  EXPECT_TRUE(axonal::cumprod_bwd(3, 1, 1, x1, out1, g, dx1) == Status::kOk);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(dx1[i], g[i]);
}

AXONAL_TEST(scans_are_the_same_at_any_thread_count) {
  const Dims d{9, 333, 67};
  const std::vector<float> x = inputs(d, 42, 50);
  const std::vector<float> g = axonal_test::random_floats(x.size(), 43);
  const int before = axonal::num_threads();
  std::vector<float> first;
  for (int threads : {1, 2, 3}) {
    axonal::set_num_threads(threads);
    std::vector<float> a(x.size()), b(x.size()), c(x.size()), e(x.size());
    axonal::cumsum_fwd(d.outer, d.n, d.inner, x.data(), a.data());
    axonal::cumprod_fwd(d.outer, d.n, d.inner, x.data(), b.data());
    axonal::cumsum_bwd(d.outer, d.n, d.inner, g.data(), c.data());
    axonal::cumprod_bwd(d.outer, d.n, d.inner, x.data(), b.data(), g.data(), e.data());
    std::vector<float> all;
    for (const auto* v : {&a, &b, &c, &e}) all.insert(all.end(), v->begin(), v->end());
    if (first.empty()) {
      first = all;
    } else {
      EXPECT_TRUE(std::memcmp(first.data(), all.data(), all.size() * sizeof(float)) == 0);
    }
  }
  axonal::set_num_threads(before);
}

AXONAL_TEST(scans_reject_negative_sizes_and_write_nothing) {
  std::vector<float> x(8, 1.0f), out(8, kNaN);
  const Dims bad[] = {{-1, 2, 2}, {2, -1, 2}, {2, 2, -1}};
  for (const Dims& d : bad) {
    EXPECT_TRUE(axonal::cumsum_fwd(d.outer, d.n, d.inner, x.data(), out.data()) == Status::kInvalidArgument);
    EXPECT_TRUE(axonal::cumprod_fwd(d.outer, d.n, d.inner, x.data(), out.data()) == Status::kInvalidArgument);
    EXPECT_TRUE(axonal::cumsum_bwd(d.outer, d.n, d.inner, x.data(), out.data()) == Status::kInvalidArgument);
    EXPECT_TRUE(axonal::cumprod_bwd(d.outer, d.n, d.inner, x.data(), x.data(), x.data(), out.data()) ==
                Status::kInvalidArgument);
  }
  for (float v : out) EXPECT_TRUE(std::isnan(v));
  // Empty views are fine and write nothing.
  EXPECT_TRUE(axonal::cumsum_fwd(0, 3, 2, x.data(), out.data()) == Status::kOk);
  EXPECT_TRUE(axonal::cumprod_bwd(2, 0, 2, x.data(), x.data(), x.data(), out.data()) == Status::kOk);
  for (float v : out) EXPECT_TRUE(std::isnan(v));
}
