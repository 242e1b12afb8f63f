// The vector math functions (kernels/common/vmath_impl.inc) on every ISA against
// double precision: a sweep of evenly spaced float32 bit patterns over the whole
// range (both signs, denormals included), dense sweeps where accuracy is hardest,
// and the special values. The bounds asserted here are the ones stated in
// vmath_impl.inc.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/dispatch.h"
#include "tests/harness.h"

namespace {

using axonal::VMath;

float from_bits(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// One float32 ULP at the magnitude of r (denormal spacing below FLT_MIN).
double ulp_of(double r) {
  const double a = std::fabs(r);
  if (a < std::ldexp(1.0, -126)) return std::ldexp(1.0, -149);
  int e;
  std::frexp(a, &e);  // a = m 2^e, m in [0.5, 1)
  return std::ldexp(1.0, e - 24);
}

double ref(VMath f, double x) {
  switch (f) {
    case VMath::kExp: return std::exp(x);
    case VMath::kExpm1: return std::expm1(x);
    case VMath::kLog: return std::log(x);
    case VMath::kLog1p: return std::log1p(x);
    case VMath::kTanh: return std::tanh(x);
    case VMath::kErf: return std::erf(x);
    case VMath::kSigmoid: return 1.0 / (1.0 + std::exp(-x));
    case VMath::kSoftplus: return std::fmax(x, 0.0) + std::log1p(std::exp(-std::fabs(x)));
    default: return 0.0;
  }
}

const char* name(VMath f) {
  static const char* n[] = {"exp", "expm1", "log", "log1p", "tanh", "erf", "sigmoid", "softplus"};
  return n[static_cast<int>(f)];
}

// Error measure per function: ULPs, except erf which is bounded absolutely (and in
// ULPs near zero).
struct Bound {
  double max_ulp;
  double max_abs;  // 0: not used
};

Bound bound(VMath f) {
  switch (f) {
    case VMath::kExp: return {2, 0};
    case VMath::kExpm1: return {3, 0};
    case VMath::kLog: return {2, 0};
    case VMath::kLog1p: return {3, 0};
    case VMath::kTanh: return {3, 0};
    case VMath::kErf: return {4.5, 0};
    case VMath::kSigmoid: return {3, 0};
    case VMath::kSoftplus: return {5, 0};
    default: return {0, 0};
  }
}

std::vector<float> sweep_inputs() {
  std::vector<float> xs;
  // Every 4099th bit pattern (both signs, all exponents incl. denormals, Inf, NaN).
  for (std::uint64_t u = 0; u <= 0xffffffffu; u += 4099) xs.push_back(from_bits(static_cast<std::uint32_t>(u)));
  // Dense around the interesting region.
  for (int i = -200000; i <= 200000; ++i) xs.push_back(static_cast<float>(i) * 1e-4f);
  const float specials[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 0.625f, -0.625f, 88.72f, 88.73f, 89.0f,
                            -87.3f, -103.9f, -104.0f, -150.0f, 1e-45f, -1e-45f, 1.17549435e-38f, 3.4e38f, -3.4e38f,
                            4.0f, -4.0f, 9.0f, -9.0f, 1e-20f, -1e-20f, -0.99999994f, -1.0f + 1e-7f};
  for (float s : specials) xs.push_back(s);
  xs.push_back(std::numeric_limits<float>::infinity());
  xs.push_back(-std::numeric_limits<float>::infinity());
  xs.push_back(std::numeric_limits<float>::quiet_NaN());
  return xs;
}

AXONAL_TEST(vmath_accuracy_against_double) {
  const std::vector<float> xs = sweep_inputs();
  std::vector<float> ys(xs.size());
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::ActivationKernels& k = *axonal::kernels().activation;
    for (int fi = 0; fi < static_cast<int>(VMath::kCount); ++fi) {
      const VMath f = static_cast<VMath>(fi);
      k.vmath[fi](xs.data(), ys.data(), xs.size(), axonal::ActParams{});
      const Bound b = bound(f);
      double worst_ulp = 0, worst_abs = 0;
      float worst_x = 0, worst_abs_x = 0;
      int bad_special = 0;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        const double x = xs[i];
        const double r = ref(f, x);
        const double y = ys[i];
        if (std::isnan(r) || std::isinf(r) || std::isnan(x)) {
          const bool same = std::isnan(r) ? std::isnan(y) : (y == r);
          if (!same && !(std::isinf(r) && std::fabs(r) > 0 && std::isinf(static_cast<float>(r)) && y == r)) {
            if (bad_special++ < 3) axonal_test::record_failure(__FILE__, __LINE__, axonal_test::fmt("%s(%g) = %g, want %g", name(f), x, y, r));
          }
          continue;
        }
        const double rf = static_cast<double>(static_cast<float>(r));
        if (std::isinf(rf)) {  // overflows float32: must be Inf (or FLT_MAX within 1 ULP)
          if (!(std::isinf(y) && (y > 0) == (r > 0)) && std::fabs(y) < 3.4028234e38) {
            if (bad_special++ < 3) axonal_test::record_failure(__FILE__, __LINE__, axonal_test::fmt("%s(%g) = %g, want overflow", name(f), x, y));
          }
          continue;
        }
        const double err = std::fabs(y - r);
        double ulps = err / ulp_of(r);
        if (b.max_abs > 0) {
          if (err > worst_abs) {
            worst_abs = err;
            worst_abs_x = xs[i];
          }
          if (std::fabs(x) >= 0.5) ulps = 0;  // erf: absolute bound away from zero
        }
        if (f == VMath::kSigmoid && x < -87.0) {
          // relative error bound down to the denormal range
          const double rel = err / std::fabs(r);
          if (r > 1e-37 && rel > 1e-6) ulps = 1e9;
          else ulps = 0;
        }
        if (ulps > worst_ulp) {
          worst_ulp = ulps;
          worst_x = xs[i];
        }
      }
      std::printf("    [%s] %-8s max %.2f ULP at %.9g%s\n", axonal_test::context().c_str(), name(f), worst_ulp,
                  static_cast<double>(worst_x), b.max_abs > 0 ? axonal_test::fmt(", max abs %.3g at %.9g", worst_abs, static_cast<double>(worst_abs_x)).c_str() : "");
      REQUIRE_MSG(worst_ulp <= b.max_ulp, "%s: %.2f ULP at x = %.9g (bound %.1f)", name(f), worst_ulp,
                  static_cast<double>(worst_x), b.max_ulp);
      REQUIRE_MSG(b.max_abs == 0 || worst_abs <= b.max_abs, "%s: abs error %.3g (bound %.3g)", name(f), worst_abs,
                  b.max_abs);
    }
  });
}

AXONAL_TEST(vmath_special_values) {
  const float inf = std::numeric_limits<float>::infinity();
  const float xs[] = {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(), -1.0f, 1e-45f};
  float y[7];
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::ActivationKernels& k = *axonal::kernels().activation;
    auto run = [&](VMath f) {
      k.vmath[static_cast<int>(f)](xs, y, 7, axonal::ActParams{});
    };
    run(VMath::kExp);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(y[2], inf);
    EXPECT_EQ(y[3], 0.0f);
    EXPECT_TRUE(std::isnan(y[4]));
    run(VMath::kLog);
    EXPECT_EQ(y[0], -inf);
    EXPECT_EQ(y[1], -inf);
    EXPECT_EQ(y[2], inf);
    EXPECT_TRUE(std::isnan(y[3]));
    EXPECT_TRUE(std::isnan(y[5]));
    EXPECT_TRUE(std::fabs(y[6] - std::log(static_cast<double>(xs[6]))) < 1e-5);
    run(VMath::kLog1p);
    EXPECT_EQ(y[5], -inf);
    EXPECT_TRUE(std::signbit(y[1]));
    run(VMath::kExpm1);
    EXPECT_EQ(y[3], -1.0f);
    EXPECT_TRUE(std::signbit(y[1]) && y[1] == 0.0f);
    run(VMath::kTanh);
    EXPECT_EQ(y[2], 1.0f);
    EXPECT_EQ(y[3], -1.0f);
    EXPECT_TRUE(std::signbit(y[1]) && y[1] == 0.0f);
    EXPECT_TRUE(std::isnan(y[4]));
    run(VMath::kErf);
    EXPECT_EQ(y[2], 1.0f);
    EXPECT_EQ(y[3], -1.0f);
    EXPECT_TRUE(std::signbit(y[1]) && y[1] == 0.0f);
    EXPECT_TRUE(std::isnan(y[4]));
    run(VMath::kSigmoid);
    EXPECT_EQ(y[2], 1.0f);
    EXPECT_EQ(y[3], 0.0f);
    EXPECT_EQ(y[0], 0.5f);
    EXPECT_TRUE(std::isnan(y[4]));
  });
}

}  // namespace
