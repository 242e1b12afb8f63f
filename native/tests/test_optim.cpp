// Optimizer steps, gradient clipping and dropout on every ISA against float64
// references of PyTorch 1.13's single-tensor formulas.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "axonal/dropout.h"
#include "axonal/optim.h"
#include "axonal/random.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using Vec = std::vector<float>;
using DVec = std::vector<double>;

const std::ptrdiff_t kSizes[] = {0, 1, 15, 16, 17, 1000003};
constexpr int kSteps = 3;

DVec to_d(const Vec& v) { return DVec(v.begin(), v.end()); }

// |got - want| <= tol * (|want| + scale) elementwise.
bool close(const Vec& got, const DVec& want, double tol, double scale, const char* what, std::ptrdiff_t n, int which) {
  for (size_t i = 0; i < got.size(); ++i) {
    const double err = std::fabs(got[i] - want[i]);
    if (!(err <= tol * (std::fabs(want[i]) + scale))) {
      ::axonal_test::record_failure(__FILE__, __LINE__,
                                    ::axonal_test::fmt("%s (variant %d) n=%td i=%zu: %.9g vs %.9g", what, which, n, i,
                                                       static_cast<double>(got[i]), want[i]));
      return false;
    }
  }
  return true;
}

// Each test: random param/grad; kSteps steps on the library and on the double reference.
struct Data {
  Vec p, g;
  Data(std::ptrdiff_t n, std::uint64_t seed)
      : p(axonal_test::random_floats(static_cast<size_t>(n), seed)),
        g(axonal_test::random_floats(static_cast<size_t>(n), seed + 1)) {}
};

// Float64 references for the clip test, kept out of line (see the test).
__attribute__((noinline)) double reference_max_abs(const Vec& a, const Vec& b) {
  double m = 0;
  for (const Vec* v : {&a, &b}) {
    for (size_t i = 0; i < v->size(); ++i) {
      const double e = std::fabs(static_cast<double>((*v)[i]));
      if (e > m) m = e;
    }
  }
  return m;
}

__attribute__((noinline)) double reference_pow_sum(const Vec& a, const Vec& b, double p) {
  double s = 0;
  for (const Vec* v : {&a, &b}) {
    for (size_t i = 0; i < v->size(); ++i) s += std::pow(std::fabs(static_cast<double>((*v)[i])), p);
  }
  return s;
}

}  // namespace

AXONAL_TEST(optim_sgd_matches_reference) {
  struct V {
    double lr, momentum, dampening, wd;
    bool nesterov, maximize;
  };
  const V variants[] = {{0.1, 0, 0, 0, false, false}, {0.05, 0.9, 0.1, 0.01, false, true}, {0.05, 0.9, 0, 0.001, true, false}};
  axonal_test::for_each_isa([&](axonal::Isa) {
    int which = 0;
    for (const V& v : variants) {
      ++which;
      for (std::ptrdiff_t n : kSizes) {
        Data d(n, 10 + n);
        Vec p = d.p, buf(static_cast<size_t>(n), 0.0f);
        DVec rp = to_d(d.p), rb(static_cast<size_t>(n), 0.0);
        for (int s = 1; s <= kSteps; ++s) {
          axonal::SgdOptions o;
          o.lr = v.lr;
          o.momentum = v.momentum;
          o.dampening = v.dampening;
          o.weight_decay = v.wd;
          o.nesterov = v.nesterov;
          o.maximize = v.maximize;
          o.first_step = s == 1;
          axonal::sgd_step(n, p.data(), d.g.data(), buf.data(), o);
          for (std::ptrdiff_t i = 0; i < n; ++i) {
            double g = v.maximize ? -d.g[i] : d.g[i];
            g += v.wd * rp[i];
            if (v.momentum != 0) {
              rb[i] = s == 1 ? g : rb[i] * v.momentum + (1 - v.dampening) * g;
              g = v.nesterov ? g + v.momentum * rb[i] : rb[i];
            }
            rp[i] -= v.lr * g;
          }
        }
        close(p, rp, 1e-5, 0.1, "sgd param", n, which);
        if (v.momentum != 0) close(buf, rb, 1e-5, 0.1, "sgd buffer", n, which);
      }
    }
  });
}

AXONAL_TEST(optim_adam_adamw_match_reference) {
  struct V {
    double lr, beta1, beta2, eps, wd;
    bool amsgrad, maximize, decoupled;
  };
  const V variants[] = {{1e-3, 0.9, 0.999, 1e-8, 0, false, false, false},
                        {2e-2, 0.8, 0.99, 1e-6, 0.1, true, true, false},
                        {1e-2, 0.85, 0.995, 1e-7, 0.05, true, false, true},
                        {1e-2, 0.9, 0.999, 1e-8, 0.01, false, true, true}};
  axonal_test::for_each_isa([&](axonal::Isa) {
    int which = 0;
    for (const V& v : variants) {
      ++which;
      for (std::ptrdiff_t n : kSizes) {
        Data d(n, 20 + n);
        const size_t un = static_cast<size_t>(n);
        Vec p = d.p, m(un, 0.0f), sq(un, 0.0f), mx(un, 0.0f);
        DVec rp = to_d(d.p), rm(un, 0.0), rv(un, 0.0), rmx(un, 0.0);
        for (int s = 1; s <= kSteps; ++s) {
          axonal::AdamOptions o;
          o.lr = v.lr;
          o.beta1 = v.beta1;
          o.beta2 = v.beta2;
          o.eps = v.eps;
          o.weight_decay = v.wd;
          o.amsgrad = v.amsgrad;
          o.maximize = v.maximize;
          o.decoupled = v.decoupled;
          o.step = s;
          axonal::adam_step(n, p.data(), d.g.data(), m.data(), sq.data(), mx.data(), o);
          const double bc1 = 1 - std::pow(v.beta1, s), bc2 = 1 - std::pow(v.beta2, s);
          for (size_t i = 0; i < un; ++i) {
            double g = v.maximize ? -d.g[i] : d.g[i];
            if (v.decoupled) {
              rp[i] *= 1 - v.lr * v.wd;
            } else {
              g += v.wd * rp[i];
            }
            rm[i] = rm[i] * v.beta1 + (1 - v.beta1) * g;
            rv[i] = rv[i] * v.beta2 + (1 - v.beta2) * g * g;
            double use = rv[i];
            if (v.amsgrad) use = rmx[i] = std::fmax(rmx[i], rv[i]);
            rp[i] -= (v.lr / bc1) * rm[i] / (std::sqrt(use) / std::sqrt(bc2) + v.eps);
          }
        }
        close(p, rp, 1e-5, 200.0 * v.lr * kSteps, "adam param", n, which);
        close(m, rm, 1e-5, 0.1, "adam exp_avg", n, which);
        close(sq, rv, 1e-5, 1e-4, "adam exp_avg_sq", n, which);
        if (v.amsgrad) close(mx, rmx, 1e-5, 1e-4, "adam max_exp_avg_sq", n, which);
      }
    }
  });
}

AXONAL_TEST(optim_rmsprop_adagrad_adamax_match_reference) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    for (std::ptrdiff_t n : kSizes) {
      const size_t un = static_cast<size_t>(n);
      for (int which = 0; which < 3; ++which) {
        Data d(n, 30 + n);
        const bool centered = which != 1, maximize = which == 2;
        const double lr = 1e-2, alpha = 0.9, eps = 1e-6, wd = which * 0.01, momentum = which == 0 ? 0.0 : 0.5;
        Vec p = d.p, sq(un, 0.0f), ga(un, 0.0f), buf(un, 0.0f);
        DVec rp = to_d(d.p), rsq(un, 0.0), rga(un, 0.0), rbuf(un, 0.0);
        for (int s = 1; s <= kSteps; ++s) {
          axonal::RmspropOptions o;
          o.lr = lr;
          o.alpha = alpha;
          o.eps = eps;
          o.weight_decay = wd;
          o.momentum = momentum;
          o.centered = centered;
          o.maximize = maximize;
          axonal::rmsprop_step(n, p.data(), d.g.data(), sq.data(), ga.data(), buf.data(), o);
          for (size_t i = 0; i < un; ++i) {
            double g = maximize ? -d.g[i] : d.g[i];
            g += wd * rp[i];
            rsq[i] = rsq[i] * alpha + (1 - alpha) * g * g;
            double avg;
            if (centered) {
              rga[i] = rga[i] * alpha + (1 - alpha) * g;
              avg = std::sqrt(rsq[i] - rga[i] * rga[i]);
            } else {
              avg = std::sqrt(rsq[i]);
            }
            avg += eps;
            if (momentum > 0) {
              rbuf[i] = rbuf[i] * momentum + g / avg;
              rp[i] -= lr * rbuf[i];
            } else {
              rp[i] -= lr * g / avg;
            }
          }
        }
        // sqrt(sq - ga^2) cancels: compare with a looser bound scaled by lr.
        close(p, rp, 1e-4, 1e-1, "rmsprop param", n, which);
        close(sq, rsq, 1e-5, 1e-4, "rmsprop square_avg", n, which);
      }
      for (int which = 0; which < 2; ++which) {
        Data d(n, 40 + n);
        const double lr = 0.05, lr_decay = which * 0.1, eps = 1e-10, wd = which * 0.02, init = which * 0.1;
        const bool maximize = which == 1;
        Vec p = d.p, sum(un, static_cast<float>(init));
        DVec rp = to_d(d.p), rsum(un, static_cast<double>(static_cast<float>(init)));
        for (int s = 1; s <= kSteps; ++s) {
          axonal::AdagradOptions o;
          o.lr = lr;
          o.lr_decay = lr_decay;
          o.eps = eps;
          o.weight_decay = wd;
          o.maximize = maximize;
          o.step = s;
          axonal::adagrad_step(n, p.data(), d.g.data(), sum.data(), o);
          const double clr = lr / (1 + (s - 1) * lr_decay);
          for (size_t i = 0; i < un; ++i) {
            double g = maximize ? -d.g[i] : d.g[i];
            g += wd * rp[i];
            rsum[i] += g * g;
            rp[i] -= clr * g / (std::sqrt(rsum[i]) + eps);
          }
        }
        close(p, rp, 1e-5, 1e-1, "adagrad param", n, which);
        close(sum, rsum, 1e-5, 1e-6, "adagrad sum", n, which);
      }
      for (int which = 0; which < 2; ++which) {
        Data d(n, 50 + n);
        const double lr = 2e-3, b1 = 0.9, b2 = which ? 0.99 : 0.999, eps = 1e-8, wd = which * 0.01;
        const bool maximize = which == 1;
        Vec p = d.p, m(un, 0.0f), u(un, 0.0f);
        DVec rp = to_d(d.p), rm(un, 0.0), ru(un, 0.0);
        for (int s = 1; s <= kSteps; ++s) {
          axonal::AdamaxOptions o;
          o.lr = lr;
          o.beta1 = b1;
          o.beta2 = b2;
          o.eps = eps;
          o.weight_decay = wd;
          o.maximize = maximize;
          o.step = s;
          axonal::adamax_step(n, p.data(), d.g.data(), m.data(), u.data(), o);
          for (size_t i = 0; i < un; ++i) {
            double g = maximize ? -d.g[i] : d.g[i];
            g += wd * rp[i];
            rm[i] = rm[i] * b1 + (1 - b1) * g;
            ru[i] = std::fmax(ru[i] * b2, std::fabs(g) + eps);
            rp[i] -= (lr / (1 - std::pow(b1, s))) * rm[i] / ru[i];
          }
        }
        close(p, rp, 1e-5, 1e-2, "adamax param", n, which);
        close(u, ru, 1e-5, 1e-4, "adamax exp_inf", n, which);
      }
    }
  });
}

AXONAL_TEST(optim_nadam_radam_match_reference) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    for (std::ptrdiff_t n : kSizes) {
      const size_t un = static_cast<size_t>(n);
      {
        Data d(n, 60 + n);
        const double lr = 2e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01, md = 4e-3;
        Vec p = d.p, m(un, 0.0f), v(un, 0.0f);
        DVec rp = to_d(d.p), rm(un, 0.0), rv(un, 0.0);
        float mu_product = 1.0f;
        double rmu = 1.0;
        for (int s = 1; s <= kSteps; ++s) {
          axonal::NadamOptions o;
          o.lr = lr;
          o.beta1 = b1;
          o.beta2 = b2;
          o.eps = eps;
          o.weight_decay = wd;
          o.momentum_decay = md;
          o.step = s;
          o.mu_product = mu_product;
          mu_product = axonal::nadam_step(n, p.data(), d.g.data(), m.data(), v.data(), o);
          const double mu = b1 * (1 - 0.5 * std::pow(0.96, s * md)), mu_next = b1 * (1 - 0.5 * std::pow(0.96, (s + 1) * md));
          rmu *= mu;
          // PyTorch 1.13 multiplies mu in twice here (mu_product already includes it).
          const double rmu_next = rmu * mu * mu_next, bc2 = 1 - std::pow(b2, s);
          REQUIRE_MSG(std::fabs(mu_product - rmu) <= 1e-6 * rmu, "nadam mu_product %.9g vs %.9g",
                      static_cast<double>(mu_product), rmu);
          for (size_t i = 0; i < un; ++i) {
            const double g = d.g[i] + wd * rp[i];
            rm[i] = rm[i] * b1 + (1 - b1) * g;
            rv[i] = rv[i] * b2 + (1 - b2) * g * g;
            const double denom = std::sqrt(rv[i] / bc2) + eps;
            rp[i] += -lr * (1 - mu) / (1 - rmu) * g / denom;
            rp[i] += -lr * mu_next / (1 - rmu_next) * rm[i] / denom;
          }
        }
        close(p, rp, 1e-5, 1e-2, "nadam param", n, 0);
      }
      for (int which = 0; which < 2; ++which) {
        // beta2 = 0.9 makes rho_t > 5 from step 2 on (both branches); 0.999 stays unrectified.
        Data d(n, 70 + n);
        const double lr = 1e-2, b1 = 0.9, b2 = which ? 0.9 : 0.999, eps = 1e-8, wd = which * 0.01;
        Vec p = d.p, m(un, 0.0f), v(un, 0.0f);
        DVec rp = to_d(d.p), rm(un, 0.0), rv(un, 0.0);
        for (int s = 1; s <= 8; ++s) {
          axonal::RadamOptions o;
          o.lr = lr;
          o.beta1 = b1;
          o.beta2 = b2;
          o.eps = eps;
          o.weight_decay = wd;
          o.step = s;
          axonal::radam_step(n, p.data(), d.g.data(), m.data(), v.data(), o);
          const double bc1 = 1 - std::pow(b1, s), bc2 = 1 - std::pow(b2, s);
          const double rho_inf = 2 / (1 - b2) - 1, rho_t = rho_inf - 2 * s * std::pow(b2, s) / bc2;
          for (size_t i = 0; i < un; ++i) {
            const double g = d.g[i] + wd * rp[i];
            rm[i] = rm[i] * b1 + (1 - b1) * g;
            rv[i] = rv[i] * b2 + (1 - b2) * g * g;
            const double bcm = rm[i] / bc1;
            if (rho_t > 5) {
              const double rect = std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
              rp[i] -= bcm * lr * (std::sqrt(bc2) / (std::sqrt(rv[i]) + eps)) * rect;
            } else {
              rp[i] -= bcm * lr;
            }
          }
        }
        close(p, rp, 1e-5, 1e-1, "radam param", n, which);
      }
    }
  });
}

AXONAL_TEST(optim_clip_grad_norm_and_value) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    Vec a = axonal_test::random_floats(1000003, 80), b = axonal_test::random_floats(17, 81), c;
    for (int mode = 0; mode < 3; ++mode) {  // 2-norm, inf-norm, 1.5-norm
      Vec x = a, y = b;
      float* ptrs[3] = {x.data(), y.data(), c.data()};
      const std::ptrdiff_t lens[3] = {static_cast<std::ptrdiff_t>(x.size()), static_cast<std::ptrdiff_t>(y.size()), 0};
      double total = 0;
      const double p = mode == 2 ? 1.5 : 2.0;
      REQUIRE_MSG(axonal::clip_grad_norm(3, ptrs, lens, 1.0, p, mode == 1, true, &total) == axonal::Status::kOk, "clip");
      // (Separate loops per mode: a fused conditional reduction here crashes aarch64 GCC 12.)
      double ref = mode == 1 ? reference_max_abs(a, b) : std::pow(reference_pow_sum(a, b, p), 1.0 / p);
      REQUIRE_MSG(std::fabs(total - ref) <= 1e-6 * ref, "clip total mode %d: %.9g vs %.9g", mode, total, ref);
      const double coef = std::fmin(1.0, 1.0 / (ref + 1e-6));
      for (size_t i = 0; i < x.size(); i += 997) {
        REQUIRE_MSG(std::fabs(x[i] - a[i] * coef) <= 1e-6 * std::fabs(a[i] * coef) + 1e-30, "clip scaled");
      }
    }
    // Non-finite: error leaves grads untouched; without the error they become NaN.
    Vec x = b;
    x[3] = std::numeric_limits<float>::infinity();
    float* ptr = x.data();
    const std::ptrdiff_t len = static_cast<std::ptrdiff_t>(x.size());
    double total = 0;
    REQUIRE_MSG(axonal::clip_grad_norm(1, &ptr, &len, 1.0, 2.0, false, true, &total) == axonal::Status::kInvalidArgument,
                "non-finite must fail");
    REQUIRE_MSG(x[0] == b[0] && std::isinf(total), "untouched on error");
    REQUIRE_MSG(axonal::clip_grad_norm(1, &ptr, &len, 1.0, 2.0, false, false, &total) == axonal::Status::kOk, "no error");
    REQUIRE_MSG(x[0] == 0.0f || std::fabs(x[0]) < 1e-30f, "scaled by 1/inf -> 0 (got %g)", static_cast<double>(x[0]));
    // Below the max norm: unchanged (coef clamped to 1).
    Vec small = {0.1f, -0.2f};
    float* sp = small.data();
    const std::ptrdiff_t sl = 2;
    REQUIRE_MSG(axonal::clip_grad_norm(1, &sp, &sl, 10.0, 2.0, false, false, &total) == axonal::Status::kOk, "small");
    REQUIRE_MSG(small[0] == 0.1f && small[1] == -0.2f, "clamped coefficient must leave grads as they are");
    Vec v = {-3.0f, 0.5f, std::numeric_limits<float>::quiet_NaN(), 2.0f};
    axonal::clip_grad_value(4, v.data(), 1.0f);
    REQUIRE_MSG(v[0] == -1.0f && v[1] == 0.5f && std::isnan(v[2]) && v[3] == 1.0f, "clip value");
  });
}

AXONAL_TEST(optim_dropout_masks_are_counter_based) {
  const int before = axonal::num_threads();
  axonal_test::for_each_isa([&](axonal::Isa) {
    for (std::ptrdiff_t n : kSizes) {
      Vec x = axonal_test::random_floats(static_cast<size_t>(n), 90 + n);
      Vec first_out, first_mask;
      for (int threads : {1, 2, 7}) {
        axonal::set_num_threads(threads);
        Vec out(static_cast<size_t>(n)), mask(static_cast<size_t>(n));
        const std::uint64_t words = axonal::dropout_forward(n, x.data(), out.data(), mask.data(), 0.3f, 1234, 8);
        REQUIRE_MSG(words == axonal::uniform_words(n), "words consumed");
        if (threads == 1) {
          first_out = out;
          first_mask = mask;
          // The mask follows the Philox stream word by word; out = x * mask.
          std::ptrdiff_t kept = 0;
          const float scale = 1.0f / (1.0f - 0.3f);
          for (std::ptrdiff_t i = 0; i < n; ++i) {
            const axonal::Philox4x32 r = axonal::philox4x32_10(8 / 4 + static_cast<std::uint64_t>(i / 4), 1234);
            const double u = (r.v[i % 4] >> 8) * (1.0 / 16777216.0);
            const float want = u < 1.0 - static_cast<double>(0.3f) ? scale : 0.0f;
            REQUIRE_MSG(mask[i] == want, "mask n=%td i=%td", n, i);
            REQUIRE_MSG(out[i] == x[i] * want, "out n=%td i=%td", n, i);
            kept += mask[i] != 0.0f;
          }
          if (n > 100000) {
            const double frac = static_cast<double>(kept) / static_cast<double>(n);
            REQUIRE_MSG(std::fabs(frac - 0.7) < 0.005, "keep fraction %.4f", frac);
          }
        } else {
          REQUIRE_MSG(out == first_out && mask == first_mask, "threads=%d changed the mask", threads);
        }
        Vec gx(static_cast<size_t>(n));
        axonal::dropout_backward(n, x.data(), mask.data(), gx.data());
        REQUIRE_MSG(gx == out, "backward = grad * mask");
      }
    }
    // A chunked call (two halves with advancing offsets) equals one call.
    const std::ptrdiff_t n = 100000;
    Vec x = axonal_test::random_floats(static_cast<size_t>(n), 5), out(n), mask(n), out2(n), mask2(n);
    axonal::dropout_forward(n, x.data(), out.data(), mask.data(), 0.5f, 99, 0);
    const std::uint64_t w = axonal::dropout_forward(40000, x.data(), out2.data(), mask2.data(), 0.5f, 99, 0);
    axonal::dropout_forward(n - 40000, x.data() + 40000, out2.data() + 40000, mask2.data() + 40000, 0.5f, 99, w);
    REQUIRE_MSG(mask == mask2 && out == out2, "chunked mask differs");
    // p = 0 keeps everything unscaled, p = 1 drops everything.
    axonal::dropout_forward(n, x.data(), out.data(), mask.data(), 0.0f, 1, 0);
    REQUIRE_MSG(out == x, "p = 0 must be the identity");
    axonal::dropout_forward(n, x.data(), out.data(), mask.data(), 1.0f, 1, 0);
    for (std::ptrdiff_t i = 0; i < n; ++i) REQUIRE_MSG(out[i] == 0.0f && mask[i] == 0.0f, "p = 1 must drop all");
    // Channel-wise: one draw per (batch, channel).
    const std::ptrdiff_t B = 3, C = 37, S = 19;
    Vec cx = axonal_test::random_floats(static_cast<size_t>(B * C * S), 6), cout(cx.size()), cmask(B * C), gx(cx.size());
    for (int threads : {1, 7}) {
      axonal::set_num_threads(threads);
      const std::uint64_t words = axonal::dropout_channel_forward(B, C, S, cx.data(), cout.data(), cmask.data(), 0.4f, 7, 4);
      REQUIRE_MSG(words == axonal::uniform_words(B * C), "channel words");
      Vec flat(B * C), flat_out(B * C), ones(B * C, 1.0f);
      axonal::dropout_forward(B * C, ones.data(), flat_out.data(), flat.data(), 0.4f, 7, 4);
      REQUIRE_MSG(flat == cmask, "channel mask = element mask over B*C draws");
      for (std::ptrdiff_t pl = 0; pl < B * C; ++pl) {
        for (std::ptrdiff_t s = 0; s < S; ++s) {
          const size_t i = static_cast<size_t>(pl * S + s);
          REQUIRE_MSG(cout[i] == cx[i] * cmask[static_cast<size_t>(pl)], "channel out");
        }
      }
      axonal::dropout_channel_backward(B, C, S, cx.data(), cmask.data(), gx.data());
      REQUIRE_MSG(gx == cout, "channel backward");
    }
  });
  axonal::set_num_threads(before);
}

AXONAL_TEST(optim_steps_do_not_depend_on_thread_count) {
  const int before = axonal::num_threads();
  axonal_test::for_each_isa([&](axonal::Isa) {
    const std::ptrdiff_t n = 1000003;
    Data d(n, 3);
    Vec first;
    for (int threads : {1, 2, 7}) {
      axonal::set_num_threads(threads);
      Vec p = d.p, m(n, 0.0f), v(n, 0.0f), mx(n, 0.0f);
      axonal::AdamOptions o;
      o.amsgrad = true;
      for (int s = 1; s <= 2; ++s) {
        o.step = s;
        axonal::adam_step(n, p.data(), d.g.data(), m.data(), v.data(), mx.data(), o);
      }
      float* ptr = d.g.data();
      Vec g = d.g;
      ptr = g.data();
      double total = 0;
      axonal::clip_grad_norm(1, &ptr, &n, 0.5, 2.0, false, false, &total);
      p.insert(p.end(), g.begin(), g.end());
      p.push_back(static_cast<float>(total));
      if (first.empty()) first = p;
      else REQUIRE_MSG(p == first, "threads=%d changed the result", threads);
    }
  });
  axonal::set_num_threads(before);
}
