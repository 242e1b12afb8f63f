// Loss kernels on every ISA against float64 references: value (none/mean/sum) and
// gradient at sizes 0, 1, 15, 16, 17, 1000, 1000003; cross-entropy with weights,
// ignore_index and label smoothing; NLL; values bit-identical for 1, 2, 7 threads.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "axonal/loss.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::PointLoss;
using axonal::Reduction;

const char* loss_name(PointLoss op) {
  static const char* n[] = {"mse", "l1", "huber", "smooth_l1", "bce", "bce_with_logits", "kl_div"};
  return n[static_cast<int>(op)];
}

// Elementwise loss and d/dx in double (PyTorch 1.13 definitions).
void ref(PointLoss op, double x, double t, double w, double a, double* l, double* g) {
  const double d = x - t;
  switch (op) {
    case PointLoss::kMse: *l = d * d; *g = 2 * d; break;
    case PointLoss::kL1: *l = std::fabs(d); *g = d > 0 ? 1 : d < 0 ? -1 : 0; break;
    case PointLoss::kHuber:
      *l = std::fabs(d) < a ? 0.5 * d * d : a * (std::fabs(d) - 0.5 * a);
      *g = d <= -a ? -a : d >= a ? a : d;
      break;
    case PointLoss::kSmoothL1:
      *l = std::fabs(d) < a ? 0.5 * d * d / a : std::fabs(d) - 0.5 * a;
      *g = d <= -a ? -1 : d >= a ? 1 : d / a;
      break;
    case PointLoss::kBce:
      *l = -(t * std::fmax(std::log(x), -100.0) + (1 - t) * std::fmax(std::log1p(-x), -100.0));
      *g = (x - t) / std::fmax(x * (1 - x), 1e-12);
      break;
    case PointLoss::kBceWithLogits: {
      const double sp = std::fmax(-x, 0.0) + std::log1p(std::exp(-std::fabs(x)));  // softplus(-x)
      *l = (1 - t) * x + ((w - 1) * t + 1) * sp;
      *g = (w * t + 1 - t) / (1 + std::exp(-x)) - w * t;
      break;
    }
    case PointLoss::kKlDiv:
      if (a != 0) {
        *l = std::exp(t) * (t - x);
        *g = -std::exp(t);
      } else {
        *l = (t == 0 ? 0 : t * std::log(t)) - t * x;
        *g = -t;
      }
      break;
    default: break;
  }
}

void make_inputs(PointLoss op, std::size_t n, std::vector<float>* x, std::vector<float>* t) {
  *x = axonal_test::random_floats(n, 11 + n);
  *t = axonal_test::random_floats(n, 12 + n);
  for (std::size_t i = 0; i < n; ++i) {
    float& a = (*x)[i];
    float& b = (*t)[i];
    switch (op) {
      case PointLoss::kBce: a = 0.01f + 0.98f * (a * 0.5f + 0.5f); b = b * 0.5f + 0.5f; break;
      case PointLoss::kBceWithLogits: a *= 10; b = b * 0.5f + 0.5f; break;
      case PointLoss::kKlDiv: a = a * 3 - 3; b = b * 0.5f + 0.5f; break;
      default: a *= 3; b *= 3; break;
    }
  }
  if (n > 3 && op == PointLoss::kKlDiv) (*t)[3] = 0.0f;
}

void check_point(PointLoss op, std::size_t n, bool pos_weight) {
  std::vector<float> x, t;
  make_inputs(op, n, &x, &t);
  const std::size_t cols = 5;
  const bool use_pw = pos_weight && n % cols == 0 && n > 0;
  const float pwv[cols] = {0.5f, 1.0f, 2.0f, 3.5f, 0.1f};
  const float a = op == PointLoss::kHuber ? 0.7f : op == PointLoss::kSmoothL1 ? 0.6f : op == PointLoss::kKlDiv ? 0.0f : 0;
  for (Reduction red : {Reduction::kNone, Reduction::kMean, Reduction::kSum}) {
    std::vector<float> grad(n + 8, 777.0f), out(n + 8, 777.0f);
    double value = 0;
    const axonal::Status st = axonal::point_loss(op, x.data(), t.data(), use_pw ? pwv : nullptr, cols, grad.data(),
                                                 red == Reduction::kNone ? out.data() : nullptr,
                                                 static_cast<std::ptrdiff_t>(n), a, red, &value);
    REQUIRE_MSG(st == axonal::Status::kOk, "status");
    // Tolerances: a few roundings of the result plus the cancellation PyTorch's
    // formulas carry (bce_with_logits: (1 - t) x + softplus(-x); its gradient
    // (w t + 1 - t) sigmoid(x) - w t), bounded by ULPs of terms of size ~(1 + |x| + |t|) w.
    double sum = 0, abs_sum = 0, mag_sum = 0;
    const double scale = red == Reduction::kMean ? 1.0 / static_cast<double>(n) : 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      double l, g;
      ref(op, x[i], t[i], use_pw ? pwv[i % cols] : 1.0, a, &l, &g);
      const double mag = 4e-7 * (1 + std::fabs(x[i]) + std::fabs(t[i])) * (use_pw ? 3.5 : 1.0);
      sum += l;
      abs_sum += std::fabs(l);
      mag_sum += mag;
      REQUIRE_MSG(std::fabs(grad[i] - g * scale) <= 2e-6 * std::fabs(g * scale) + mag * scale,
                  "%s n=%zu red=%d grad[%zu]: %.9g want %.9g (x=%.9g t=%.9g)", loss_name(op), n, static_cast<int>(red),
                  i, static_cast<double>(grad[i]), g * scale, static_cast<double>(x[i]), static_cast<double>(t[i]));
      if (red == Reduction::kNone) {
        REQUIRE_MSG(std::fabs(out[i] - l) <= 2e-6 * std::fabs(l) + mag, "%s n=%zu out[%zu]: %.9g want %.9g",
                    loss_name(op), n, i, static_cast<double>(out[i]), l);
      }
    }
    for (std::size_t i = n; i < n + 8; ++i) REQUIRE_MSG(grad[i] == 777.0f && out[i] == 777.0f, "wrote past the end");
    if (red == Reduction::kMean && n == 0) {
      REQUIRE_MSG(std::isnan(value), "mean of nothing is NaN (PyTorch), got %g", value);
      continue;
    }
    const double want = red == Reduction::kMean ? sum / static_cast<double>(n) : sum;
    const double tol = (2e-6 * abs_sum + mag_sum) * (red == Reduction::kMean ? scale : 1.0) + 1e-12;
    REQUIRE_MSG(std::fabs(value - want) <= tol, "%s n=%zu red=%d value %.12g want %.12g", loss_name(op), n,
                static_cast<int>(red), value, want);
  }
}

AXONAL_TEST(point_losses_match_float64) {
  axonal_test::for_each_isa([](axonal::Isa) {
    for (int o = 0; o < static_cast<int>(PointLoss::kCount); ++o) {
      for (std::size_t n : {0, 1, 15, 16, 17, 1000, 1000003}) check_point(static_cast<PointLoss>(o), n, false);
    }
    for (std::size_t n : {5, 15, 1000, 1000005}) check_point(PointLoss::kBceWithLogits, n, true);
  });
}

AXONAL_TEST(kl_div_log_target_matches_float64) {
  axonal_test::for_each_isa([](axonal::Isa) {
    const std::size_t n = 1001;
    std::vector<float> x = axonal_test::random_floats(n, 3), t = axonal_test::random_floats(n, 4), grad(n);
    double value = 0;
    axonal::point_loss(PointLoss::kKlDiv, x.data(), t.data(), nullptr, 0, grad.data(), nullptr, n, 1.0f,
                       Reduction::kSum, &value);
    double want = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double l, g;
      ref(PointLoss::kKlDiv, x[i], t[i], 1, 1, &l, &g);
      want += l;
      REQUIRE_MSG(std::fabs(grad[i] - g) <= 2e-6 * std::fabs(g), "grad[%zu]", i);
    }
    REQUIRE_MSG(std::fabs(value - want) <= 1e-5 * (1 + std::fabs(want)), "value %.9g want %.9g", value, want);
  });
}

// Cross-entropy / NLL reference in double.
double ce_ref(const std::vector<float>& x, std::size_t rows, std::size_t cols, const std::vector<std::int32_t>& t,
              const float* w, int ignore, double ls, Reduction red, bool nll, std::vector<double>* grad,
              std::vector<double>* per_row) {
  double tw = 0;
  for (std::size_t r = 0; r < rows; ++r)
    if (t[r] != ignore) tw += w ? w[t[r]] : 1.0;
  const double scale = red == Reduction::kMean ? 1.0 / tw : 1.0;
  double total = 0;
  grad->assign(rows * cols, 0.0);
  per_row->assign(rows, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    if (t[r] == ignore) continue;
    const float* xr = x.data() + r * cols;
    std::vector<double> logp(cols);
    if (nll) {
      for (std::size_t c = 0; c < cols; ++c) logp[c] = xr[c];
    } else {
      double m = -INFINITY, s = 0;
      for (std::size_t c = 0; c < cols; ++c) m = xr[c] > m ? xr[c] : m;  // (not fmax: GCC 12 aarch64 ICEs vectorizing it)
      for (std::size_t c = 0; c < cols; ++c) s += std::exp(xr[c] - m);
      for (std::size_t c = 0; c < cols; ++c) logp[c] = xr[c] - m - std::log(s);
    }
    const double wt = w ? w[t[r]] : 1.0;
    double smooth = 0;
    for (std::size_t c = 0; c < cols; ++c) smooth -= (w ? w[c] : 1.0) * logp[c];
    const double loss = (1 - ls) * -wt * logp[static_cast<size_t>(t[r])] + ls / static_cast<double>(cols) * smooth;
    (*per_row)[r] = loss;
    total += loss;
    // d loss / d logp
    std::vector<double> dl(cols);
    double sum_dl = 0;
    for (std::size_t c = 0; c < cols; ++c) {
      dl[c] = -ls / static_cast<double>(cols) * (w ? w[c] : 1.0) - (static_cast<int>(c) == t[r] ? (1 - ls) * wt : 0.0);
      sum_dl += dl[c];
    }
    for (std::size_t c = 0; c < cols; ++c) {
      (*grad)[r * cols + c] = scale * (nll ? dl[c] : dl[c] - std::exp(logp[c]) * sum_dl);
    }
  }
  return red == Reduction::kMean ? total / tw : total;
}

void check_class(bool nll, std::size_t rows, std::size_t cols, bool weighted, double ls, int ignore) {
  std::vector<float> x = axonal_test::random_floats(rows * cols, 31 + rows + cols);
  for (float& v : x) v *= 6;
  if (nll) {  // log-probabilities
    for (std::size_t r = 0; r < rows; ++r) {
      double s = 0;
      for (std::size_t c = 0; c < cols; ++c) s += std::exp(x[r * cols + c]);
      for (std::size_t c = 0; c < cols; ++c) x[r * cols + c] -= static_cast<float>(std::log(s));
    }
  }
  if (rows > 2 && cols > 1) x[cols] = 1000.0f;  // a huge logit
  std::vector<std::int32_t> t(rows);
  for (std::size_t r = 0; r < rows; ++r) t[r] = static_cast<std::int32_t>((r * 7 + 3) % cols);
  if (rows > 4) t[4] = ignore;
  std::vector<float> w(cols);
  for (std::size_t c = 0; c < cols; ++c) w[c] = 0.25f + 0.5f * static_cast<float>(c % 4);
  const float* wp = weighted ? w.data() : nullptr;
  for (Reduction red : {Reduction::kNone, Reduction::kMean, Reduction::kSum}) {
    std::vector<float> grad(rows * cols + 4, 5.0f), out(rows + 4, 5.0f);
    double value = 0;
    float* outp = red == Reduction::kNone ? out.data() : nullptr;
    const axonal::Status st =
        nll ? axonal::nll_loss(x.data(), rows, cols, t.data(), wp, ignore, red, grad.data(), outp, &value)
            : axonal::cross_entropy(x.data(), rows, cols, t.data(), wp, ignore, static_cast<float>(ls), red,
                                    grad.data(), outp, &value);
    REQUIRE_MSG(st == axonal::Status::kOk, "status");
    std::vector<double> g, per_row;
    const double want = ce_ref(x, rows, cols, t, wp, ignore, nll ? 0.0 : ls, red, nll, &g, &per_row);
    const char* what = nll ? "nll" : "cross_entropy";
    if (std::isnan(want)) {
      REQUIRE_MSG(std::isnan(value), "%s: want NaN", what);
    } else {
      REQUIRE_MSG(std::fabs(value - want) <= 1e-5 * (1 + std::fabs(want)), "%s rows=%zu cols=%zu w=%d ls=%g red=%d: %.9g want %.9g",
                  what, rows, cols, weighted, ls, static_cast<int>(red), value, want);
    }
    for (std::size_t i = 0; i < rows * cols; ++i) {
      REQUIRE_MSG(std::fabs(grad[i] - g[i]) <= 2e-6 * (std::fabs(g[i]) + (red == Reduction::kMean ? 1.0 / rows : 1.0)),
                  "%s rows=%zu cols=%zu w=%d ls=%g red=%d grad[%zu] %.9g want %.9g", what, rows, cols, weighted, ls,
                  static_cast<int>(red), i, static_cast<double>(grad[i]), g[i]);
    }
    REQUIRE_MSG(grad[rows * cols] == 5.0f, "grad written past the end");
    if (red == Reduction::kNone) {
      for (std::size_t r = 0; r < rows; ++r) {
        REQUIRE_MSG(std::fabs(out[r] - per_row[r]) <= 1e-5 * (1 + std::fabs(per_row[r])), "%s out[%zu]", what, r);
      }
      REQUIRE_MSG(out[rows] == 5.0f, "out written past the end");
    }
  }
}

AXONAL_TEST(cross_entropy_and_nll_match_float64) {
  axonal_test::for_each_isa([](axonal::Isa) {
    for (bool nll : {false, true}) {
      for (std::size_t cols : {1, 2, 15, 16, 17, 1000}) {
        for (std::size_t rows : {0, 1, 7, 33}) {
          for (bool weighted : {false, true}) {
            check_class(nll, rows, cols, weighted, 0.0, -100);
            if (!nll) check_class(nll, rows, cols, weighted, 0.15, 1);
          }
        }
      }
      check_class(nll, 1000003 / 101, 101, true, nll ? 0.0 : 0.1, -100);
    }
  });
}

AXONAL_TEST(loss_values_same_bits_for_1_2_7_threads) {
  const int before = axonal::num_threads();
  const std::size_t n = 1000003, cols = 101, rows = n / cols;
  std::vector<float> x = axonal_test::random_floats(n, 1), t = axonal_test::random_floats(n, 2);
  std::vector<std::int32_t> ct(rows);
  for (std::size_t r = 0; r < rows; ++r) ct[r] = static_cast<std::int32_t>(r % cols);
  axonal_test::for_each_isa([&](axonal::Isa) {
    double first[3] = {0, 0, 0};
    std::vector<float> first_grad;
    for (int threads : {1, 2, 7}) {
      axonal::set_num_threads(threads);
      std::vector<float> grad(n);
      double v[3];
      axonal::point_loss(PointLoss::kMse, x.data(), t.data(), nullptr, 0, grad.data(), nullptr, n, 0, Reduction::kMean, &v[0]);
      axonal::point_loss(PointLoss::kBceWithLogits, x.data(), t.data(), nullptr, 0, grad.data(), nullptr, n, 0,
                         Reduction::kSum, &v[1]);
      axonal::cross_entropy(x.data(), rows, cols, ct.data(), nullptr, -100, 0.1f, Reduction::kMean, grad.data(),
                            nullptr, &v[2]);
      if (threads == 1) {
        std::memcpy(first, v, sizeof v);
        first_grad = grad;
      }
      REQUIRE_MSG(std::memcmp(first, v, sizeof v) == 0, "threads=%d: values differ (%.17g %.17g %.17g)", threads, v[0],
                  v[1], v[2]);
      REQUIRE_MSG(std::memcmp(first_grad.data(), grad.data(), n * sizeof(float)) == 0, "threads=%d: grads differ", threads);
    }
  });
  axonal::set_num_threads(before);
}

}  // namespace
