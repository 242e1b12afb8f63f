// Norm drivers on every ISA against float64 references: batch norm ([n, c] column
// path and [n, c, s] channel path; batch statistics with the running update, and
// running statistics; with and without affine), layer norm and group norm, forward
// and backward, at awkward sizes (1, primes, 15/16/17, tails, several row blocks),
// data with a large offset (cancellation), and bit-identical results for 1, 2, 7 threads.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "axonal/norm.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using Vec = std::vector<float>;
using DVec = std::vector<double>;

Vec data(std::size_t n, std::uint64_t seed, float scale, float offset) {
  Vec v = axonal_test::random_floats(n, seed);
  for (float& f : v) f = f * scale + offset;
  return v;
}

// Max of |got - want| / (tol_abs + |want|) over the arrays; <= tol passes.
double worst(const float* got, const double* want, std::size_t n) {
  double w = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double e = std::fabs(static_cast<double>(got[i]) - want[i]) / (1.0 + std::fabs(want[i]));
    if (!(e <= w)) w = e;  // NaN counts as worst
  }
  return w;
}

// Normalization reference over "segments": element (i) belongs to statistic stat(i)
// and to affine channel ch(i). Forward and the closed-form backward in double.
struct Ref {
  DVec y, dx, dw, db, mean, var;
};

template <class StatOf, class ChOf>
Ref reference(const Vec& x, const Vec& dy, const float* w, const float* b, std::size_t nstat, std::size_t nch,
              const StatOf& stat, const ChOf& ch, const float* fixed_mean, const float* fixed_var, float eps) {
  const std::size_t n = x.size();
  Ref r;
  r.mean.assign(nstat, 0);
  r.var.assign(nstat, 0);
  DVec cnt(nstat, 0);
  for (std::size_t i = 0; i < n; ++i) {
    r.mean[stat(i)] += x[i];
    cnt[stat(i)] += 1;
  }
  for (std::size_t k = 0; k < nstat; ++k) r.mean[k] /= cnt[k] > 0 ? cnt[k] : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = x[i] - r.mean[stat(i)];
    r.var[stat(i)] += d * d;
  }
  for (std::size_t k = 0; k < nstat; ++k) r.var[k] /= cnt[k] > 0 ? cnt[k] : 1;
  DVec mean = r.mean, var = r.var;
  if (fixed_mean) {
    for (std::size_t k = 0; k < nstat; ++k) {
      mean[k] = fixed_mean[k];
      var[k] = fixed_var[k];
    }
  }
  DVec rstd(nstat), sg(nstat, 0), sgx(nstat, 0);
  for (std::size_t k = 0; k < nstat; ++k) rstd[k] = 1.0 / std::sqrt(var[k] + eps);
  r.y.resize(n);
  r.dx.resize(n);
  r.dw.assign(nch, 0);
  r.db.assign(nch, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = stat(i), c = ch(i);
    const double xh = (x[i] - mean[k]) * rstd[k];
    const double wc = w ? w[c] : 1.0;
    r.y[i] = xh * wc + (b ? b[c] : 0.0);
    r.dw[c] += dy[i] * xh;
    r.db[c] += dy[i];
    sg[k] += dy[i] * wc;
    sgx[k] += dy[i] * wc * xh;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = stat(i);
    const double xh = (x[i] - mean[k]) * rstd[k];
    const double g = dy[i] * (w ? w[ch(i)] : 1.0);
    r.dx[i] = fixed_mean ? g * rstd[k] : rstd[k] * (g - sg[k] / cnt[k] - xh * sgx[k] / cnt[k]);
  }
  return r;
}

struct Out {
  Vec y, sm, sr, dx, dw, db, rm, rv;
};

constexpr double kTol = 2e-5;

// Tolerances from a first-order error analysis: the statistics are accurate to ~1e-7
// relative (checked directly), but the mean is stored as a float, as in PyTorch, so
// x - mean carries an absolute error of |offset| 2^-24, amplified by rstd in y and by
// rstd^2 in dx; dx itself is of the order of rstd.
void check(const char* what, const Out& o, const Ref& r, bool affine, float offset, float eps, bool batch) {
  double maxr = 0;
  for (std::size_t k = 0; k < r.var.size(); ++k) maxr = std::fmax(maxr, 1.0 / std::sqrt(r.var[k] + eps));
  const double mean_err = std::fabs(offset) * std::ldexp(1.0, -23);
  const double tol_y = kTol + 2 * maxr * mean_err;
  const double tol_dx = kTol * (1 + maxr) + 4 * maxr * maxr * mean_err;
  if (batch) {
    DVec rstd(r.var.size());
    for (std::size_t k = 0; k < rstd.size(); ++k) rstd[k] = 1.0 / std::sqrt(r.var[k] + eps);
    REQUIRE_MSG(worst(o.sm.data(), r.mean.data(), r.mean.size()) <= 1e-6 * (1 + std::fabs(offset)),
                "%s: mean error %.3g", what, worst(o.sm.data(), r.mean.data(), r.mean.size()));
    // rstd relative to itself: a cancelling one-pass variance would fail here.
    for (std::size_t k = 0; k < rstd.size(); ++k)
      REQUIRE_MSG(std::fabs(o.sr[k] - rstd[k]) <= 1e-5 * rstd[k] + 1e-6, "%s: rstd[%zu] %.9g vs %.9g", what, k,
                  static_cast<double>(o.sr[k]), rstd[k]);
  }
  REQUIRE_MSG(worst(o.y.data(), r.y.data(), o.y.size()) <= tol_y, "%s: y error %.3g (tol %.3g)", what,
              worst(o.y.data(), r.y.data(), o.y.size()), tol_y);
  REQUIRE_MSG(worst(o.dx.data(), r.dx.data(), o.dx.size()) <= tol_dx, "%s: dx error %.3g (tol %.3g)", what,
              worst(o.dx.data(), r.dx.data(), o.dx.size()), tol_dx);
  if (affine) {
    // Parameter grads are sums over many elements: scale the tolerance by the count.
    const double k = tol_y * std::sqrt(static_cast<double>(o.y.size()) + 1);
    REQUIRE_MSG(worst(o.dw.data(), r.dw.data(), o.dw.size()) <= k, "%s: dweight error %.3g", what,
                worst(o.dw.data(), r.dw.data(), o.dw.size()));
    REQUIRE_MSG(worst(o.db.data(), r.db.data(), o.db.size()) <= k, "%s: dbias error %.3g", what,
                worst(o.db.data(), r.db.data(), o.db.size()));
  }
}

Out run_bn(const Vec& x, const Vec& dy, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s, const Vec& w,
           const Vec& b, bool batch, bool track, const Vec& rm0, const Vec& rv0) {
  Out o;
  o.y.assign(x.size(), NAN);
  o.sm.assign(c, NAN);
  o.sr.assign(c, NAN);
  o.dx.assign(x.size(), NAN);
  o.dw.assign(c, NAN);
  o.db.assign(c, NAN);
  o.rm = rm0;
  o.rv = rv0;
  const float* wp = w.empty() ? nullptr : w.data();
  axonal::Status st = axonal::batch_norm_fwd(x.data(), n, c, s, wp, b.empty() ? nullptr : b.data(),
                                             track ? o.rm.data() : nullptr, track ? o.rv.data() : nullptr, batch, 0.1f,
                                             1e-5f, o.y.data(), o.sm.data(), o.sr.data());
  EXPECT_TRUE(st == axonal::Status::kOk);
  st = axonal::batch_norm_bwd(x.data(), dy.data(), n, c, s, wp, o.sm.data(), o.sr.data(), batch, o.dx.data(),
                              wp ? o.dw.data() : nullptr, wp ? o.db.data() : nullptr);
  EXPECT_TRUE(st == axonal::Status::kOk);
  return o;
}

void bn_case(std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s, float offset, bool affine, bool batch) {
  const std::size_t total = static_cast<std::size_t>(n * c * s);
  const Vec x = data(total, 7 + total, 2.0f, offset), dy = data(total, 9 + total, 1.0f, 0.0f);
  const Vec w = affine ? data(c, 3 + c, 1.0f, 1.0f) : Vec(), b = affine ? data(c, 4 + c, 1.0f, 0.0f) : Vec();
  const Vec rm0 = data(c, 5, 1.0f, offset), rv0 = data(c, 6, 0.5f, 1.0f);
  const Out o = run_bn(x, dy, n, c, s, w, b, batch, true, rm0, rv0);
  auto stat = [&](std::size_t i) { return (i / s) % c; };
  const Ref r = reference(x, dy, affine ? w.data() : nullptr, affine ? b.data() : nullptr, c, c, stat, stat,
                          batch ? nullptr : rm0.data(), batch ? nullptr : rv0.data(), 1e-5f);
  const std::string what = axonal_test::fmt("batch_norm n=%td c=%td s=%td offset=%g affine=%d batch=%d", n, c, s,
                                            offset, affine, batch);
  check(what.c_str(), o, r, affine, offset, 1e-5f, batch);
  if (batch) {
    const double m = static_cast<double>(n * s);
    DVec erm(c), erv(c);
    for (std::ptrdiff_t j = 0; j < c; ++j) {
      erm[j] = 0.9 * rm0[j] + 0.1 * r.mean[j];
      erv[j] = 0.9 * rv0[j] + 0.1 * (m > 1 ? r.var[j] * m / (m - 1) : r.var[j]);
    }
    REQUIRE_MSG(worst(o.rm.data(), erm.data(), c) <= kTol, "%s: running_mean error %.3g", what.c_str(),
                worst(o.rm.data(), erm.data(), c));
    REQUIRE_MSG(worst(o.rv.data(), erv.data(), c) <= kTol, "%s: running_var error %.3g", what.c_str(),
                worst(o.rv.data(), erv.data(), c));
  } else {
    REQUIRE_MSG(std::memcmp(o.rm.data(), rm0.data(), c * sizeof(float)) == 0, "%s: running stats changed in eval",
                what.c_str());
  }
}

AXONAL_TEST(batch_norm_matches_reference) {
  axonal_test::for_each_isa([](axonal::Isa) {
    const std::ptrdiff_t shapes[][3] = {{2, 1, 1},  {2, 3, 1},  {17, 5, 1},  {3, 17, 1},  {7, 33, 1},
                                        {5, 16, 1}, {2, 3, 15}, {3, 2, 16},  {2, 5, 17},  {1, 1, 1000},
                                        {5, 3, 49}, {2, 1, 2},  {1000, 7, 1}, {4, 2, 4099}};
    for (const auto& sh : shapes) {
      for (int mode = 0; mode < 4; ++mode) bn_case(sh[0], sh[1], sh[2], 0.0f, mode & 1, mode & 2);
      bn_case(sh[0], sh[1], sh[2], 1000.0f, true, true);  // cancellation: offset 1000, spread 2
    }
  });
}

AXONAL_TEST(batch_norm_without_running_stats_and_empty) {
  axonal_test::for_each_isa([](axonal::Isa) {
    const Vec x = data(30, 1, 1.0f, 0.0f), dy = data(30, 2, 1.0f, 0.0f);
    const Out o = run_bn(x, dy, 3, 2, 5, Vec(), Vec(), true, false, Vec(2, 0.0f), Vec(2, 1.0f));
    auto stat = [&](std::size_t i) { return (i / 5) % 2; };
    const Ref r = reference(x, dy, nullptr, nullptr, 2, 2, stat, stat, nullptr, nullptr, 1e-5f);
    check("batch_norm without running stats", o, r, false, 0.0f, 1e-5f, true);
    // Eval without running statistics is refused; c = 0 is a no-op.
    Vec y(30), sm(2), sr(2);
    EXPECT_TRUE(axonal::batch_norm_fwd(x.data(), 3, 2, 5, nullptr, nullptr, nullptr, nullptr, false, 0.1f, 1e-5f,
                                       y.data(), sm.data(), sr.data()) == axonal::Status::kInvalidArgument);
    EXPECT_TRUE(axonal::batch_norm_fwd(x.data(), 3, 0, 5, nullptr, nullptr, nullptr, nullptr, true, 0.1f, 1e-5f,
                                       y.data(), sm.data(), sr.data()) == axonal::Status::kOk);
  });
}

void ln_case(std::ptrdiff_t rows, std::ptrdiff_t cols, float offset, bool affine) {
  const std::size_t total = static_cast<std::size_t>(rows * cols);
  const Vec x = data(total, 17 + total, 3.0f, offset), dy = data(total, 19 + total, 1.0f, 0.0f);
  const Vec w = affine ? data(cols, 13 + cols, 1.0f, 1.0f) : Vec(), b = affine ? data(cols, 14, 1.0f, 0.0f) : Vec();
  Out o;
  o.y.assign(total, NAN);
  o.sm.assign(rows, NAN);
  o.sr.assign(rows, NAN);
  o.dx.assign(total, NAN);
  o.dw.assign(cols, NAN);
  o.db.assign(cols, NAN);
  const float* wp = affine ? w.data() : nullptr;
  EXPECT_TRUE(axonal::layer_norm_fwd(x.data(), rows, cols, wp, affine ? b.data() : nullptr, 1e-5f, o.y.data(),
                                     o.sm.data(), o.sr.data()) == axonal::Status::kOk);
  EXPECT_TRUE(axonal::layer_norm_bwd(x.data(), dy.data(), rows, cols, wp, o.sm.data(), o.sr.data(), o.dx.data(),
                                     affine ? o.dw.data() : nullptr, affine ? o.db.data() : nullptr) ==
              axonal::Status::kOk);
  auto stat = [&](std::size_t i) { return i / cols; };
  auto ch = [&](std::size_t i) { return i % cols; };
  const Ref r = reference(x, dy, wp, affine ? b.data() : nullptr, rows, cols, stat, ch, nullptr, nullptr, 1e-5f);
  const std::string what = axonal_test::fmt("layer_norm rows=%td cols=%td offset=%g affine=%d", rows, cols, offset, affine);
  check(what.c_str(), o, r, affine, offset, 1e-5f, true);
}

AXONAL_TEST(layer_norm_matches_reference) {
  axonal_test::for_each_isa([](axonal::Isa) {
    const std::ptrdiff_t shapes[][2] = {{0, 5}, {1, 1}, {3, 15}, {2, 16}, {5, 17}, {4, 1000}, {2000, 33}, {7, 2}};
    for (const auto& sh : shapes) {
      ln_case(sh[0], sh[1], 0.0f, true);
      ln_case(sh[0], sh[1], 0.0f, false);
      ln_case(sh[0], sh[1], 1000.0f, true);
    }
  });
}

void gn_case(std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s, std::ptrdiff_t g, float offset, bool affine) {
  const std::size_t total = static_cast<std::size_t>(n * c * s);
  const Vec x = data(total, 27 + total, 2.0f, offset), dy = data(total, 29 + total, 1.0f, 0.0f);
  const Vec w = affine ? data(c, 23 + c, 1.0f, 1.0f) : Vec(), b = affine ? data(c, 24, 1.0f, 0.0f) : Vec();
  Out o;
  o.y.assign(total, NAN);
  o.sm.assign(n * g, NAN);
  o.sr.assign(n * g, NAN);
  o.dx.assign(total, NAN);
  o.dw.assign(c, NAN);
  o.db.assign(c, NAN);
  const float* wp = affine ? w.data() : nullptr;
  EXPECT_TRUE(axonal::group_norm_fwd(x.data(), n, c, s, g, wp, affine ? b.data() : nullptr, 1e-5f, o.y.data(),
                                     o.sm.data(), o.sr.data()) == axonal::Status::kOk);
  EXPECT_TRUE(axonal::group_norm_bwd(x.data(), dy.data(), n, c, s, g, wp, o.sm.data(), o.sr.data(), o.dx.data(),
                                     affine ? o.dw.data() : nullptr, affine ? o.db.data() : nullptr) ==
              axonal::Status::kOk);
  const std::ptrdiff_t cg = c / g;
  auto stat = [&](std::size_t i) { return i / (cg * s); };
  auto ch = [&](std::size_t i) { return (i / s) % c; };
  const Ref r = reference(x, dy, wp, affine ? b.data() : nullptr, n * g, c, stat, ch, nullptr, nullptr, 1e-5f);
  const std::string what =
      axonal_test::fmt("group_norm n=%td c=%td s=%td groups=%td offset=%g affine=%d", n, c, s, g, offset, affine);
  check(what.c_str(), o, r, affine, offset, 1e-5f, true);
}

AXONAL_TEST(group_norm_matches_reference) {
  axonal_test::for_each_isa([](axonal::Isa) {
    const std::ptrdiff_t shapes[][4] = {{2, 4, 3, 2},  {1, 6, 17, 3}, {3, 8, 16, 8}, {2, 6, 1, 1},
                                        {2, 5, 1, 5},  {1, 1, 1, 1},  {4, 12, 15, 4}, {300, 4, 33, 2}};
    for (const auto& sh : shapes) {
      gn_case(sh[0], sh[1], sh[2], sh[3], 0.0f, true);
      gn_case(sh[0], sh[1], sh[2], sh[3], 0.0f, false);
      gn_case(sh[0], sh[1], sh[2], sh[3], 1000.0f, true);
    }
  });
}

template <class F>
void same_for_threads(const char* what, const F& run) {
  const int before = axonal::num_threads();
  std::vector<Vec> first;
  for (int threads : {1, 2, 7}) {
    axonal::set_num_threads(threads);
    const std::vector<Vec> got = run();
    if (threads == 1) first = got;
    for (std::size_t i = 0; i < got.size(); ++i) {
      REQUIRE_MSG(got[i].size() == first[i].size() &&
                      std::memcmp(got[i].data(), first[i].data(), got[i].size() * sizeof(float)) == 0,
                  "%s: output %zu differs with %d threads", what, i, threads);
    }
  }
  axonal::set_num_threads(before);
}

AXONAL_TEST(norm_bit_identical_for_thread_counts) {
  axonal_test::for_each_isa([](axonal::Isa) {
    // Batch norm: the [n, c] path with several row blocks, and the channel path.
    const std::ptrdiff_t bn_shapes[][3] = {{3000, 33, 1}, {64, 19, 37}};
    for (const auto& sh : bn_shapes) {
      const std::ptrdiff_t n = sh[0], c = sh[1], s = sh[2];
      const std::size_t total = static_cast<std::size_t>(n * c * s);
      const Vec x = data(total, 1, 2.0f, 0.5f), dy = data(total, 2, 1.0f, 0.0f), w = data(c, 3, 1.0f, 1.0f),
                b = data(c, 4, 1.0f, 0.0f);
      same_for_threads("batch_norm", [&] {
        const Out o = run_bn(x, dy, n, c, s, w, b, true, true, Vec(c, 0.0f), Vec(c, 1.0f));
        return std::vector<Vec>{o.y, o.sm, o.sr, o.dx, o.dw, o.db, o.rm, o.rv};
      });
    }
    {
      const std::ptrdiff_t rows = 3001, cols = 37;
      const Vec x = data(rows * cols, 5, 2.0f, 0.5f), dy = data(rows * cols, 6, 1.0f, 0.0f),
                w = data(cols, 7, 1.0f, 1.0f), b = data(cols, 8, 1.0f, 0.0f);
      same_for_threads("layer_norm", [&] {
        Vec y(rows * cols), sm(rows), sr(rows), dx(rows * cols), dw(cols), db(cols);
        axonal::layer_norm_fwd(x.data(), rows, cols, w.data(), b.data(), 1e-5f, y.data(), sm.data(), sr.data());
        axonal::layer_norm_bwd(x.data(), dy.data(), rows, cols, w.data(), sm.data(), sr.data(), dx.data(), dw.data(),
                               db.data());
        return std::vector<Vec>{y, sm, sr, dx, dw, db};
      });
    }
    {
      const std::ptrdiff_t n = 40, c = 12, s = 300, g = 3;
      const Vec x = data(n * c * s, 9, 2.0f, 0.5f), dy = data(n * c * s, 10, 1.0f, 0.0f), w = data(c, 11, 1.0f, 1.0f),
                b = data(c, 12, 1.0f, 0.0f);
      same_for_threads("group_norm", [&] {
        Vec y(n * c * s), sm(n * g), sr(n * g), dx(n * c * s), dw(c), db(c);
        axonal::group_norm_fwd(x.data(), n, c, s, g, w.data(), b.data(), 1e-5f, y.data(), sm.data(), sr.data());
        axonal::group_norm_bwd(x.data(), dy.data(), n, c, s, g, w.data(), sm.data(), sr.data(), dx.data(), dw.data(),
                               db.data());
        return std::vector<Vec>{y, sm, sr, dx, dw, db};
      });
    }
  });
}

}  // namespace
