#include <cmath>
#include <limits>
#include <vector>

#include "axonal/gemm.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

struct Case {
  bool ta, tb;
  std::ptrdiff_t m, n, k, pad;
  float alpha, beta;
};

// Runs one case on the active ISA; the error bound scales with k * eps times the
// magnitude of the terms summed (|alpha| |A||B| + |beta C|).
void check_case(const Case& c, std::uint64_t seed) {
  const std::ptrdiff_t a_rows = c.ta ? c.k : c.m, a_cols = c.ta ? c.m : c.k;
  const std::ptrdiff_t b_rows = c.tb ? c.n : c.k, b_cols = c.tb ? c.k : c.n;
  const std::ptrdiff_t lda = (a_cols > 0 ? a_cols : 1) + c.pad, ldb = (b_cols > 0 ? b_cols : 1) + c.pad;
  const std::ptrdiff_t ldc = (c.n > 0 ? c.n : 1) + c.pad;
  std::vector<float> a = axonal_test::random_floats(static_cast<size_t>(a_rows * lda + 1), seed);
  std::vector<float> b = axonal_test::random_floats(static_cast<size_t>(b_rows * ldb + 1), seed + 1);
  std::vector<float> cm = axonal_test::random_floats(static_cast<size_t>(c.m * ldc + 1), seed + 2);
  if (c.beta == 0.0f) {
    for (float& v : cm) v = std::numeric_limits<float>::quiet_NaN();  // must not leak into the result
  }
  std::vector<double> ref(cm.begin(), cm.end());
  std::vector<double> mag(cm.size());
  axonal_test::reference_sgemm(c.ta, c.tb, c.m, c.n, c.k, c.alpha, a.data(), lda, b.data(), ldb, c.beta, ref.data(),
                               ldc);
  // |A||B| for the bound.
  std::vector<float> aa(a), bb(b);
  for (float& v : aa) v = std::fabs(v);
  for (float& v : bb) v = std::fabs(v);
  for (size_t i = 0; i < mag.size(); ++i) mag[i] = c.beta == 0.0f ? 0.0 : std::fabs(c.beta * cm[i]);
  axonal_test::reference_sgemm(c.ta, c.tb, c.m, c.n, c.k, std::fabs(c.alpha), aa.data(), lda, bb.data(), ldb,
                               c.beta == 0.0f ? 0.0 : 1.0, mag.data(), ldc);
  const std::vector<float> before = cm;
  axonal::SgemmArgs g;
  g.trans_a = c.ta;
  g.trans_b = c.tb;
  g.m = c.m;
  g.n = c.n;
  g.k = c.k;
  g.alpha = c.alpha;
  g.a = a.data();
  g.lda = lda;
  g.b = b.data();
  g.ldb = ldb;
  g.beta = c.beta;
  g.c = cm.data();
  g.ldc = ldc;
  REQUIRE_MSG(axonal::sgemm(g) == axonal::Status::kOk, "sgemm failed");
  const double eps = std::ldexp(1.0, -24);
  for (std::ptrdiff_t i = 0; i < c.m; ++i) {
    for (std::ptrdiff_t j = 0; j < ldc; ++j) {
      const size_t idx = static_cast<size_t>(i * ldc + j);
      if (j >= c.n) {  // padding between rows must be untouched
        const bool same = (std::isnan(before[idx]) && std::isnan(cm[idx])) || before[idx] == cm[idx];
        REQUIRE_MSG(same, "ta=%d tb=%d m=%td n=%td k=%td: padding C[%td,%td] was written", c.ta, c.tb, c.m, c.n,
                    c.k, i, j);
        continue;
      }
      const double bound = 2.0 * (static_cast<double>(c.k) + 2.0) * eps * mag[idx] + 1e-30;
      const double err = std::fabs(static_cast<double>(cm[idx]) - ref[idx]);
      REQUIRE_MSG(err <= bound, "ta=%d tb=%d m=%td n=%td k=%td alpha=%g beta=%g: C[%td,%td]=%.9g ref %.9g (err %.3g > %.3g)",
                  c.ta, c.tb, c.m, c.n, c.k, static_cast<double>(c.alpha), static_cast<double>(c.beta), i, j,
                  static_cast<double>(cm[idx]), ref[idx], err, bound);
    }
  }
}

}  // namespace

AXONAL_TEST(sgemm_matches_double_reference_at_awkward_sizes) {
  const std::ptrdiff_t sizes[] = {1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 33, 64, 67};
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 1;
    for (bool ta : {false, true}) {
      for (bool tb : {false, true}) {
        for (std::ptrdiff_t m : sizes) {
          for (std::ptrdiff_t n : {1, 7, 16, 33}) {
            for (std::ptrdiff_t k : {1, 2, 17, 64}) {
              check_case({ta, tb, m, n, k, (m + n) % 3, 1.0f, 0.0f}, seed++);
            }
          }
        }
      }
    }
  });
}

AXONAL_TEST(sgemm_alpha_beta_and_degenerate_sizes) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 100;
    for (bool ta : {false, true}) {
      for (bool tb : {false, true}) {
        for (float alpha : {1.0f, -0.5f, 0.0f}) {
          for (float beta : {0.0f, 1.0f, 0.25f}) {
            check_case({ta, tb, 19, 23, 29, 2, alpha, beta}, seed++);
            check_case({ta, tb, 5, 3, 0, 1, alpha, beta}, seed++);   // k = 0: C = beta C
            check_case({ta, tb, 0, 3, 4, 0, alpha, beta}, seed++);   // m = 0
            check_case({ta, tb, 3, 0, 4, 0, alpha, beta}, seed++);   // n = 0
          }
        }
      }
    }
  });
}

AXONAL_TEST(sgemm_results_do_not_depend_on_thread_count) {
  const int before = axonal::num_threads();
  axonal_test::for_each_isa([&](axonal::Isa) {
    const std::ptrdiff_t m = 129, n = 77, k = 300;
    std::vector<float> a = axonal_test::random_floats(static_cast<size_t>(m * k), 7);
    std::vector<float> b = axonal_test::random_floats(static_cast<size_t>(k * n), 8);
    std::vector<float> first;
    for (int threads : {1, 2, 7}) {
      axonal::set_num_threads(threads);
      std::vector<float> c(static_cast<size_t>(m * n), 0.0f);
      axonal::SgemmArgs g;
      g.m = m;
      g.n = n;
      g.k = k;
      g.a = a.data();
      g.lda = k;
      g.b = b.data();
      g.ldb = n;
      g.c = c.data();
      g.ldc = n;
      REQUIRE_MSG(axonal::sgemm(g) == axonal::Status::kOk, "sgemm failed");
      if (first.empty()) {
        first = c;
      } else {
        for (size_t i = 0; i < c.size(); ++i) REQUIRE_MSG(c[i] == first[i], "threads=%d differs at %zu", threads, i);
      }
    }
  });
  axonal::set_num_threads(before);
}

AXONAL_TEST(sgemm_rejects_bad_leading_dimensions) {
  float buf[16] = {0};
  axonal::SgemmArgs g;
  g.m = 2;
  g.n = 2;
  g.k = 3;
  g.a = buf;
  g.b = buf;
  g.c = buf;
  g.lda = 2;  // < k
  g.ldb = 2;
  g.ldc = 2;
  EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kInvalidArgument);
  g.lda = 3;
  g.ldc = 1;  // < n
  EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kInvalidArgument);
  g.ldc = 2;
  g.m = -1;
  EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kInvalidArgument);
}
