// Comparisons, where, maximum/minimum and their gradients (native/core/select.cpp)
// against plain references written out case by case: special values (NaN, +-0,
// +-Inf, ties) in every pairing, broadcast (length-1) operands on either side, in
// place, sizes past a task (threaded), NaN-poisoned outputs (every element written),
// and invalid lengths (rejected, nothing written).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/select.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::CompareOp;
using axonal::Status;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Every ordered pair of these values appears in the special-value inputs.
const float kSpecial[] = {kNaN, kInf, -kInf, 0.0f, -0.0f, 1.0f, -1.0f, 2.5f, 1e-40f, -3.0f};
constexpr int kNumSpecial = sizeof(kSpecial) / sizeof(kSpecial[0]);

// a and b of n elements covering every special pair, then random values with ties.
void special_inputs(std::ptrdiff_t n, std::uint64_t seed, std::vector<float>* a, std::vector<float>* b) {
  *a = axonal_test::random_floats(static_cast<std::size_t>(n), seed);
  *b = axonal_test::random_floats(static_cast<std::size_t>(n), seed + 1);
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const std::ptrdiff_t p = i % (kNumSpecial * kNumSpecial + 7);
    if (p < kNumSpecial * kNumSpecial) {
      (*a)[i] = kSpecial[p / kNumSpecial];
      (*b)[i] = kSpecial[p % kNumSpecial];
    } else if (p % 2 == 0) {
      (*b)[i] = (*a)[i];  // a tie between ordinary values
    }
  }
}

bool is_nan(float v) { return v != v; }

// The references, spelled out with isnan and explicit orderings.
float ref_compare(CompareOp op, float x, float y) {
  const bool unordered = std::isnan(x) || std::isnan(y);
  const double dx = x, dy = y;
  bool r = false;
  switch (op) {
    case CompareOp::kEq: r = !unordered && !(dx < dy) && !(dy < dx); break;
    case CompareOp::kNe: r = unordered || dx < dy || dy < dx; break;
    case CompareOp::kLt: r = !unordered && dy - dx > 0; break;
    case CompareOp::kLe: r = !unordered && !(dy - dx < 0); break;
    case CompareOp::kGt: r = !unordered && dx - dy > 0; break;
    case CompareOp::kGe: r = !unordered && !(dx - dy < 0); break;
  }
  return r ? 1.0f : 0.0f;
}

float ref_extremum(bool is_max, float x, float y) {
  if (std::isnan(x) || std::isnan(y)) return kNaN;
  if (x == y) return x;  // a on ties, the sign of a zero included
  return (x > y) == is_max ? x : y;
}

// PyTorch 1.13: where(a == b, g / 2, g), then 0 where a loses (a < b for maximum).
void ref_extremum_bwd(bool is_max, float x, float y, float g, float* da, float* db) {
  if (std::isnan(x) || std::isnan(y)) {
    *da = g;
    *db = g;
  } else if (x == y) {
    *da = g / 2;
    *db = g / 2;
  } else {
    const bool a_wins = (x > y) == is_max;
    *da = a_wins ? g : 0.0f;
    *db = a_wins ? 0.0f : g;
  }
}

// Bit-equal, any NaN matching any NaN.
bool same(float got, float want) {
  if (is_nan(want)) return is_nan(got);
  return std::memcmp(&got, &want, sizeof(float)) == 0;
}

// The first index where got and want differ, or -1.
std::ptrdiff_t first_diff(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!same(got[i], want[i])) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

const CompareOp kCompareOps[] = {CompareOp::kEq, CompareOp::kNe, CompareOp::kLt,
                                 CompareOp::kLe, CompareOp::kGt, CompareOp::kGe};

// n outputs; operand a broadcast (length 1) when bcast_a, likewise b.
void check_binary(std::ptrdiff_t n, bool bcast_a, bool bcast_b, std::uint64_t seed) {
  std::vector<float> a, b;
  special_inputs(n, seed, &a, &b);
  if (bcast_a) a.assign(1, n > 3 ? a[3] : 0.5f);
  if (bcast_b) b.assign(1, n > 5 ? b[5] : -0.0f);
  const std::ptrdiff_t na = static_cast<std::ptrdiff_t>(a.size()), nb = static_cast<std::ptrdiff_t>(b.size());
  auto at = [](const std::vector<float>& v, std::ptrdiff_t i) { return v.size() == 1 ? v[0] : v[static_cast<std::size_t>(i)]; };
  const std::vector<float> g = axonal_test::random_floats(static_cast<std::size_t>(n), seed + 7);
  const std::size_t un = static_cast<std::size_t>(n);

  for (CompareOp op : kCompareOps) {
    std::vector<float> out(un, kNaN), want(un);
    for (std::ptrdiff_t i = 0; i < n; ++i) want[static_cast<std::size_t>(i)] = ref_compare(op, at(a, i), at(b, i));
    REQUIRE_MSG(axonal::compare_f32(op, n, a.data(), na, b.data(), nb, out.data()) == Status::kOk, "compare status");
    const std::ptrdiff_t d = first_diff(out, want);
    REQUIRE_MSG(d < 0, "compare op %d n=%td bcast %d%d: [%td] = %g, want %g", static_cast<int>(op), n, bcast_a,
                bcast_b, d, out[static_cast<std::size_t>(d)], want[static_cast<std::size_t>(d)]);
  }

  for (bool is_max : {true, false}) {
    std::vector<float> out(un, kNaN), want(un), da(un, kNaN), db(un, kNaN), wa(un), wb(un);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const std::size_t k = static_cast<std::size_t>(i);
      want[k] = ref_extremum(is_max, at(a, i), at(b, i));
      ref_extremum_bwd(is_max, at(a, i), at(b, i), g[k], &wa[k], &wb[k]);
    }
    const Status fs = is_max ? axonal::maximum_fwd(n, a.data(), na, b.data(), nb, out.data())
                             : axonal::minimum_fwd(n, a.data(), na, b.data(), nb, out.data());
    REQUIRE_MSG(fs == Status::kOk, "extremum fwd status");
    std::ptrdiff_t d = first_diff(out, want);
    REQUIRE_MSG(d < 0, "%s n=%td bcast %d%d: [%td] = %g, want %g", is_max ? "maximum" : "minimum", n, bcast_a,
                bcast_b, d, out[static_cast<std::size_t>(d)], want[static_cast<std::size_t>(d)]);
    const Status bs = is_max ? axonal::maximum_bwd(n, a.data(), na, b.data(), nb, g.data(), da.data(), db.data())
                             : axonal::minimum_bwd(n, a.data(), na, b.data(), nb, g.data(), da.data(), db.data());
    REQUIRE_MSG(bs == Status::kOk, "extremum bwd status");
    d = first_diff(da, wa);
    REQUIRE_MSG(d < 0, "%s bwd da n=%td bcast %d%d: [%td] = %g, want %g", is_max ? "maximum" : "minimum", n,
                bcast_a, bcast_b, d, da[static_cast<std::size_t>(d)], wa[static_cast<std::size_t>(d)]);
    d = first_diff(db, wb);
    REQUIRE_MSG(d < 0, "%s bwd db n=%td bcast %d%d: [%td] = %g, want %g", is_max ? "maximum" : "minimum", n,
                bcast_a, bcast_b, d, db[static_cast<std::size_t>(d)], wb[static_cast<std::size_t>(d)]);
  }
}

void check_where(std::ptrdiff_t n, bool bc, bool ba, bool bb, std::uint64_t seed) {
  std::vector<float> cond, a, b;
  special_inputs(n, seed, &cond, &a);
  b = axonal_test::random_floats(static_cast<std::size_t>(n), seed + 3);
  // Conditions of +-0 (false), NaN and denormals (true) among the special values.
  if (bc) cond.assign(1, seed % 2 == 0 ? kNaN : -0.0f);
  if (ba) a.assign(1, kInf);
  if (bb) b.assign(1, -0.0f);
  auto at = [](const std::vector<float>& v, std::ptrdiff_t i) { return v.size() == 1 ? v[0] : v[static_cast<std::size_t>(i)]; };
  std::vector<float> out(static_cast<std::size_t>(n), kNaN), want(static_cast<std::size_t>(n));
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const float c = at(cond, i);
    const bool truth = std::isnan(c) || std::fabs(c) > 0.0f;
    want[static_cast<std::size_t>(i)] = truth ? at(a, i) : at(b, i);
  }
  REQUIRE_MSG(axonal::where_f32(n, cond.data(), static_cast<std::ptrdiff_t>(cond.size()), a.data(),
                                static_cast<std::ptrdiff_t>(a.size()), b.data(), static_cast<std::ptrdiff_t>(b.size()),
                                out.data()) == Status::kOk,
              "where status");
  const std::ptrdiff_t d = first_diff(out, want);
  REQUIRE_MSG(d < 0, "where n=%td bcast %d%d%d: [%td] = %g, want %g", n, bc, ba, bb, d,
              out[static_cast<std::size_t>(d)], want[static_cast<std::size_t>(d)]);
}

// One block, a ragged edge, and several blocks of 32768 (threaded).
const std::ptrdiff_t kSizes[] = {0, 1, 2, 7, 100, 101, 1000, (std::ptrdiff_t{1} << 15) + 1, 3 * (std::ptrdiff_t{1} << 15) + 17};

}  // namespace

AXONAL_TEST(select_ops_match_plain_references) {
  std::uint64_t seed = 1;
  for (std::ptrdiff_t n : kSizes)
    for (int mask = 0; mask < 8; ++mask) {
      if (mask < 4) check_binary(n, mask & 1, mask & 2, seed++);
      check_where(n, mask & 1, mask & 2, mask & 4, seed++);
    }
}

AXONAL_TEST(select_ops_are_thread_count_independent) {
  const int before = axonal::num_threads();
  const std::ptrdiff_t n = 5 * (std::ptrdiff_t{1} << 15) + 3;
  for (int threads : {1, 2, 3}) {
    axonal::set_num_threads(threads);
    check_binary(n, false, false, 500);
    check_binary(n, true, false, 501);
    check_where(n, false, true, false, 502);
  }
  axonal::set_num_threads(before);
}

AXONAL_TEST(select_ops_work_in_place) {
  std::vector<float> a, b;
  special_inputs(300, 42, &a, &b);
  std::vector<float> want(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) want[i] = ref_extremum(true, a[i], b[i]);
  std::vector<float> x = a;
  EXPECT_TRUE(axonal::maximum_fwd(300, x.data(), 300, b.data(), 300, x.data()) == Status::kOk);
  EXPECT_TRUE(first_diff(x, want) < 0);
  // out aliasing b while a is a broadcast scalar
  const float s = 0.25f;
  std::vector<float> y = b;
  for (std::size_t i = 0; i < b.size(); ++i) want[i] = ref_compare(CompareOp::kLt, s, b[i]);
  EXPECT_TRUE(axonal::compare_f32(CompareOp::kLt, 300, &s, 1, y.data(), 300, y.data()) == Status::kOk);
  EXPECT_TRUE(first_diff(y, want) < 0);
  // where, in place over the condition
  std::vector<float> c = a;
  for (std::size_t i = 0; i < a.size(); ++i) want[i] = (a[i] != 0.0f) ? b[i] : 7.0f;
  const float seven = 7.0f;
  EXPECT_TRUE(axonal::where_f32(300, c.data(), 300, b.data(), 300, &seven, 1, c.data()) == Status::kOk);
  EXPECT_TRUE(first_diff(c, want) < 0);
}

AXONAL_TEST(select_ops_reject_bad_lengths_and_write_nothing) {
  std::vector<float> a(10, 1.0f), b(10, 2.0f), g(10, 1.0f), out(10, kNaN), da(10, kNaN), db(10, kNaN);
  const struct {
    std::ptrdiff_t n, na, nb;
  } bad[] = {{-1, 1, 1}, {10, 9, 10}, {10, 10, 0}, {10, 2, 10}, {0, 2, 1}, {10, 11, 10}};
  for (const auto& c : bad) {
    EXPECT_TRUE(axonal::compare_f32(CompareOp::kEq, c.n, a.data(), c.na, b.data(), c.nb, out.data()) ==
                Status::kInvalidArgument);
    EXPECT_TRUE(axonal::maximum_fwd(c.n, a.data(), c.na, b.data(), c.nb, out.data()) == Status::kInvalidArgument);
    EXPECT_TRUE(axonal::minimum_fwd(c.n, a.data(), c.na, b.data(), c.nb, out.data()) == Status::kInvalidArgument);
    EXPECT_TRUE(axonal::maximum_bwd(c.n, a.data(), c.na, b.data(), c.nb, g.data(), da.data(), db.data()) ==
                Status::kInvalidArgument);
    EXPECT_TRUE(axonal::minimum_bwd(c.n, a.data(), c.na, b.data(), c.nb, g.data(), da.data(), db.data()) ==
                Status::kInvalidArgument);
    EXPECT_TRUE(axonal::where_f32(c.n, g.data(), 10, a.data(), c.na, b.data(), c.nb, out.data()) ==
                Status::kInvalidArgument);
  }
  // a condition of neither n nor 1 elements
  EXPECT_TRUE(axonal::where_f32(10, g.data(), 9, a.data(), 10, b.data(), 10, out.data()) == Status::kInvalidArgument);
  EXPECT_TRUE(axonal::where_f32(10, g.data(), 0, a.data(), 1, b.data(), 1, out.data()) == Status::kInvalidArgument);
  for (float v : out) EXPECT_TRUE(is_nan(v));
  for (float v : da) EXPECT_TRUE(is_nan(v));
  for (float v : db) EXPECT_TRUE(is_nan(v));
  EXPECT_TRUE(axonal::compare_f32(static_cast<CompareOp>(6), 10, a.data(), 10, b.data(), 10, out.data()) ==
              Status::kInvalidArgument);
}
