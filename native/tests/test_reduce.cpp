// Reduce kernels and drivers on every ISA against float64 references.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "axonal/reduce.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::BinaryOp;
using axonal::Broadcast;

const std::ptrdiff_t kSizes[] = {0, 1, 15, 16, 17, 31, 33, 1000003};
const float kNaN = std::numeric_limits<float>::quiet_NaN();

double apply(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::kAdd: return a + b;
    case BinaryOp::kSub: return a - b;
    case BinaryOp::kMul: return a * b;
    case BinaryOp::kDiv: return a / b;
  }
  return 0;
}

bool same_float(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// out = a op b' over strided views; each element is one IEEE op, so float(double op) must match exactly.
void check_binary(BinaryOp op, Broadcast bc, std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t pad,
                  std::uint64_t seed) {
  const std::ptrdiff_t lda = cols + pad, ldb = cols + 2 * pad, ldo = cols + pad + 1;
  std::vector<float> a = axonal_test::random_floats(static_cast<size_t>(rows * lda + 1), seed);
  const std::ptrdiff_t nb = bc == Broadcast::kNone ? rows * ldb + 1 : (bc == Broadcast::kRow ? cols : rows);
  std::vector<float> b = axonal_test::random_floats(static_cast<size_t>(nb), seed + 1);
  for (float& v : b) v += (v >= 0 ? 0.25f : -0.25f);  // keep divisors away from 0
  if (!a.empty()) a[0] = kNaN;                          // NaN propagates elementwise
  std::vector<float> out(static_cast<size_t>(rows * ldo + 1), 7.0f);
  axonal::binary_2d(op, bc, rows, cols, a.data(), lda, b.data(), ldb, out.data(), ldo);
  for (std::ptrdiff_t r = 0; r < rows; ++r) {
    for (std::ptrdiff_t c = 0; c < ldo; ++c) {
      const float got = out[static_cast<size_t>(r * ldo + c)];
      if (c >= cols) {
        REQUIRE_MSG(got == 7.0f, "op=%d bc=%d %tdx%td: padding out[%td,%td] written", static_cast<int>(op),
                    static_cast<int>(bc), rows, cols, r, c);
        continue;
      }
      const double bv = bc == Broadcast::kNone ? b[static_cast<size_t>(r * ldb + c)]
                                               : (bc == Broadcast::kRow ? b[static_cast<size_t>(c)] : b[static_cast<size_t>(r)]);
      const float want = static_cast<float>(apply(op, a[static_cast<size_t>(r * lda + c)], bv));
      REQUIRE_MSG(same_float(got, want), "op=%d bc=%d %tdx%td: out[%td,%td]=%.9g want %.9g", static_cast<int>(op),
                  static_cast<int>(bc), rows, cols, r, c, static_cast<double>(got), static_cast<double>(want));
    }
  }
}

}  // namespace

AXONAL_TEST(reduce_binary_broadcast_matches_reference) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 1;
    for (int op = 0; op < 4; ++op) {
      for (int bc = 0; bc < 3; ++bc) {
        for (std::ptrdiff_t rows : {0, 1, 3, 17}) {
          for (std::ptrdiff_t cols : {0, 1, 15, 16, 17, 33}) {
            for (std::ptrdiff_t pad : {0, 3}) {
              check_binary(static_cast<BinaryOp>(op), static_cast<Broadcast>(bc), rows, cols, pad, seed++);
            }
          }
        }
      }
    }
    for (std::ptrdiff_t n : kSizes) {
      for (int op = 0; op < 4; ++op) check_binary(static_cast<BinaryOp>(op), Broadcast::kNone, 1, n, 0, seed++);
    }
    // Large contiguous 2-D (the chunked path).
    check_binary(BinaryOp::kMul, Broadcast::kNone, 1001, 999, 0, seed++);
    check_binary(BinaryOp::kSub, Broadcast::kRow, 1001, 999, 0, seed++);
  });
}

AXONAL_TEST(reduce_scale_axpy_fill_copy_clamp) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    for (std::ptrdiff_t n : kSizes) {
      std::vector<float> x = axonal_test::random_floats(static_cast<size_t>(n), 11 + n);
      std::vector<float> y = axonal_test::random_floats(static_cast<size_t>(n), 12 + n);
      if (n > 3) {
        x[1] = kNaN;
        x[2] = std::numeric_limits<float>::infinity();
        x[3] = -0.0f;
      }
      std::vector<float> out(static_cast<size_t>(n));
      axonal::scale(n, -1.5f, x.data(), out.data());
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        REQUIRE_MSG(same_float(out[i], static_cast<float>(-1.5 * x[i])), "scale n=%td i=%td", n, i);
      }
      std::vector<float> yy = y;
      axonal::axpy(n, 0.75f, x.data(), yy.data());
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        const double want = static_cast<double>(y[i]) + 0.75 * x[i];
        const double err = std::fabs(yy[i] - want);
        REQUIRE_MSG(std::isnan(want) ? std::isnan(yy[i]) : (std::isinf(want) ? yy[i] == want : err <= 2e-7 * (std::fabs(y[i]) + std::fabs(0.75 * x[i])) + 1e-30),
                    "axpy n=%td i=%td got %.9g want %.9g", n, i, static_cast<double>(yy[i]), want);
      }
      axonal::fill(n, 3.25f, out.data());
      for (std::ptrdiff_t i = 0; i < n; ++i) REQUIRE_MSG(out[i] == 3.25f, "fill n=%td i=%td", n, i);
      axonal::copy(n, x.data(), out.data());
      for (std::ptrdiff_t i = 0; i < n; ++i) REQUIRE_MSG(same_float(out[i], x[i]), "copy n=%td i=%td", n, i);
      axonal::clamp(n, x.data(), -0.5f, 0.25f, out.data());
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        const float v = x[i];
        const float want = std::isnan(v) ? v : std::fmin(std::fmax(v, -0.5f), 0.25f);
        REQUIRE_MSG(same_float(out[i], want), "clamp n=%td i=%td got %g want %g", n, i, static_cast<double>(out[i]),
                    static_cast<double>(want));
      }
    }
  });
}

AXONAL_TEST(reduce_sums_match_double_reference) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    for (std::ptrdiff_t n : kSizes) {
      std::vector<float> x = axonal_test::random_floats(static_cast<size_t>(n), 21 + n);
      double s = 0, sq = 0, mag = 0, ma = 0;
      for (float v : x) {
        s += v;
        sq += static_cast<double>(v) * v;
        mag += std::fabs(v);
        ma = std::fmax(ma, std::fabs(v));
      }
      const double bound = 4.0 * static_cast<double>(n + 1) * std::ldexp(1.0, -53) * (mag + sq) + 1e-300;
      const double got_s = axonal::sum(n, x.data()), got_sq = axonal::sum_squares(n, x.data());
      REQUIRE_MSG(std::fabs(got_s - s) <= bound, "sum n=%td: %.17g vs %.17g", n, got_s, s);
      REQUIRE_MSG(std::fabs(got_sq - sq) <= bound, "sumsq n=%td: %.17g vs %.17g", n, got_sq, sq);
      REQUIRE_MSG(axonal::max_abs(n, x.data()) == static_cast<float>(ma), "max_abs n=%td", n);
      if (n > 5) {
        x[static_cast<size_t>(n - 2)] = kNaN;
        REQUIRE_MSG(std::isnan(axonal::max_abs(n, x.data())), "max_abs must propagate NaN (n=%td)", n);
        REQUIRE_MSG(std::isnan(axonal::sum(n, x.data())), "sum must propagate NaN (n=%td)", n);
      }
    }
  });
}

AXONAL_TEST(reduce_axis_sum_mean_max_match_reference) {
  struct Dims {
    std::ptrdiff_t outer, axis, inner;
  };
  const Dims dims[] = {{1, 1, 1},  {3, 17, 1},   {2, 15, 16}, {5, 16, 17},  {1, 1000003, 1},
                       {2, 7, 2049}, {3, 1, 33}, {4, 33, 5},  {1, 257, 4099}, {0, 3, 4}, {2, 0, 3}};
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 300;
    for (const Dims& d : dims) {
      const std::ptrdiff_t n = d.outer * d.axis * d.inner, m = d.outer * d.inner;
      std::vector<float> x = axonal_test::random_floats(static_cast<size_t>(n), seed++);
      // Ties and NaNs: duplicate some values and poison one column.
      for (std::ptrdiff_t i = 0; i + 7 < n; i += 7) x[static_cast<size_t>(i + 3)] = x[static_cast<size_t>(i)];
      if (n > 10) x[static_cast<size_t>(n / 2)] = kNaN;
      if (n > 10) x[static_cast<size_t>(n / 2 + d.inner)] = kNaN;
      for (bool mean : {false, true}) {
        std::vector<float> out(static_cast<size_t>(m), 9.0f);
        axonal::sum_axis(d.outer, d.axis, d.inner, x.data(), out.data(), mean);
        for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
          for (std::ptrdiff_t i = 0; i < d.inner; ++i) {
            double s = 0, mag = 0;
            for (std::ptrdiff_t k = 0; k < d.axis; ++k) {
              const double v = x[static_cast<size_t>((o * d.axis + k) * d.inner + i)];
              s += v;
              mag += std::fabs(v);
            }
            if (mean) {
              s /= static_cast<double>(d.axis);
              mag /= static_cast<double>(d.axis);
            }
            const float got = out[static_cast<size_t>(o * d.inner + i)];
            if (std::isnan(s)) {
              REQUIRE_MSG(std::isnan(got), "sum_axis NaN lost");
              continue;
            }
            const double bound = 2.0 * (static_cast<double>(d.axis) + 2.0) * std::ldexp(1.0, -24) * mag + 1e-30;
            REQUIRE_MSG(std::fabs(got - s) <= bound, "sum_axis mean=%d [%td,%td,%td] (%td,%td): %.9g vs %.9g",
                        mean, d.outer, d.axis, d.inner, o, i, static_cast<double>(got), s);
          }
        }
      }
      if (d.axis == 0) continue;
      std::vector<float> values(static_cast<size_t>(m));
      std::vector<std::int32_t> idx(static_cast<size_t>(m), -5);
      axonal::max_axis(d.outer, d.axis, d.inner, x.data(), values.data(), idx.data());
      for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
        for (std::ptrdiff_t i = 0; i < d.inner; ++i) {
          std::ptrdiff_t best = 0;
          for (std::ptrdiff_t k = 1; k < d.axis; ++k) {
            const float v = x[static_cast<size_t>((o * d.axis + k) * d.inner + i)];
            const float b = x[static_cast<size_t>((o * d.axis + best) * d.inner + i)];
            if (std::isnan(b)) break;
            if (std::isnan(v) || v > b) best = k;
          }
          const size_t oi = static_cast<size_t>(o * d.inner + i);
          REQUIRE_MSG(idx[oi] == best, "argmax [%td,%td,%td] (%td,%td): %d vs %td", d.outer, d.axis, d.inner, o, i,
                      idx[oi], best);
          REQUIRE_MSG(same_float(values[oi], x[static_cast<size_t>((o * d.axis + best) * d.inner + i)]), "max value");
        }
      }
      // Backward: scatter into the argmax positions.
      std::vector<float> g = axonal_test::random_floats(static_cast<size_t>(m), seed++);
      std::vector<float> gx(static_cast<size_t>(n), 5.0f);
      axonal::max_axis_backward(d.outer, d.axis, d.inner, g.data(), idx.data(), gx.data());
      for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
        for (std::ptrdiff_t k = 0; k < d.axis; ++k) {
          for (std::ptrdiff_t i = 0; i < d.inner; ++i) {
            const size_t oi = static_cast<size_t>(o * d.inner + i);
            const float want = idx[oi] == k ? g[oi] : 0.0f;
            REQUIRE_MSG(gx[static_cast<size_t>((o * d.axis + k) * d.inner + i)] == want, "max backward");
          }
        }
      }
      for (bool mean : {false, true}) {
        axonal::sum_axis_backward(d.outer, d.axis, d.inner, g.data(), gx.data(), mean);
        for (std::ptrdiff_t o = 0; o < d.outer; ++o) {
          for (std::ptrdiff_t k = 0; k < d.axis; ++k) {
            for (std::ptrdiff_t i = 0; i < d.inner; ++i) {
              const float gv = g[static_cast<size_t>(o * d.inner + i)];
              const float want = mean ? gv / static_cast<float>(d.axis) : gv;
              REQUIRE_MSG(gx[static_cast<size_t>((o * d.axis + k) * d.inner + i)] == want, "sum backward");
            }
          }
        }
      }
    }
  });
}

AXONAL_TEST(reduce_binary_backward_matches_reference) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 500;
    for (int op = 0; op < 4; ++op) {
      for (int bc = 0; bc < 3; ++bc) {
        for (std::ptrdiff_t rows : {0, 1, 5, 33}) {
          for (std::ptrdiff_t cols : {0, 1, 16, 17, 2100}) {
            const std::ptrdiff_t n = rows * cols, nb = bc == 0 ? n : (bc == 1 ? cols : rows);
            std::vector<float> a = axonal_test::random_floats(static_cast<size_t>(n), seed++);
            std::vector<float> b = axonal_test::random_floats(static_cast<size_t>(nb), seed++);
            for (float& v : b) v += (v >= 0 ? 0.5f : -0.5f);
            std::vector<float> g = axonal_test::random_floats(static_cast<size_t>(n), seed++);
            std::vector<float> ga(static_cast<size_t>(n), kNaN), gb(static_cast<size_t>(nb), kNaN);
            axonal::binary_2d_backward(static_cast<BinaryOp>(op), static_cast<Broadcast>(bc), rows, cols, a.data(),
                                       b.data(), g.data(), ga.data(), gb.data());
            std::vector<double> ref_gb(static_cast<size_t>(nb), 0.0), mag_gb(static_cast<size_t>(nb), 0.0);
            for (std::ptrdiff_t r = 0; r < rows; ++r) {
              for (std::ptrdiff_t c = 0; c < cols; ++c) {
                const size_t i = static_cast<size_t>(r * cols + c);
                const size_t j = static_cast<size_t>(bc == 0 ? r * cols + c : (bc == 1 ? c : r));
                const double av = a[i], bv = b[j], gv = g[i];
                double da = gv, db = gv;
                switch (static_cast<BinaryOp>(op)) {
                  case BinaryOp::kAdd: break;
                  case BinaryOp::kSub: db = -gv; break;
                  case BinaryOp::kMul: da = gv * bv; db = gv * av; break;
                  case BinaryOp::kDiv: da = gv / bv; db = -gv * av / (bv * bv); break;
                }
                REQUIRE_MSG(std::fabs(ga[i] - da) <= 1e-6 * std::fabs(da) + 1e-30, "grad_a op=%d bc=%d", op, bc);
                ref_gb[j] += db;
                mag_gb[j] += std::fabs(db);
              }
            }
            for (std::ptrdiff_t j = 0; j < nb; ++j) {
              const double bound = 4.0 * (static_cast<double>(rows) + 4.0) * std::ldexp(1.0, -24) * mag_gb[j] + 1e-30;
              REQUIRE_MSG(std::fabs(gb[j] - ref_gb[j]) <= bound, "grad_b op=%d bc=%d %tdx%td j=%td: %.9g vs %.9g", op,
                          bc, rows, cols, j, static_cast<double>(gb[j]), ref_gb[j]);
            }
          }
        }
      }
    }
  });
}

AXONAL_TEST(reduce_results_do_not_depend_on_thread_count) {
  const int before = axonal::num_threads();
  axonal_test::for_each_isa([&](axonal::Isa) {
    const std::ptrdiff_t n = 1000003;
    std::vector<float> x = axonal_test::random_floats(static_cast<size_t>(n), 77);
    double s0 = 0, q0 = 0;
    std::vector<float> col0, max0;
    std::vector<std::int32_t> idx0;
    for (int threads : {1, 2, 7}) {
      axonal::set_num_threads(threads);
      const double s = axonal::sum(n, x.data()), q = axonal::sum_squares(n, x.data());
      std::vector<float> col(1000), mx(1000);
      std::vector<std::int32_t> idx(1000);
      axonal::sum_axis(1, 1000, 1000, x.data(), col.data(), false);
      axonal::max_axis(1000, 1000, 1, x.data(), mx.data(), idx.data());
      if (threads == 1) {
        s0 = s;
        q0 = q;
        col0 = col;
        max0 = mx;
        idx0 = idx;
        continue;
      }
      REQUIRE_MSG(s == s0 && q == q0, "threads=%d: sums differ", threads);
      for (size_t i = 0; i < col.size(); ++i) {
        REQUIRE_MSG(col[i] == col0[i] && mx[i] == max0[i] && idx[i] == idx0[i], "threads=%d: axis results differ", threads);
      }
    }
  });
  axonal::set_num_threads(before);
}
