// Activation kernels on every ISA against float64 references: sizes 0, 1, 15, 16,
// 17, 1000 (every op) and 1000003 (a few), writes confined to [0, n), in place equal
// to out of place, special values, softmax on strided views, thread-count
// independence.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/activation.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::ActOp;
using axonal::ActParams;

const double kSeluAlpha = 1.6732632423543772848170429916717;
const double kSeluScale = 1.0507009873554804934193349852946;
const double kPi = 3.14159265358979323846;

double sigm(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus_ref(double x, double b, double t) { return x * b > t ? x : std::log1p(std::exp(b * x)) / b; }

double fwd_ref(ActOp op, double x, ActParams p) {
  switch (op) {
    case ActOp::kRelu: return x < 0 ? 0 : x;
    case ActOp::kLeakyRelu: return x > 0 ? x : p.a * x;
    case ActOp::kElu: return x > 0 ? x : p.a * std::expm1(x);
    case ActOp::kSelu: return x > 0 ? kSeluScale * x : kSeluScale * kSeluAlpha * std::expm1(x);
    case ActOp::kGelu: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case ActOp::kGeluTanh: return 0.5 * x * (1 + std::tanh(std::sqrt(2 / kPi) * (x + 0.044715 * x * x * x)));
    case ActOp::kSilu: return x * sigm(x);
    case ActOp::kMish: return x * std::tanh(std::log1p(std::exp(x)));
    case ActOp::kSigmoid: return sigm(x);
    case ActOp::kTanh: return std::tanh(x);
    case ActOp::kSoftplus: return softplus_ref(x, p.a, p.b);
    case ActOp::kHardtanh: return x < p.a ? p.a : x > p.b ? p.b : x;
    case ActOp::kHardsigmoid: return std::fmin(std::fmax(x + 3, 0.0), 6.0) / 6;
    case ActOp::kHardswish: return x * std::fmin(std::fmax(x + 3, 0.0), 6.0) / 6;
    case ActOp::kExp: return std::exp(x);
    case ActOp::kLog: return std::log(x);
    case ActOp::kSqrt: return std::sqrt(x);
    case ActOp::kAbs: return std::fabs(x);
    case ActOp::kLog1p: return std::log1p(x);
    case ActOp::kExpm1: return std::expm1(x);
    case ActOp::kReciprocal: return 1 / x;
    case ActOp::kSquare: return x * x;
    case ActOp::kPow: return std::pow(x, static_cast<double>(p.a));
    case ActOp::kClamp: return x < p.a ? p.a : x > p.b ? p.b : x;
    case ActOp::kCopy: return x;
    default: return 0;
  }
}

// Derivative with respect to x (for sigmoid/tanh the kernel is given y instead).
double grad_ref(ActOp op, double x, ActParams p) {
  switch (op) {
    case ActOp::kRelu: return x <= 0 ? 0 : 1;
    case ActOp::kLeakyRelu: return x > 0 ? 1 : p.a;
    case ActOp::kElu: return x > 0 ? 1 : p.a * std::exp(x);
    case ActOp::kSelu: return x > 0 ? kSeluScale : kSeluScale * kSeluAlpha * std::exp(x);
    case ActOp::kGelu: return 0.5 * (1 + std::erf(x / std::sqrt(2.0))) + x * std::exp(-0.5 * x * x) / std::sqrt(2 * kPi);
    case ActOp::kGeluTanh: {
      const double k = std::sqrt(2 / kPi), u = k * (x + 0.044715 * x * x * x), t = std::tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
    }
    case ActOp::kSilu: return sigm(x) * (1 + x * (1 - sigm(x)));
    case ActOp::kMish: {
      const double t = std::tanh(std::log1p(std::exp(x)));
      return t + x * sigm(x) * (1 - t * t);
    }
    case ActOp::kSigmoid: return sigm(x) * (1 - sigm(x));
    case ActOp::kTanh: return 1 - std::tanh(x) * std::tanh(x);
    case ActOp::kSoftplus: return x * p.a > p.b ? 1 : sigm(p.a * x);
    case ActOp::kHardtanh: return x > p.a && x < p.b ? 1 : 0;
    case ActOp::kHardsigmoid: return x > -3 && x < 3 ? 1.0 / 6 : 0;
    case ActOp::kHardswish: return x < -3 ? 0 : x >= 3 ? 1 : x / 3 + 0.5;
    case ActOp::kExp: return std::exp(x);
    case ActOp::kLog: return 1 / x;
    case ActOp::kSqrt: return 0.5 / std::sqrt(x);
    case ActOp::kAbs: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case ActOp::kLog1p: return 1 / (x + 1);
    case ActOp::kExpm1: return std::exp(x);
    case ActOp::kReciprocal: return -1 / (x * x);
    case ActOp::kSquare: return 2 * x;
    case ActOp::kPow: return p.a * std::pow(x, p.a - 1.0);
    case ActOp::kClamp: return x >= p.a && x <= p.b ? 1 : 0;
    case ActOp::kCopy: return 1;
    default: return 0;
  }
}

ActParams params(ActOp op) {
  switch (op) {
    case ActOp::kLeakyRelu: return {0.2f, 0};
    case ActOp::kElu: return {1.3f, 0};
    case ActOp::kSoftplus: return {2.0f, 15.0f};
    case ActOp::kHardtanh: return {-0.5f, 2.0f};
    case ActOp::kPow: return {2.5f, 0};  // the general (powf) path; fast paths in the special-value test
    case ActOp::kClamp: return {-0.5f, 3.0f};  // 3 is among the inputs: the bound is inclusive
    default: return {0, 0};
  }
}

const char* op_name(ActOp op) {
  static const char* n[] = {"relu", "leaky_relu", "elu", "selu", "gelu", "gelu_tanh", "silu", "mish",
                            "sigmoid", "tanh", "softplus", "hardtanh", "hardsigmoid", "hardswish", "exp", "log",
                            "sqrt", "abs", "log1p", "expm1", "reciprocal", "square", "pow", "clamp", "copy"};
  static_assert(sizeof(n) / sizeof(n[0]) == static_cast<int>(ActOp::kCount), "a name per op");
  return n[static_cast<int>(op)];
}

bool saves_output(ActOp op) {
  return op == ActOp::kSigmoid || op == ActOp::kTanh || op == ActOp::kExp || op == ActOp::kSqrt ||
         op == ActOp::kExpm1 || op == ActOp::kReciprocal;
}

// Tolerance: a few float32 roundings of the result, plus the cancellation some
// PyTorch formulas have near zero crossings (gelu's 1 + erf, elu's e^x - 1), which
// is bounded by a few ULPs of the terms before cancellation (~|x|).
bool close(double got, double want, double x) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::fabs(want) > std::numeric_limits<float>::max()) return got == std::copysign(INFINITY, want);  // overflows float
  return std::fabs(got - want) <= 4e-6 * std::fabs(want) + 4e-7 * std::fmax(1.0, std::fabs(x));
}

std::vector<float> inputs(std::size_t n, std::uint64_t seed) {
  std::vector<float> x = axonal_test::random_floats(n, seed);
  for (float& v : x) v *= 8.0f;  // [-8, 8)
  const float specials[] = {0.0f, -0.0f, 3.0f, -3.0f, 1e-30f, -1e-30f, 50.0f, -50.0f, 0.5f, -0.5f};
  for (std::size_t i = 0; i < n && i < 10; ++i) x[i * 7 % n] = specials[i];
  return x;
}

constexpr float kSentinel = 12345.0f;

void check_op(ActOp op, std::size_t n) {
  const ActParams p = params(op);
  const std::vector<float> x = inputs(n, 100 + n);
  std::vector<float> dy = axonal_test::random_floats(n, 200 + n);
  std::vector<float> y(n + 16, kSentinel), dx(n + 16, kSentinel);
  REQUIRE_MSG(axonal::activation_fwd(op, x.data(), y.data(), static_cast<std::ptrdiff_t>(n), p) == axonal::Status::kOk,
              "fwd failed");
  for (std::size_t i = 0; i < n; ++i) {
    const double want = fwd_ref(op, x[i], p);
    REQUIRE_MSG(close(y[i], want, x[i]), "%s fwd n=%zu: x[%zu]=%.9g -> %.9g, want %.9g", op_name(op), n, i,
                static_cast<double>(x[i]), static_cast<double>(y[i]), want);
  }
  for (std::size_t i = n; i < n + 16; ++i) REQUIRE_MSG(y[i] == kSentinel, "%s fwd n=%zu wrote past the end", op_name(op), n);
  const float* src = saves_output(op) ? y.data() : x.data();
  REQUIRE_MSG(axonal::activation_bwd(op, src, dy.data(), dx.data(), static_cast<std::ptrdiff_t>(n), p) ==
                  axonal::Status::kOk,
              "bwd failed");
  for (std::size_t i = 0; i < n; ++i) {
    const double want = dy[i] * grad_ref(op, x[i], p);
    // The backward of sigmoid/tanh reads the rounded y: allow for it.
    const double slack = saves_output(op) ? 4e-7 : 0.0;
    REQUIRE_MSG(close(dx[i], want, x[i]) || std::fabs(dx[i] - want) <= slack, "%s bwd n=%zu: x[%zu]=%.9g -> %.9g, want %.9g",
                op_name(op), n, i, static_cast<double>(x[i]), static_cast<double>(dx[i]), want);
  }
  for (std::size_t i = n; i < n + 16; ++i) REQUIRE_MSG(dx[i] == kSentinel, "%s bwd n=%zu wrote past the end", op_name(op), n);
  // In place gives the same bits as out of place.
  std::vector<float> z(x);
  axonal::activation_fwd(op, z.data(), z.data(), static_cast<std::ptrdiff_t>(n), p);
  REQUIRE_MSG(n == 0 || std::memcmp(z.data(), y.data(), n * sizeof(float)) == 0, "%s in place differs", op_name(op));
}

AXONAL_TEST(activations_match_float64_at_awkward_sizes) {
  axonal_test::for_each_isa([](axonal::Isa) {
    for (int o = 0; o < static_cast<int>(ActOp::kCount); ++o) {
      for (std::size_t n : {0, 1, 15, 16, 17, 1000}) check_op(static_cast<ActOp>(o), n);
    }
    for (ActOp op : {ActOp::kRelu, ActOp::kGelu, ActOp::kSigmoid, ActOp::kSoftplus}) check_op(op, 1000003);
  });
}

AXONAL_TEST(activations_special_values) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const float x[] = {nan, inf, -inf, -0.0f, 0.0f};
  float y[5];
  axonal_test::for_each_isa([&](axonal::Isa) {
    for (int o = 0; o < static_cast<int>(ActOp::kCount); ++o) {
      const ActOp op = static_cast<ActOp>(o);
      axonal::activation_fwd(op, x, y, 5, params(op));
      REQUIRE_MSG(std::isnan(y[0]), "%s(NaN) = %g", op_name(op), static_cast<double>(y[0]));
    }
    axonal::activation_fwd(ActOp::kRelu, x, y, 5, {});
    EXPECT_TRUE(std::signbit(y[3]) && y[3] == 0.0f);  // relu(-0) = -0 (clamp_min)
    EXPECT_EQ(y[1], inf);
    EXPECT_EQ(y[2], 0.0f);
    axonal::activation_fwd(ActOp::kSigmoid, x, y, 5, {});
    EXPECT_EQ(y[1], 1.0f);
    EXPECT_EQ(y[2], 0.0f);
    axonal::activation_fwd(ActOp::kTanh, x, y, 5, {});
    EXPECT_EQ(y[1], 1.0f);
    EXPECT_EQ(y[2], -1.0f);
    axonal::activation_fwd(ActOp::kGelu, x, y, 5, {});
    EXPECT_EQ(y[1], inf);
    EXPECT_TRUE(y[2] == 0.0f || std::isnan(y[2]));
    EXPECT_TRUE(!std::signbit(y[3]));  // +0 as PyTorch's multi-element CPU path
    axonal::activation_fwd(ActOp::kSoftplus, x, y, 5, {1.0f, 20.0f});
    EXPECT_EQ(y[1], inf);
    EXPECT_EQ(y[2], 0.0f);
    axonal::activation_fwd(ActOp::kSilu, x, y, 5, {});
    EXPECT_TRUE(std::isnan(y[2]));  // -inf * sigmoid(-inf) = -inf * 0, as PyTorch's x / (1 + e^-x)
  });
}

// The elementwise math ops at PyTorch 1.13's special points (measured on its
// vectorised CPU path with tensors of 96 elements).
AXONAL_TEST(math_ops_special_values) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  const float x[] = {nan, inf, -inf, -0.0f, 0.0f, -1.0f, 1.0f};
  const float one[] = {1, 1, 1, 1, 1, 1, 1};
  float y[7], dx[7];
  const auto fwd = [&](ActOp op, ActParams p) { axonal::activation_fwd(op, x, y, 7, p); };
  const auto bwd = [&](ActOp op, ActParams p, const float* src) { axonal::activation_bwd(op, src, one, dx, 7, p); };
  axonal_test::for_each_isa([&](axonal::Isa) {
    fwd(ActOp::kLog, {});
    bwd(ActOp::kLog, {}, x);
    EXPECT_TRUE(y[3] == -inf && y[4] == -inf && std::isnan(y[5]));
    EXPECT_TRUE(dx[3] == -inf && dx[4] == inf && dx[5] == -1.0f && dx[1] == 0.0f);  // dy / x
    fwd(ActOp::kSqrt, {});
    bwd(ActOp::kSqrt, {}, y);
    EXPECT_TRUE(std::signbit(y[3]) && y[3] == 0.0f && std::isnan(y[5]));
    EXPECT_TRUE(dx[3] == -inf && dx[4] == inf && std::isnan(dx[5]) && dx[1] == 0.0f);  // dy / (2 y)
    bwd(ActOp::kAbs, {}, x);
    EXPECT_TRUE(dx[0] == 0.0f && dx[3] == 0.0f && dx[4] == 0.0f && dx[2] == -1.0f && dx[1] == 1.0f);  // sgn
    fwd(ActOp::kReciprocal, {});
    bwd(ActOp::kReciprocal, {}, y);
    EXPECT_TRUE(y[3] == -inf && y[4] == inf && dx[3] == -inf && dx[4] == -inf);
    EXPECT_TRUE(dx[1] == 0.0f && std::signbit(dx[1]));  // -1 * 0^2 = -0
    fwd(ActOp::kLog1p, {});
    bwd(ActOp::kLog1p, {}, x);
    EXPECT_TRUE(y[5] == -inf && dx[5] == inf && std::signbit(y[3]));
    fwd(ActOp::kExpm1, {});
    EXPECT_TRUE(y[2] == -1.0f && std::signbit(y[3]) && y[1] == inf);
    // pow: exponent 0 gives 1 (NaN too) and a zero gradient; the fast paths decide -Inf.
    fwd(ActOp::kPow, {0.0f, 0});
    bwd(ActOp::kPow, {0.0f, 0}, x);
    for (int i = 0; i < 7; ++i) EXPECT_TRUE(y[i] == 1.0f && dx[i] == 0.0f);
    fwd(ActOp::kPow, {0.5f, 0});
    bwd(ActOp::kPow, {0.5f, 0}, x);
    EXPECT_TRUE(std::isnan(y[2]) && dx[4] == inf && dx[3] == -inf);  // sqrt(-Inf); 0.5 * rsqrt(-0)
    fwd(ActOp::kPow, {0.3f, 0});
    EXPECT_TRUE(y[2] == inf && y[4] == 0.0f && std::isnan(y[5]));  // powf(-Inf, 0.3) = +Inf
    bwd(ActOp::kPow, {1.0f, 0}, x);
    EXPECT_TRUE(dx[0] == 1.0f && dx[1] == 1.0f);  // 1 * x^0 = 1, NaN included
    bwd(ActOp::kPow, {2.0f, 0}, x);
    EXPECT_TRUE(dx[2] == -inf && dx[3] == 0.0f && std::signbit(dx[3]));  // 2 * x
    bwd(ActOp::kPow, {-2.0f, 0}, x);
    EXPECT_TRUE(dx[3] == inf && dx[4] == -inf);  // -2 * x^-3
    // clamp: inclusive bounds in the gradient, NaN kept with zero gradient, min > max gives max.
    fwd(ActOp::kClamp, {-1.0f, 1.0f});
    bwd(ActOp::kClamp, {-1.0f, 1.0f}, x);
    EXPECT_TRUE(std::isnan(y[0]) && dx[0] == 0.0f && y[1] == 1.0f && y[2] == -1.0f && dx[1] == 0.0f);
    EXPECT_TRUE(dx[5] == 1.0f && dx[6] == 1.0f && std::signbit(y[3]));
    fwd(ActOp::kClamp, {1.0f, -1.0f});
    bwd(ActOp::kClamp, {1.0f, -1.0f}, x);
    for (int i = 1; i < 7; ++i) EXPECT_TRUE(y[i] == -1.0f && dx[i] == 0.0f);
    bwd(ActOp::kClamp, {-inf, inf}, x);
    EXPECT_TRUE(dx[0] == 0.0f && dx[1] == 1.0f && dx[2] == 1.0f);
  });
}

// Softmax rows on strided views: ld > cols, the padding must stay untouched.
void check_softmax(bool log, std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t pad) {
  const std::ptrdiff_t ld = cols + pad;
  std::vector<float> x = axonal_test::random_floats(static_cast<size_t>(rows * ld + 1), 7 + rows + cols);
  for (float& v : x) v *= 20.0f;
  if (rows > 1 && cols > 2) {
    x[static_cast<size_t>(ld)] = 1000.0f;  // huge logit
    x[static_cast<size_t>(ld + 1)] = -std::numeric_limits<float>::infinity();
  }
  std::vector<float> y(x.size(), kSentinel), dy = axonal_test::random_floats(x.size(), 99), dx(x.size(), kSentinel);
  REQUIRE_MSG(axonal::softmax_fwd(log, x.data(), ld, y.data(), ld, rows, cols) == axonal::Status::kOk, "fwd");
  REQUIRE_MSG(axonal::softmax_bwd(log, y.data(), ld, dy.data(), ld, dx.data(), ld, rows, cols) == axonal::Status::kOk, "bwd");
  for (std::ptrdiff_t r = 0; r < rows; ++r) {
    const float* xr = x.data() + r * ld;
    double m = -INFINITY, s = 0;
    for (std::ptrdiff_t c = 0; c < cols; ++c) m = xr[c] > m ? xr[c] : m;  // (not fmax: GCC 12 aarch64 ICEs vectorizing it)
    for (std::ptrdiff_t c = 0; c < cols; ++c) s += std::exp(xr[c] - m);
    double dot = 0, dsum = 0;
    std::vector<double> ref(static_cast<size_t>(cols));
    for (std::ptrdiff_t c = 0; c < cols; ++c) {
      const double p = std::exp(xr[c] - m) / s;
      ref[static_cast<size_t>(c)] = log ? (xr[c] - m) - std::log(s) : p;
      dot += dy[static_cast<size_t>(r * ld + c)] * p;
      dsum += dy[static_cast<size_t>(r * ld + c)];
    }
    for (std::ptrdiff_t c = 0; c < cols; ++c) {
      const size_t i = static_cast<size_t>(r * ld + c);
      const double want = ref[static_cast<size_t>(c)];
      const double p = std::exp(xr[c] - m) / s;
      const double g = log ? dy[i] - p * dsum : p * (dy[i] - dot);
      REQUIRE_MSG(std::isinf(want) ? y[i] == want : std::fabs(y[i] - want) <= 2e-6 * std::fabs(want) + 1e-7 * (log ? 50 : 1),
                  "%s rows=%td cols=%td [%td,%td]: %.9g want %.9g", log ? "log_softmax" : "softmax", rows, cols, r, c,
                  static_cast<double>(y[i]), want);
      REQUIRE_MSG(std::fabs(dx[i] - g) <= 1e-5 * (1 + std::fabs(g)), "%s bwd rows=%td cols=%td [%td,%td]: %.9g want %.9g",
                  log ? "log_softmax" : "softmax", rows, cols, r, c, static_cast<double>(dx[i]), g);
    }
    for (std::ptrdiff_t c = cols; c < ld && r * ld + c < static_cast<std::ptrdiff_t>(x.size()); ++c) {
      REQUIRE_MSG(y[static_cast<size_t>(r * ld + c)] == kSentinel && dx[static_cast<size_t>(r * ld + c)] == kSentinel,
                  "padding written");
    }
  }
}

AXONAL_TEST(softmax_rows_match_float64_on_strided_views) {
  axonal_test::for_each_isa([](axonal::Isa) {
    for (bool log : {false, true}) {
      for (std::ptrdiff_t cols : {1, 15, 16, 17, 100, 1000}) {
        for (std::ptrdiff_t rows : {0, 1, 3, 17}) check_softmax(log, rows, cols, cols % 3 == 0 ? 0 : 5);
      }
      check_softmax(log, 1000003 / 1009, 1009, 3);
    }
  });
}

AXONAL_TEST(softmax_special_rows) {
  const float inf = std::numeric_limits<float>::infinity();
  const float x[] = {-inf, -inf, -inf, 1.0f, NAN, 2.0f, 1000.0f, -1000.0f, 1000.0f};
  float y[9];
  axonal_test::for_each_isa([&](axonal::Isa) {
    axonal::softmax_fwd(false, x, 3, y, 3, 3, 3);
    for (int i = 0; i < 6; ++i) EXPECT_TRUE(std::isnan(y[i]));  // all -inf row, NaN row: NaN (as PyTorch)
    EXPECT_EQ(y[6], 0.5f);
    EXPECT_EQ(y[7], 0.0f);
    axonal::softmax_fwd(true, x, 3, y, 3, 3, 3);
    EXPECT_TRUE(std::fabs(y[6] + 0.69314718f) < 1e-6f);
    EXPECT_EQ(y[7], -2000.0f - 0.69314718f);
  });
}

// Strided [rows, cols] views: the padding between rows stays untouched and every
// element matches the flat kernel bit for bit.
AXONAL_TEST(activations_on_strided_views) {
  axonal_test::for_each_isa([](axonal::Isa) {
    for (int o = 0; o < static_cast<int>(ActOp::kCount); ++o) {
      const ActOp op = static_cast<ActOp>(o);
      const ActParams p = params(op);
      for (std::ptrdiff_t cols : {1, 15, 16, 17, 100}) {
        const std::ptrdiff_t rows = 7, ld = cols + 3;
        const std::vector<float> x = inputs(static_cast<size_t>(rows * ld), 40 + cols);
        const std::vector<float> dy = axonal_test::random_floats(static_cast<size_t>(rows * ld), 41);
        std::vector<float> y(x.size(), kSentinel), dx(x.size(), kSentinel);
        REQUIRE_MSG(axonal::activation_fwd_2d(op, x.data(), ld, y.data(), ld, rows, cols, p) == axonal::Status::kOk, "fwd");
        const float* src = saves_output(op) ? y.data() : x.data();
        REQUIRE_MSG(axonal::activation_bwd_2d(op, src, ld, dy.data(), ld, dx.data(), ld, rows, cols, p) ==
                        axonal::Status::kOk,
                    "bwd");
        for (std::ptrdiff_t r = 0; r < rows; ++r) {
          std::vector<float> fy(static_cast<size_t>(cols)), fdx(static_cast<size_t>(cols));
          axonal::activation_fwd(op, x.data() + r * ld, fy.data(), cols, p);
          axonal::activation_bwd(op, src + r * ld, dy.data() + r * ld, fdx.data(), cols, p);
          REQUIRE_MSG(std::memcmp(fy.data(), y.data() + r * ld, sizeof(float) * static_cast<size_t>(cols)) == 0 &&
                          std::memcmp(fdx.data(), dx.data() + r * ld, sizeof(float) * static_cast<size_t>(cols)) == 0,
                      "%s cols=%td row %td differs from the flat kernel", op_name(op), cols, r);
          for (std::ptrdiff_t c = cols; c < ld; ++c) {
            REQUIRE_MSG(y[static_cast<size_t>(r * ld + c)] == kSentinel && dx[static_cast<size_t>(r * ld + c)] == kSentinel,
                        "%s cols=%td: padding written", op_name(op), cols);
          }
        }
      }
    }
  });
}

AXONAL_TEST(activations_same_bits_for_1_2_7_threads) {
  const int before = axonal::num_threads();
  const std::size_t n = 1000003;
  const std::vector<float> x = inputs(n, 5);
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::vector<float> first;
    for (int threads : {1, 2, 7}) {
      axonal::set_num_threads(threads);
      std::vector<float> y(n);
      axonal::activation_fwd(ActOp::kGelu, x.data(), y.data(), static_cast<std::ptrdiff_t>(n), {});
      std::vector<float> s(n);
      axonal::softmax_fwd(true, x.data(), 1009, s.data(), 1009, static_cast<std::ptrdiff_t>(n / 1009), 1009);
      y.insert(y.end(), s.begin(), s.end());
      if (first.empty()) first = y;
      REQUIRE_MSG(std::memcmp(first.data(), y.data(), y.size() * sizeof(float)) == 0, "threads=%d differs", threads);
    }
  });
  axonal::set_num_threads(before);
}

}  // namespace
