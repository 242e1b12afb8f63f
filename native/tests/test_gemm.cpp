#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "axonal/activation.h"
#include "axonal/dispatch.h"
#include "axonal/gemm.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

struct Case {
  bool ta, tb;
  std::ptrdiff_t m, n, k, pad;
  float alpha, beta;
  bool bias = false;
  int act = 0;  // GemmActivation: 0 none, 1 relu, 2 gelu, 3 gelu tanh
};

constexpr int kGelu = static_cast<int>(axonal::GemmActivation::kGelu);
constexpr int kGeluTanh = static_cast<int>(axonal::GemmActivation::kGeluTanh);

// GELU in double (PyTorch's definitions).
double gelu_ref(double x, int act) {
  if (act == kGelu) return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  const double inner = std::sqrt(2.0 / 3.14159265358979323846) * (x + 0.044715 * x * x * x);
  return 0.5 * x * (1.0 + std::tanh(inner));
}

// The activation kernel (nn.functional.gelu's) for a GELU code.
axonal::ActOp gelu_op(int act) { return act == kGelu ? axonal::ActOp::kGelu : axonal::ActOp::kGeluTanh; }

bool same_bits(float x, float y) { return std::memcmp(&x, &y, sizeof(float)) == 0; }

// A densely stored product (lda, ldb, ldc the rows' lengths) with C = act(alpha op(A) op(B) + beta C + bias).
axonal::SgemmArgs dense_args(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, bool ta, bool tb, const float* a,
                             const float* b, float* c, const float* bias, int act, float alpha, float beta) {
  axonal::SgemmArgs g;
  g.trans_a = ta;
  g.trans_b = tb;
  g.m = m;
  g.n = n;
  g.k = k;
  g.alpha = alpha;
  g.a = a;
  g.lda = ta ? m : k;
  g.b = b;
  g.ldb = tb ? k : n;
  g.beta = beta;
  g.c = c;
  g.ldc = n;
  g.bias = bias;
  g.activation = act;
  return g;
}

// Runs one case on the active ISA against a double-accumulated reference.
// Stated bound, asserted per element, on the pre-activation value x = alpha op(A)op(B)
// + beta C + bias:
//   |x - ref| <= E = 2 (k + 2) eps (|alpha| |A||B| + |beta C| + |bias|),  eps = 2^-24
// (any summation order of k products, plus the alpha/beta/bias roundings; relu is
// 1-Lipschitz so it keeps the bound). GELU (both forms) after it:
//   |C - gelu(ref)| <= 1.13 E + 4 eps (|ref| + E) + 1e-30
// 1.13 >= max |gelu'| (gelu' lies in [-0.129, 1.129] for both forms) carries the GEMM's
// error through GELU; 4 eps |x| bounds the activation's own error at its float input x
// (measured <= 2.8 eps |x| over [-20, 20] and every exponent; the cancellation in
// 1 + erf(x / sqrt 2) for negative x makes it relative to |x|, not to the result).
// For the GELU forms the case also runs with no activation and applies the activation
// kernel (nn.functional.gelu's) to each row of that C: the fused result must have the
// same bits, whichever path (full or clipped tile, transposed product, m = 1, no
// product) the sizes or the forced path chose.
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
  std::vector<double> ref(cm.begin(), cm.end());  // the pre-activation value, then act of it
  std::vector<double> mag(cm.size());
  std::vector<float> bias = axonal_test::random_floats(static_cast<size_t>(c.n) + 1, seed + 3);
  axonal_test::reference_sgemm(c.ta, c.tb, c.m, c.n, c.k, c.alpha, a.data(), lda, b.data(), ldb, c.beta, ref.data(),
                               ldc);
  for (std::ptrdiff_t i = 0; i < c.m; ++i) {
    for (std::ptrdiff_t j = 0; j < c.n; ++j) {
      double& r = ref[static_cast<size_t>(i * ldc + j)];
      if (c.bias) r += bias[static_cast<size_t>(j)];
    }
  }
  const std::vector<double> pre = ref;
  for (std::ptrdiff_t i = 0; i < c.m; ++i) {
    for (std::ptrdiff_t j = 0; j < c.n; ++j) {
      double& r = ref[static_cast<size_t>(i * ldc + j)];
      if (c.act == 1 && r < 0) r = 0;
      if (c.act >= kGelu) r = gelu_ref(r, c.act);
    }
  }
  // |A||B| for the bound.
  std::vector<float> aa(a), bb(b);
  for (float& v : aa) v = std::fabs(v);
  for (float& v : bb) v = std::fabs(v);
  for (size_t i = 0; i < mag.size(); ++i) mag[i] = c.beta == 0.0f ? 0.0 : std::fabs(c.beta * cm[i]);
  axonal_test::reference_sgemm(c.ta, c.tb, c.m, c.n, c.k, std::fabs(c.alpha), aa.data(), lda, bb.data(), ldb,
                               c.beta == 0.0f ? 0.0 : 1.0, mag.data(), ldc);
  if (c.bias) {
    for (std::ptrdiff_t i = 0; i < c.m; ++i) {
      for (std::ptrdiff_t j = 0; j < c.n; ++j) mag[static_cast<size_t>(i * ldc + j)] += std::fabs(bias[static_cast<size_t>(j)]);
    }
  }
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
  g.bias = c.bias ? bias.data() : nullptr;
  g.activation = c.act;
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
      double bound = 2.0 * (static_cast<double>(c.k) + 2.0) * eps * mag[idx] + 1e-30;
      if (c.act >= kGelu) bound = 1.13 * bound + 4.0 * eps * (std::fabs(pre[idx]) + bound) + 1e-30;
      const double err = std::fabs(static_cast<double>(cm[idx]) - ref[idx]);
      REQUIRE_MSG(err <= bound,
                  "ta=%d tb=%d m=%td n=%td k=%td pad=%td alpha=%g beta=%g bias=%d act=%d: C[%td,%td]=%.9g ref %.9g "
                  "(err %.3g > %.3g)",
                  c.ta, c.tb, c.m, c.n, c.k, c.pad, static_cast<double>(c.alpha), static_cast<double>(c.beta), c.bias,
                  c.act, i, j,
                  static_cast<double>(cm[idx]), ref[idx], err, bound);
    }
  }
  if (c.act >= kGelu) {
    std::vector<float> plain = before;
    g.c = plain.data();
    g.activation = 0;
    REQUIRE_MSG(axonal::sgemm(g) == axonal::Status::kOk, "sgemm failed");
    for (std::ptrdiff_t i = 0; i < c.m; ++i) {
      float* row = plain.data() + i * ldc;
      REQUIRE_MSG(axonal::activation_fwd(gelu_op(c.act), row, row, c.n, {}) == axonal::Status::kOk, "activation failed");
      for (std::ptrdiff_t j = 0; j < c.n; ++j) {
        const size_t idx = static_cast<size_t>(i * ldc + j);
        REQUIRE_MSG(same_bits(cm[idx], plain[idx]),
                    "ta=%d tb=%d m=%td n=%td k=%td alpha=%g beta=%g bias=%d act=%d: C[%td,%td]=%.9g but the activation "
                    "kernel gives %.9g",
                    c.ta, c.tb, c.m, c.n, c.k, static_cast<double>(c.alpha), static_cast<double>(c.beta), c.bias, c.act,
                    i, j, static_cast<double>(cm[idx]), static_cast<double>(plain[idx]));
      }
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
            for (int act : {kGelu, kGeluTanh}) {  // alpha 0 or k 0: the no-product path's GELU
              check_case({ta, tb, 19, 23, 29, 2, alpha, beta, true, act}, seed++);
              check_case({ta, tb, 5, 3, 0, 1, alpha, beta, beta == 0.0f, act}, seed++);
            }
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

// Every M and N edge of each of the active ISA's tiles (1..MR+1 x 1..NR+1), forced
// through each config (main, narrow, small, transposed product) with A and B packed
// and read in place, every transpose, K around the unroll, strided operands, the
// epilogue, beta = 0 over NaN.
AXONAL_TEST(sgemm_sweeps_tile_edges_on_every_isa_and_path) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::GemmKernels& kr = *axonal::kernels().gemm;
    std::uint64_t seed = 1000;
    for (int config = 0; config < 4; ++config) {
      const axonal::GemmKernels* cfg = config == 1 ? kr.narrow : config == 2 ? kr.small : &kr;
      if (cfg == nullptr) continue;
      // The transposed product swaps the roles of m and n.
      const std::ptrdiff_t m_max = (config == 3 ? cfg->nr : cfg->mr) + 1;
      const std::ptrdiff_t n_max = (config == 3 ? cfg->mr : cfg->nr) + 1;
      for (int direct = 0; direct < 2; ++direct) {
        axonal::sgemm_force_path_for_testing(config, direct);
        for (int t = 0; t < 4; ++t) {
          const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
          for (std::ptrdiff_t m = 1; m <= m_max; ++m) {
            for (std::ptrdiff_t n = 1; n <= n_max; ++n) {
              const std::ptrdiff_t k = std::ptrdiff_t{1} + (m * 7 + n * 3 + t) % 18;  // 1..18 across the sweep
              const bool epi = (m + n) % 4 == 0;
              check_case({ta, tb, m, n, k, (m + n + t) % 3, 1.0f, epi ? 0.5f : 0.0f, epi, epi ? 1 : 0}, seed++);
              // Both GELU forms on every edge: a clipped tile applies them to masked
              // vectors of each C row (of each tile column when transposed).
              for (int act : {kGelu, kGeluTanh}) {
                check_case({ta, tb, m, n, k, (m + n + t) % 3, epi ? -0.5f : 1.0f, epi ? 0.0f : 0.5f, !epi, act},
                           seed++);
              }
            }
          }
          // K across blocks on the largest edge case.
          for (int act : {1, kGelu, kGeluTanh}) {
            check_case({ta, tb, m_max, n_max, cfg->kc * 2 + 5, 1, 0.75f, 0.25f, true, act}, seed++);
          }
        }
      }
      axonal::sgemm_force_path_for_testing(-1, -1);
    }
  });
  axonal::sgemm_force_path_for_testing(-1, -1);
}

// K = 1, around the unroll, primes, and across KC blocks (beta applied once, bias and
// activation only after the last block), with alpha/beta/bias/relu/gelu mixes.
AXONAL_TEST(sgemm_k_sweep_across_blocks_with_epilogue) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::GemmKernels& kr = *axonal::kernels().gemm;
    std::vector<std::ptrdiff_t> ks = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 97,
                                      kr.kc - 1, kr.kc, kr.kc + 1, 2 * kr.kc + 3};
    // Around the deepest single K block (kc_whole: one block up to it, blocks of kc past it).
    if (kr.kc_whole > 0) ks.insert(ks.end(), {kr.kc_whole - 1, kr.kc_whole, kr.kc_whole + 1});
    std::uint64_t seed = 5000;
    for (std::ptrdiff_t k : ks) {
      for (int t = 0; t < 4; ++t) {
        const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
        const std::ptrdiff_t m = kr.mr + 1 + t, n = kr.nr + 3 - t;
        check_case({ta, tb, m, n, k, 1, 1.0f, 0.0f}, seed++);
        check_case({ta, tb, m, n, k, 0, -0.75f, 0.5f, true, 1}, seed++);
        check_case({ta, tb, m, n, k, 2, 2.0f, 0.0f, true, 0}, seed++);
        check_case({ta, tb, m, n, k, 3, 1.0f, 1.0f, false, 1}, seed++);
        check_case({ta, tb, m, n, k, 0, -0.75f, 0.5f, true, kGelu}, seed++);
        check_case({ta, tb, m, n, k, 2, 2.0f, 0.0f, true, kGeluTanh}, seed++);
        check_case({ta, tb, m, n, k, 3, 1.0f, 1.0f, false, kGelu}, seed++);
      }
    }
  });
}

AXONAL_TEST(sgemm_primes_strides_and_epilogue) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 9000;
    const std::ptrdiff_t shapes[][3] = {{97, 89, 101}, {13, 37, 263}, {2, 131, 7}, {61, 3, 53}, {1, 1, 1}, {1, 67, 1},
                                        {131, 10, 211}, {37, 31, 809}, {149, 16, 3}};
    for (const auto& s : shapes) {
      for (int t = 0; t < 4; ++t) {
        const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
        check_case({ta, tb, s[0], s[1], s[2], 5, 1.0f, 0.0f, true, 1}, seed++);
        check_case({ta, tb, s[0], s[1], s[2], 0, 0.5f, -1.0f, true, 0}, seed++);
        check_case({ta, tb, s[0], s[1], s[2], 1, 0.0f, 0.5f, true, 1}, seed++);  // alpha 0: C = relu(beta C + bias)
        check_case({ta, tb, s[0], s[1], 0, 1, 1.0f, 0.0f, true, 1}, seed++);     // k 0
        for (int act : {kGelu, kGeluTanh}) {
          check_case({ta, tb, s[0], s[1], s[2], 5, 1.0f, 0.0f, true, act}, seed++);
          check_case({ta, tb, s[0], s[1], s[2], 0, 0.5f, -1.0f, false, act}, seed++);
          check_case({ta, tb, s[0], s[1], s[2], 1, 0.0f, 0.5f, true, act}, seed++);  // alpha 0
          check_case({ta, tb, s[0], s[1], 0, 1, 1.0f, 0.0f, true, act}, seed++);     // k 0
        }
      }
    }
  });
}

// Bit-identical results for 1, 2, 3 and 7 threads, on shapes split along M, along N,
// with transposes, K across several blocks and the fused epilogue (relu and both
// GELU forms), including the transposed product (300 x 10 with A transposed) and m = 1.
AXONAL_TEST(sgemm_thread_count_independence_across_shapes) {
  const int before = axonal::num_threads();
  axonal_test::for_each_isa([&](axonal::Isa) {
    // {130, 700, 520}: column regions sharing one packed A (SharedA) of ragged panel
    // groups over three K blocks.
    const std::ptrdiff_t shapes[][3] = {{301, 45, 600}, {40, 333, 257}, {200, 200, 200}, {64, 500, 784},
                                        {300, 10, 500}, {190, 29, 400}, {1, 500, 784}, {1, 1000, 300},
                                        {130, 700, 520}};
    for (const auto& s : shapes) {
      for (int t = 0; t < 4; ++t) {
        const std::ptrdiff_t m = s[0], n = s[1], k = s[2];
        const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
        std::vector<float> a = axonal_test::random_floats(static_cast<size_t>(m * k), 11 + t);
        std::vector<float> b = axonal_test::random_floats(static_cast<size_t>(k * n), 12 + t);
        std::vector<float> c0 = axonal_test::random_floats(static_cast<size_t>(m * n), 13 + t);
        std::vector<float> bias = axonal_test::random_floats(static_cast<size_t>(n), 14 + t);
        for (int act : {1, kGelu, kGeluTanh}) {
          std::vector<float> first;
          for (int threads : {1, 2, 3, 7}) {
            axonal::set_num_threads(threads);
            std::vector<float> c = c0;
            const axonal::SgemmArgs g = dense_args(m, n, k, ta, tb, a.data(), b.data(), c.data(), bias.data(), act, 0.75f, 0.5f);
            REQUIRE_MSG(axonal::sgemm(g) == axonal::Status::kOk, "sgemm failed");
            if (first.empty()) {
              first = c;
            } else {
              for (size_t i = 0; i < c.size(); ++i) {
                REQUIRE_MSG(same_bits(c[i], first[i]), "%tdx%tdx%td t=%d act=%d threads=%d differs at %zu", m, n, k, t,
                            act, threads, i);
              }
            }
          }
        }
      }
    }
  });
  axonal::set_num_threads(before);
}

// Row regions over a packed B (staged, or prepacked as a frozen Linear's) are queues
// the threads steal units from. Whoever computes a unit, and whether stealing is off or
// forced (every thread first empties the others' regions), C gets the same bits as on
// one thread: ragged row chunks and column blocks, both transposes, beta, bias and
// the fused activations; out of memory is reported, not a crash.
AXONAL_TEST(sgemm_work_stealing_gives_the_same_bits) {
  const int before = axonal::num_threads();
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 7100;
    const std::ptrdiff_t shapes[][3] = {{256, 500, 784}, {301, 45, 600}, {200, 200, 200}, {131, 77, 50}, {997, 33, 9}};
    for (const auto& sh : shapes) {
      for (int t = 0; t < 4; ++t) {
        const std::ptrdiff_t m = sh[0], n = sh[1], k = sh[2];
        const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
        const auto a = axonal_test::random_floats(static_cast<size_t>(m * k), seed++);
        const auto b = axonal_test::random_floats(static_cast<size_t>(k * n), seed++);
        const auto c0 = axonal_test::random_floats(static_cast<size_t>(m * n), seed++);
        const auto bias = axonal_test::random_floats(static_cast<size_t>(n), seed++);
        const axonal::SgemmArgs g = dense_args(m, n, k, ta, tb, a.data(), b.data(), nullptr, bias.data(),
                                               t % 2 == 0 ? 1 : kGelu, 0.75f, t == 3 ? 0.0f : 0.5f);
        std::vector<float> packed(static_cast<size_t>(axonal::sgemm_packed_b_floats(g)));
        axonal::PackedB pb;
        const bool prepacked = !packed.empty() && axonal::sgemm_pack_b(g, packed.data(), static_cast<std::ptrdiff_t>(packed.size()), &pb) > 0;
        // Runs without a prepacked B alternate B and -B, so a staged block left unpacked
        // (holding the previous call's values) cannot pass.
        auto negated = b;
        for (float& v : negated) v = -v;
        std::vector<float> first[2];
        for (int threads : {1, 2, 3, 7}) {
          axonal::set_num_threads(threads);
          for (int mode : {0, 1, 2}) {
            for (int use = 0; use < (prepacked ? 3 : 2); ++use) {
              axonal::sgemm_work_stealing_for_testing(mode);
              std::vector<float> c = c0;
              axonal::SgemmArgs run = g;
              run.c = c.data();
              run.b = use == 1 ? negated.data() : b.data();
              run.packed_b = use == 2 ? &pb : nullptr;
              const axonal::Status st = axonal::sgemm(run);
              axonal::sgemm_work_stealing_for_testing(0);
              REQUIRE_MSG(st == axonal::Status::kOk, "sgemm failed");
              std::vector<float>& want = first[use == 1 ? 1 : 0];
              if (want.empty()) want = c;
              for (size_t i = 0; i < c.size(); ++i) {
                REQUIRE_MSG(same_bits(c[i], want[i]), "%tdx%tdx%td t=%d threads=%d mode=%d use=%d differs at %zu", m, n, k, t,
                            threads, mode, use, i);
              }
            }
          }
        }
        if (prepacked) {
          axonal::set_num_threads(2);
          std::vector<float> c = c0;
          axonal::SgemmArgs run = g;
          run.c = c.data();
          run.packed_b = &pb;
          axonal::sgemm_fail_allocations_for_testing(true);
          const axonal::Status st = axonal::sgemm(run);
          axonal::sgemm_fail_allocations_for_testing(false);
          REQUIRE_MSG(st == axonal::Status::kOutOfMemory, "%tdx%tdx%td: no scratch must give kOutOfMemory", m, n, k);
        }
      }
    }
  });
  axonal::set_num_threads(before);
}

AXONAL_TEST(sgemm_reports_out_of_memory_instead_of_crashing) {
  std::vector<float> a(64 * 64, 1.0f), b(64 * 64, 1.0f), c(64 * 64, 0.0f);
  axonal::SgemmArgs g;
  g.m = g.n = g.k = 64;
  g.a = a.data();
  g.b = b.data();
  g.c = c.data();
  g.lda = g.ldb = g.ldc = 64;
  axonal::sgemm_fail_allocations_for_testing(true);
  const axonal::Status st = axonal::sgemm(g);
  axonal::sgemm_fail_allocations_for_testing(false);
  EXPECT_TRUE(st == axonal::Status::kOutOfMemory);
  EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kOk);
  EXPECT_EQ(c[0], 64.0f);
}

AXONAL_TEST(sgemm_rejects_unknown_activation) {
  float buf[4] = {0};
  axonal::SgemmArgs g;
  g.m = g.n = g.k = 1;
  g.a = g.b = buf;
  g.c = buf + 2;
  g.lda = g.ldb = g.ldc = 1;
  static_assert(axonal::kGemmActivationCount == 4, "codes 0 none, 1 relu, 2 gelu, 3 gelu tanh");
  for (int act = 0; act < axonal::kGemmActivationCount; ++act) {
    g.activation = act;
    EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kOk);
  }
  g.activation = 4;
  EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kInvalidArgument);
  g.activation = -1;
  EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kInvalidArgument);
  g.k = 0;  // the no-product path checks too
  g.activation = 4;
  EXPECT_TRUE(axonal::sgemm(g) == axonal::Status::kInvalidArgument);
}

// Narrow C (n <= MR with m > NR) runs as the transposed product C^T = op(B)^T op(A)^T
// with transposed stores: every n in 1..MR+1 (both sides of the switch), every
// transpose, K across blocks, beta/bias/relu/gelu, padded strides.
AXONAL_TEST(sgemm_narrow_outputs_via_the_transposed_product) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::GemmKernels& kr = *axonal::kernels().gemm;
    std::uint64_t seed = 20000;
    for (std::ptrdiff_t n = 1; n <= kr.mr + 1; ++n) {
      for (std::ptrdiff_t m : {static_cast<std::ptrdiff_t>(kr.nr) + 1, static_cast<std::ptrdiff_t>(2 * kr.nr + 5), std::ptrdiff_t{97}}) {
        for (int t = 0; t < 4; ++t) {
          const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
          const std::ptrdiff_t k = (m * 3 + n * 5 + t) % 2 == 0 ? 37 : kr.kc + 9;
          check_case({ta, tb, m, n, k, (n + t) % 3, 1.0f, 0.0f, true, 1}, seed++);
          check_case({ta, tb, m, n, k, 1, -0.5f, 0.75f, n % 2 == 0, n % 3 == 0 ? 1 : 0}, seed++);
          check_case({ta, tb, m, n, k, (n + t) % 3, 1.0f, 0.0f, true, kGelu}, seed++);
          check_case({ta, tb, m, n, k, 1, -0.5f, 0.75f, n % 2 == 0, kGeluTanh}, seed++);
        }
      }
    }
  });
}

// m = 1 takes the matrix-vector path (B read in place, no packing) unless a test forces
// a packed config: every transpose, strides, epilogue, n across the 256-output chunks and
// the ISA's vector widths, k across the unroll.
AXONAL_TEST(sgemm_single_row_matrix_vector_path) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 5000;
    for (int forced : {-1, 4}) {
      axonal::sgemm_force_path_for_testing(forced, -1);
      for (int t = 0; t < 4; ++t) {
        const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
        for (std::ptrdiff_t n : {1, 3, 4, 5, 15, 16, 17, 31, 63, 64, 65, 255, 256, 257, 600}) {
          for (std::ptrdiff_t k : {1, 2, 7, 15, 16, 17, 33, 100}) {
            const bool epi = (n + k + t) % 3 == 0;
            check_case({ta, tb, 1, n, k, (n + k) % 3, epi ? -0.5f : 1.0f, epi ? 0.25f : 0.0f, epi, epi ? 1 : 0}, seed++);
            // GELU on every chunk length: the activation kernel runs over each chunk of C.
            const int act = (n + k + t) % 2 == 0 ? kGelu : kGeluTanh;
            check_case({ta, tb, 1, n, k, (n + k) % 3, epi ? 1.0f : -0.5f, epi ? 0.0f : 0.25f, !epi, act}, seed++);
          }
        }
        for (int act : {1, kGelu, kGeluTanh}) check_case({ta, tb, 1, 500, 784, 2, 1.0f, 0.0f, true, act}, seed++);
      }
    }
    axonal::sgemm_force_path_for_testing(-1, -1);
  });
}

// A C element gets the same bits in a full tile (registers) as in a clipped tile (the
// shared edge epilogue on masked vectors): an m x n product, with m and n off the tile
// grid, is the top-left block of a 2L x 2L product (L = lcm(MR, NR): every tile full,
// also for the transposed product) on the same operands (same pointers and strides), for
// every config and packing mode and every activation.
AXONAL_TEST(sgemm_full_and_clipped_tiles_give_the_same_bits) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::GemmKernels& kr = *axonal::kernels().gemm;
    std::uint64_t seed = 30000;
    for (int config = 0; config < 4; ++config) {
      const axonal::GemmKernels* cfg = config == 1 ? kr.narrow : config == 2 ? kr.small : &kr;
      if (cfg == nullptr) continue;
      std::ptrdiff_t l = cfg->mr;
      while (l % cfg->nr != 0) l += cfg->mr;
      const std::ptrdiff_t big = 2 * l, k = 37, rows = big > k ? big : k, ld = rows + 3;
      for (int direct = 0; direct < 2; ++direct) {
        axonal::sgemm_force_path_for_testing(config, direct);
        for (int t = 0; t < 4; ++t) {
          const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
          const std::vector<float> a = axonal_test::random_floats(static_cast<size_t>(rows * ld), seed++);
          const std::vector<float> b = axonal_test::random_floats(static_cast<size_t>(rows * ld), seed++);
          std::vector<float> c0 = axonal_test::random_floats(static_cast<size_t>(big * ld), seed++);
          for (float& v : c0) v *= 4.0f;  // pre-activation values over GELU's curved part and tails
          const std::vector<float> bias = axonal_test::random_floats(static_cast<size_t>(big), seed++);
          for (int act = 0; act < axonal::kGemmActivationCount; ++act) {
            auto run = [&](std::ptrdiff_t m, std::ptrdiff_t n, std::vector<float>* c) {
              *c = c0;
              axonal::SgemmArgs g;
              g.trans_a = ta;
              g.trans_b = tb;
              g.m = m;
              g.n = n;
              g.k = k;
              g.alpha = 1.5f;
              g.a = a.data();
              g.lda = ld;
              g.b = b.data();
              g.ldb = ld;
              g.beta = 0.5f;
              g.c = c->data();
              g.ldc = ld;
              g.bias = bias.data();
              g.activation = act;
              return axonal::sgemm(g);
            };
            std::vector<float> full, part;
            REQUIRE_MSG(run(big, big, &full) == axonal::Status::kOk, "sgemm failed");
            // Off the grid by 1 and by 3 rows, 1 and 5 columns (< min(MR, NR), so the
            // last tile row and column of the smaller product are clipped on every config).
            for (std::ptrdiff_t dm : {1, 3}) {
              for (std::ptrdiff_t dn : {1, 5}) {
                const std::ptrdiff_t m = big - dm, n = big - dn;
                REQUIRE_MSG(run(m, n, &part) == axonal::Status::kOk, "sgemm failed");
                for (std::ptrdiff_t i = 0; i < big; ++i) {
                  for (std::ptrdiff_t j = 0; j < ld; ++j) {
                    const size_t idx = static_cast<size_t>(i * ld + j);
                    const float want = i < m && j < n ? full[idx] : c0[idx];  // outside: untouched
                    REQUIRE_MSG(same_bits(part[idx], want),
                                "config=%d direct=%d ta=%d tb=%d act=%d %tdx%td: C[%td,%td]=%.9g, %.9g in the %tdx%td "
                                "product",
                                config, direct, ta, tb, act, m, n, i, j, static_cast<double>(part[idx]),
                                static_cast<double>(want), big, big);
                  }
                }
              }
            }
          }
        }
      }
      axonal::sgemm_force_path_for_testing(-1, -1);
    }
  });
  axonal::sgemm_force_path_for_testing(-1, -1);
}

// NaN and infinities through the ReLU and GELU epilogues, on every path: full tile,
// clipped tile, transposed product, m = 1, no product (k = 0). C holds NaN, +-Inf and -0
// where beta = 1 reads it; results are PyTorch's (relu(NaN) = NaN, gelu(NaN) = NaN,
// gelu(+Inf) = +Inf, gelu(-Inf) = NaN as -Inf * 0, gelu(-0) = +0 for the erf form) and
// the activation kernel's bits.
AXONAL_TEST(sgemm_activation_epilogue_special_values) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::GemmKernels& kr = *axonal::kernels().gemm;
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    struct Shape {
      std::ptrdiff_t m, n, k;
      int force;
    };
    const Shape shapes[] = {{2 * kr.mr, 2 * kr.nr, 9, 0}, {kr.mr + 3, kr.nr + 5, 9, 0}, {kr.nr + 7, kr.mr - 1, 9, 3},
                            {1, 3 * kr.nr + 5, 9, -1}, {kr.mr + 3, kr.nr + 5, 0, -1}};
    std::uint64_t seed = 40000;
    for (const Shape& s : shapes) {
      axonal::sgemm_force_path_for_testing(s.force, -1);
      for (int act : {1, kGelu, kGeluTanh}) {
        const std::vector<float> a = axonal_test::random_floats(static_cast<size_t>(s.m * s.k + 1), seed++);
        const std::vector<float> b = axonal_test::random_floats(static_cast<size_t>(s.k * s.n + 1), seed++);
        std::vector<float> c0 = axonal_test::random_floats(static_cast<size_t>(s.m * s.n), seed++);
        const float specials[] = {nan, inf, -inf, -0.0f};
        for (size_t i = 0; i < c0.size(); i += 5) c0[i] = specials[(i / 5) % 4];
        std::vector<float> c = c0, plain = c0;
        axonal::SgemmArgs g;
        g.m = s.m;
        g.n = s.n;
        g.k = s.k;
        g.a = a.data();
        g.lda = s.k > 0 ? s.k : 1;
        g.b = b.data();
        g.ldb = s.n;
        g.beta = 1.0f;
        g.c = c.data();
        g.ldc = s.n;
        g.activation = act;
        REQUIRE_MSG(axonal::sgemm(g) == axonal::Status::kOk, "sgemm failed");
        g.c = plain.data();
        g.activation = 0;
        REQUIRE_MSG(axonal::sgemm(g) == axonal::Status::kOk, "sgemm failed");
        for (std::ptrdiff_t i = 0; i < s.m; ++i) {
          if (act == 1) {
            for (std::ptrdiff_t j = 0; j < s.n; ++j) {
              float& v = plain[static_cast<size_t>(i * s.n + j)];
              v = v < 0.0f ? 0.0f : v;  // torch.relu: NaN passes through
            }
          } else {
            axonal::activation_fwd(gelu_op(act), plain.data() + i * s.n, plain.data() + i * s.n, s.n, {});
          }
        }
        for (size_t i = 0; i < c.size(); ++i) {
          REQUIRE_MSG(same_bits(c[i], plain[i]), "%tdx%tdx%td act=%d: C[%zu]=%.9g, the activation kernel gives %.9g", s.m,
                      s.n, s.k, act, i, static_cast<double>(c[i]), static_cast<double>(plain[i]));
          if (i % 5 != 0) continue;
          const float sp = c0[i];
          if (act == 1) {
            REQUIRE_MSG(std::isnan(sp) ? std::isnan(c[i]) : sp == inf ? c[i] == inf : sp == -inf ? c[i] == 0.0f : true,
                        "relu: C[%zu] from %g is %.9g", i, static_cast<double>(sp), static_cast<double>(c[i]));
          } else if (std::isnan(sp) || sp == -inf) {
            REQUIRE_MSG(std::isnan(c[i]), "act=%d: C[%zu] from %g is %.9g, not NaN", act, i, static_cast<double>(sp),
                        static_cast<double>(c[i]));
          } else if (sp == inf) {
            REQUIRE_MSG(c[i] == inf, "act=%d: C[%zu] from +Inf is %.9g", act, i, static_cast<double>(c[i]));
          } else if (act == kGelu && s.k == 0) {
            // No product: the pre-activation value is beta * -0 = -0 and gelu gives +0.
            REQUIRE_MSG(c[i] == 0.0f && !std::signbit(c[i]), "C[%zu] from -0 is %.9g", i, static_cast<double>(c[i]));
          }
        }
      }
    }
    axonal::sgemm_force_path_for_testing(-1, -1);
  });
}

namespace {

// sgemm of `s` into a fresh C (NaN-filled, beta 0) and returns it.
std::vector<float> run_into_fresh_c(axonal::SgemmArgs s) {
  std::vector<float> c(static_cast<size_t>(s.m * s.ldc), NAN);
  s.c = c.data();
  EXPECT_TRUE(axonal::sgemm(s) == axonal::Status::kOk);
  return c;
}

}  // namespace

// op(A) packed once (sgemm_pack_a) gives the same bits as packing it per call, on every
// config, transpose, K across blocks, ragged M and threads; a packed A that does not fit
// the product (other m, k, trans_a, or another kernel config picked by a narrower n) is
// ignored rather than misread.
AXONAL_TEST(sgemm_prepacked_a_matches_packing_per_call) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::GemmKernels& kr = *axonal::kernels().gemm;
    std::uint64_t seed = 4000;
    const std::ptrdiff_t shapes[][3] = {{1 + kr.mr, 3 * kr.nr + 5, 7},  {64, 224, 576}, {5, 97, kr.kc * 2 + 3},
                                        {2 * kr.mr + 1, 40, 1},         {130, 300, 61}, {16, 16, 9}};
    const int before = axonal::num_threads();
    for (int threads : {1, 2}) {
      axonal::set_num_threads(threads);
      for (const auto& sh : shapes) {
        for (int ta = 0; ta < 2; ++ta) {
          const std::ptrdiff_t m = sh[0], n = sh[1], k = sh[2];
          const std::ptrdiff_t lda = (ta ? m : k) + 3, ldb = n + 1;
          const auto a = axonal_test::random_floats(static_cast<size_t>((ta ? k : m) * lda), seed++);
          const auto b = axonal_test::random_floats(static_cast<size_t>(k * ldb), seed++);
          const auto bias = axonal_test::random_floats(static_cast<size_t>(n), seed++);
          axonal::SgemmArgs s;
          s.trans_a = ta != 0;
          s.m = m; s.n = n; s.k = k;
          s.a = a.data(); s.lda = lda; s.b = b.data(); s.ldb = ldb; s.ldc = n;
          s.bias = bias.data();
          s.activation = 1;
          const std::ptrdiff_t floats = axonal::sgemm_packed_a_floats(s);
          REQUIRE_MSG(floats >= m * k, "packed size %td for %tdx%td", floats, m, k);
          std::vector<float> packed(static_cast<size_t>(floats), NAN);
          axonal::PackedA pa;
          axonal::sgemm_pack_a(s, packed.data(), &pa);
          REQUIRE_MSG(pa.data == packed.data() && pa.m == m && pa.k == k, "PackedA not filled");
          const std::vector<float> want = run_into_fresh_c(s);
          axonal::SgemmArgs with = s;
          with.packed_a = &pa;
          const std::vector<float> got = run_into_fresh_c(with);
          REQUIRE_MSG(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0,
                      "prepacked A: %tdx%tdx%td ta=%d threads=%d differs", m, n, k, ta, threads);
          // Prepacked from a different A: the result must follow `a`, not the packing.
          // Differing m, k or trans_a, or a narrower n that picks another config: ignored.
          auto other = a;
          for (float& v : other) v = -v;
          std::vector<float> other_packed(static_cast<size_t>(floats));
          axonal::SgemmArgs so = s;
          so.a = other.data();
          axonal::PackedA po;
          axonal::sgemm_pack_a(so, other_packed.data(), &po);
          axonal::SgemmArgs mism = s;
          mism.packed_a = &po;
          mism.m = m - 1;  // other m: ignored
          if (mism.m >= 1) {
            mism.packed_a = nullptr;
            const auto w2 = run_into_fresh_c(mism);
            mism.packed_a = &po;
            const auto g2 = run_into_fresh_c(mism);
            REQUIRE_MSG(std::memcmp(w2.data(), g2.data(), w2.size() * sizeof(float)) == 0, "m mismatch not ignored");
          }
          axonal::SgemmArgs narrow = s;
          narrow.n = 1 + (seed % 3);
          narrow.ldc = narrow.n;
          narrow.packed_a = nullptr;
          const auto w3 = run_into_fresh_c(narrow);
          narrow.packed_a = &pa;  // packed for the wide product's config
          const auto g3 = run_into_fresh_c(narrow);
          REQUIRE_MSG(std::memcmp(w3.data(), g3.data(), w3.size() * sizeof(float)) == 0,
                      "narrow n=%td with a wide product's packing", narrow.n);
        }
      }
    }
    axonal::set_num_threads(before);
    // Paths that never read a packed A report size 0 and pack nothing.
    axonal::SgemmArgs v;
    v.m = 1; v.n = 50; v.k = 20; v.lda = 20; v.ldb = 50; v.ldc = 50;
    axonal::PackedA none;
    none.m = 99;
    axonal::sgemm_pack_a(v, nullptr, &none);
    EXPECT_TRUE(kr.gemv_rows == nullptr || (axonal::sgemm_packed_a_floats(v) == 0 && none.data == nullptr && none.m == 0));
    v.k = 0;
    EXPECT_TRUE(axonal::sgemm_packed_a_floats(v) == 0);
    v.k = 20; v.lda = 3;  // invalid
    EXPECT_TRUE(axonal::sgemm_packed_a_floats(v) == 0);
  });
}

// op(B) packed once (sgemm_pack_b: a frozen Linear's weights) gives the same bits as
// packing it per call or reading it in place, on every config, transpose, K across
// blocks, ragged N, shared A and threads; a packing that does not fit the product (other
// n, k or trans_b, a config number or length that does not match) is ignored or refused
// rather than misread.
AXONAL_TEST(sgemm_prepacked_b_matches_packing_per_call) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    const axonal::GemmKernels& kr = *axonal::kernels().gemm;
    std::uint64_t seed = 5000;
    // (m, n, k): the MLP's inference product, ragged panels, K over several blocks, a
    // short C that reads B in place when unpacked, one row panel, K = 1.
    const std::ptrdiff_t shapes[][3] = {{256, 500, 784}, {1 + kr.mr, 3 * kr.nr + 5, 7}, {5, 97, kr.kc * 2 + 3},
                                        {32, 64, 100},   {2, 40, 1},                      {130, 700, 61}};
    const int before = axonal::num_threads();
    for (int threads : {1, 2}) {
      axonal::set_num_threads(threads);
      for (const auto& sh : shapes) {
        for (int tb = 0; tb < 2; ++tb) {
          const std::ptrdiff_t m = sh[0], n = sh[1], k = sh[2];
          const std::ptrdiff_t lda = k + 2, ldb = (tb ? k : n) + 3;
          const auto a = axonal_test::random_floats(static_cast<size_t>(m * lda), seed++);
          const auto b = axonal_test::random_floats(static_cast<size_t>((tb ? n : k) * ldb), seed++);
          const auto bias = axonal_test::random_floats(static_cast<size_t>(n), seed++);
          axonal::SgemmArgs s;
          s.trans_b = tb != 0;
          s.m = m; s.n = n; s.k = k;
          s.a = a.data(); s.lda = lda; s.b = b.data(); s.ldb = ldb; s.ldc = n;
          s.bias = bias.data();
          s.activation = 1;
          const int config = axonal::sgemm_packed_b_config(s);
          const std::ptrdiff_t floats = axonal::sgemm_packed_b_floats(s);
          // A short C may run as C^T on an ISA whose tile makes that cheaper (NEON's 8 x 12
          // for 9 x 41 with B transposed): then nothing reads a packed B. A tall C always does.
          if (config == 0 && m <= kr.nr) {
            EXPECT_TRUE(floats == 0);
            continue;
          }
          REQUIRE_MSG(config > 0 && floats >= n * k, "config %d, packed size %td for %tdx%tdx%td", config, floats, m, n, k);
          std::vector<float> packed(static_cast<size_t>(floats), NAN);
          axonal::PackedB pb;
          EXPECT_TRUE(axonal::sgemm_pack_b(s, packed.data(), floats - 1, &pb) == 0 && pb.data == nullptr);
          REQUIRE_MSG(axonal::sgemm_pack_b(s, packed.data(), floats, &pb) == config, "pack_b config");
          REQUIRE_MSG(pb.data == packed.data() && pb.n == n && pb.k == k, "PackedB not filled");
          const std::vector<float> want = run_into_fresh_c(s);
          axonal::SgemmArgs with = s;
          with.packed_b = &pb;
          const std::vector<float> got = run_into_fresh_c(with);
          REQUIRE_MSG(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0,
                      "prepacked B: %tdx%tdx%td tb=%d threads=%d differs", m, n, k, tb, threads);
          // A view of the kept floats: the same bits; the wrong config number or length: empty.
          const axonal::PackedB view = axonal::sgemm_packed_b_view(s, config, packed.data(), floats);
          REQUIRE_MSG(view.data == packed.data() && view.config == pb.config && view.n_padded == pb.n_padded, "view");
          EXPECT_TRUE(axonal::sgemm_packed_b_view(s, config + 1, packed.data(), floats).data == nullptr);
          EXPECT_TRUE(axonal::sgemm_packed_b_view(s, config, packed.data(), floats + 1).data == nullptr);
          EXPECT_TRUE(axonal::sgemm_packed_b_view(s, config, nullptr, floats).data == nullptr);
          // Packed from a different B: a product of other n, k or trans_b follows `b`.
          auto other = b;
          for (float& v : other) v = -v;
          std::vector<float> other_packed(static_cast<size_t>(floats));
          axonal::SgemmArgs so = s;
          so.b = other.data();
          axonal::PackedB po;
          REQUIRE_MSG(axonal::sgemm_pack_b(so, other_packed.data(), floats, &po) == config, "pack other");
          for (int change = 0; change < 3; ++change) {
            axonal::SgemmArgs mism = s;
            if (change == 0 && n > 1) mism.n = n - 1;
            if (change == 1 && k > 1) mism.k = k - 1;
            if (change == 2) {
              mism.trans_b = !s.trans_b;
              mism.ldb = mism.trans_b ? k : n;  // b's floats cover either layout's extent
            }
            if (mism.n == s.n && mism.k == s.k && mism.trans_b == s.trans_b) continue;
            mism.ldc = mism.n;
            mism.packed_b = nullptr;
            const auto w2 = run_into_fresh_c(mism);
            mism.packed_b = &po;
            const auto g2 = run_into_fresh_c(mism);
            REQUIRE_MSG(std::memcmp(w2.data(), g2.data(), w2.size() * sizeof(float)) == 0,
                        "mismatch %d not ignored (%tdx%tdx%td tb=%d)", change, m, n, k, tb);
          }
        }
      }
    }
    axonal::set_num_threads(before);
    // Paths that never read a packed B (matrix-vector, no product, invalid) report 0.
    axonal::SgemmArgs v;
    v.m = 1; v.n = 50; v.k = 20; v.lda = 20; v.ldb = 50; v.ldc = 50;
    axonal::PackedB none;
    none.n = 99;
    std::vector<float> buf(1000);
    EXPECT_TRUE(kr.gemv_rows == nullptr ||
                (axonal::sgemm_packed_b_config(v) == 0 && axonal::sgemm_pack_b(v, buf.data(), 1000, &none) == 0 &&
                 none.data == nullptr && none.n == 0));
    v.m = 4; v.k = 0;
    EXPECT_TRUE(axonal::sgemm_packed_b_floats(v) == 0 && axonal::sgemm_packed_b_config(v) == 0);
    v.k = 20; v.ldb = 3;  // invalid
    EXPECT_TRUE(axonal::sgemm_packed_b_floats(v) == 0);
  });
}

// sgemm_batch_outputs_disjoint against marking every element of every C block, over
// small random lattices (wrapping rows, zero strides, blocks side by side or apart).
AXONAL_TEST(sgemm_batch_disjointness_matches_brute_force) {
  std::uint64_t state = 12345;
  auto next = [&](std::ptrdiff_t mod) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::ptrdiff_t>((state >> 33) % static_cast<std::uint64_t>(mod));
  };
  int overlapping = 0, disjoint = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    axonal::SgemmArgs g;
    g.m = 1 + next(4);
    g.n = 1 + next(5);
    g.k = 1;
    g.ldc = g.n + next(6);
    g.lda = 1;
    g.ldb = g.n;
    axonal::GemmBatch b;
    b.count[0] = 1 + next(3);
    b.count[1] = 1 + next(4);
    b.c_stride[0] = next(40);
    b.c_stride[1] = next(12);
    std::vector<int> owner(static_cast<size_t>(2000), -1);
    bool overlap = false;
    for (std::ptrdiff_t i = 0; i < b.count[0]; ++i)
      for (std::ptrdiff_t j = 0; j < b.count[1]; ++j)
        for (std::ptrdiff_t r = 0; r < g.m; ++r)
          for (std::ptrdiff_t c = 0; c < g.n; ++c) {
            const std::size_t at = static_cast<std::size_t>(i * b.c_stride[0] + j * b.c_stride[1] + r * g.ldc + c);
            const int id = static_cast<int>(i * b.count[1] + j);
            if (owner[at] >= 0 && owner[at] != id) overlap = true;
            owner[at] = id;
          }
    REQUIRE_MSG(axonal::sgemm_batch_outputs_disjoint(g, b) == !overlap,
                "m=%td n=%td ldc=%td counts %td,%td strides %td,%td: brute force says %s", g.m, g.n, g.ldc, b.count[0],
                b.count[1], b.c_stride[0], b.c_stride[1], overlap ? "overlap" : "disjoint");
    (overlap ? overlapping : disjoint)++;
  }
  REQUIRE_MSG(overlapping > 100 && disjoint > 100, "cases: %d overlapping, %d disjoint", overlapping, disjoint);
  // A huge inner count whose first pair already overlaps answers at once: the pairs of
  // the first outer row start at offset +1 (it had stepped through count[1] - 1 skipped
  // offsets first, seconds at 2^31 and for ever at 2^40).
  axonal::SgemmArgs g;
  g.m = 1; g.n = 1; g.k = 0; g.lda = 1; g.ldb = 1; g.ldc = 1;
  axonal::GemmBatch huge;
  huge.count[0] = 1;
  huge.count[1] = std::ptrdiff_t{1} << 40;
  EXPECT_TRUE(!axonal::sgemm_batch_outputs_disjoint(g, huge));
}

// Every item of a batch gets the bits sgemm alone gives it, on every ISA and at any
// thread count, whether the items run in parallel (small) or one by one (large), with
// the items' C blocks packed or side by side as an attention's heads are.
AXONAL_TEST(sgemm_batched_matches_one_sgemm_per_item) {
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 9000;
    const std::ptrdiff_t shapes[][5] = {{7, 5, 3, 2, 3}, {32, 32, 16, 4, 2}, {100, 110, 90, 1, 3}, {1, 9, 4, 3, 3}};
    const int before = axonal::num_threads();
    for (const auto& sh : shapes) {
      for (int t = 0; t < 4; ++t) {
        for (int side_by_side = 0; side_by_side < 2; ++side_by_side) {
          const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
          const std::ptrdiff_t m = sh[0], n = sh[1], k = sh[2], c0 = sh[3], c1 = sh[4], items = c0 * c1;
          axonal::SgemmArgs g;
          g.trans_a = ta; g.trans_b = tb; g.m = m; g.n = n; g.k = k; g.alpha = 0.75f; g.beta = 0.5f;
          g.lda = (ta ? m : k) + 1; g.ldb = (tb ? k : n) + 2;
          g.ldc = side_by_side ? items * n : n;
          const std::ptrdiff_t a_item = ((ta ? k : m) - 1) * g.lda + (ta ? m : k);
          const std::ptrdiff_t b_item = ((tb ? n : k) - 1) * g.ldb + (tb ? k : n);
          const std::ptrdiff_t c_item = side_by_side ? n : m * n;
          axonal::GemmBatch bt;
          bt.count[0] = c0; bt.count[1] = c1;
          bt.a_stride[0] = c1 * a_item; bt.a_stride[1] = a_item;
          bt.b_stride[0] = c1 * b_item; bt.b_stride[1] = b_item;
          bt.c_stride[0] = c1 * c_item; bt.c_stride[1] = c_item;
          const auto a = axonal_test::random_floats(static_cast<size_t>(items * a_item), seed++);
          const auto b = axonal_test::random_floats(static_cast<size_t>(items * b_item), seed++);
          const std::size_t c_len = static_cast<size_t>(side_by_side ? (m - 1) * g.ldc + items * n : items * m * n);
          const auto c0v = axonal_test::random_floats(c_len, seed++);
          std::vector<float> want = c0v;
          for (std::ptrdiff_t i = 0; i < c0; ++i)
            for (std::ptrdiff_t j = 0; j < c1; ++j) {
              axonal::SgemmArgs one = g;
              one.a = a.data() + i * bt.a_stride[0] + j * bt.a_stride[1];
              one.b = b.data() + i * bt.b_stride[0] + j * bt.b_stride[1];
              one.c = want.data() + i * bt.c_stride[0] + j * bt.c_stride[1];
              EXPECT_TRUE(axonal::sgemm(one) == axonal::Status::kOk);
            }
          REQUIRE_MSG(axonal::sgemm_batch_outputs_disjoint(g, bt), "test batch must be disjoint");
          for (int threads : {1, 2, 3}) {
            axonal::set_num_threads(threads);
            std::vector<float> got = c0v;
            g.a = a.data(); g.b = b.data(); g.c = got.data();
            EXPECT_TRUE(axonal::sgemm_batched(g, bt) == axonal::Status::kOk);
            REQUIRE_MSG(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)) == 0,
                        "batched %tdx%tdx%td x (%td,%td) ta=%d tb=%d side=%d threads=%d differs", m, n, k, c0, c1, ta, tb,
                        side_by_side, threads);
          }
          axonal::set_num_threads(before);
        }
      }
    }
    // Negative counts or strides are refused; an empty batch writes nothing.
    axonal::SgemmArgs g;
    g.m = 2; g.n = 2; g.k = 2; g.lda = 2; g.ldb = 2; g.ldc = 2;
    float buf[4] = {1, 2, 3, 4};
    g.a = buf; g.b = buf; g.c = buf;
    axonal::GemmBatch bad;
    bad.count[0] = -1;
    EXPECT_TRUE(axonal::sgemm_batched(g, bad) == axonal::Status::kInvalidArgument);
    bad.count[0] = 1;
    bad.c_stride[1] = -4;
    EXPECT_TRUE(axonal::sgemm_batched(g, bad) == axonal::Status::kInvalidArgument);
    axonal::GemmBatch empty;
    empty.count[1] = 0;
    EXPECT_TRUE(axonal::sgemm_batched(g, empty) == axonal::Status::kOk && buf[0] == 1 && buf[3] == 4);
  });
}
