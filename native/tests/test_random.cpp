#include <cmath>
#include <vector>

#include "axonal/random.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"

// Known-answer vectors from Random123 (kat_vectors, philox4x32 R=10) whose
// counter has its high two words zero, which is the form this library uses.
AXONAL_TEST(philox_matches_random123_known_answers) {
  const axonal::Philox4x32 zero = axonal::philox4x32_10(0, 0);
  EXPECT_EQ(zero.v[0], 0x6627e8d5u);
  EXPECT_EQ(zero.v[1], 0xe169c58du);
  EXPECT_EQ(zero.v[2], 0xbc57ac4cu);
  EXPECT_EQ(zero.v[3], 0x9b00dbd8u);
}

AXONAL_TEST(fill_uniform_is_in_range_and_independent_of_threads) {
  const int before = axonal::num_threads();
  const std::ptrdiff_t n = 100003;
  std::vector<float> first;
  for (int threads : {1, 2, 7}) {
    axonal::set_num_threads(threads);
    std::vector<float> u(static_cast<size_t>(n));
    axonal::fill_uniform(u.data(), n, 42, 8, -2.0f, 3.0f);
    if (first.empty()) {
      first = u;
      double sum = 0;
      for (float v : u) {
        REQUIRE_MSG(v >= -2.0f && v < 3.0f, "value %g out of [-2, 3)", static_cast<double>(v));
        sum += v;
      }
      EXPECT_TRUE(std::fabs(sum / n - 0.5) < 0.02);
    } else {
      for (size_t i = 0; i < u.size(); ++i) REQUIRE_MSG(u[i] == first[i], "threads=%d differs at %zu", threads, i);
    }
  }
  axonal::set_num_threads(before);
}

AXONAL_TEST(fill_streams_continue_where_they_left_off) {
  // Drawing 8 then 8 more equals drawing 16 at once.
  std::vector<float> whole(16), a(8), b(8);
  axonal::fill_uniform(whole.data(), 16, 7, 0, 0.0f, 1.0f);
  axonal::fill_uniform(a.data(), 8, 7, 0, 0.0f, 1.0f);
  axonal::fill_uniform(b.data(), 8, 7, axonal::uniform_words(8), 0.0f, 1.0f);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(whole[static_cast<size_t>(i)], a[static_cast<size_t>(i)]);
    EXPECT_EQ(whole[static_cast<size_t>(i + 8)], b[static_cast<size_t>(i)]);
  }
  EXPECT_EQ(axonal::uniform_words(0), 0u);
  EXPECT_EQ(axonal::uniform_words(5), 8u);
  EXPECT_EQ(axonal::normal_words(3), 4u);
}

AXONAL_TEST(fill_normal_has_the_requested_moments) {
  const std::ptrdiff_t n = 200001;
  std::vector<float> z(static_cast<size_t>(n));
  axonal::fill_normal(z.data(), n, 3, 0, 1.5f, 2.0f);
  double sum = 0, sq = 0;
  for (float v : z) {
    REQUIRE_MSG(std::isfinite(v), "non-finite normal");
    sum += v;
    sq += static_cast<double>(v) * v;
  }
  const double mean = sum / n, var = sq / n - mean * mean;
  EXPECT_TRUE(std::fabs(mean - 1.5) < 0.02);
  EXPECT_TRUE(std::fabs(std::sqrt(var) - 2.0) < 0.02);
}
