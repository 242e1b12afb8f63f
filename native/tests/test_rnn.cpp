// Recurrent-cell kernels on every ISA against float64 references: LSTM, GRU and
// Elman (tanh, relu) step forward and backward at awkward sizes (rows 0, 1, 3, 17;
// hidden 1, 7, 15, 16, 17, 33), writes confined to the outputs (guard zone after
// every output, outputs NaN-poisoned before the call), and bit-identical results
// at 1 and 2 threads on a size split into several tasks.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "axonal/rnn.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using Vec = std::vector<float>;
using DVec = std::vector<double>;

constexpr std::size_t kGuard = 19;
constexpr float kPoison = 12345.678f;

double sg(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// An output buffer of n elements NaN-poisoned, followed by a guard zone.
Vec out_buf(std::size_t n) {
  Vec v(n + kGuard, kPoison);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::nanf("");
  return v;
}

Vec inputs(std::size_t n, std::uint64_t seed, float scale = 1.5f) {
  Vec v = axonal_test::random_floats(n, seed);
  for (float& x : v) x *= scale;
  return v;
}

// Compares got[0..n) to ref within tol*(1+|ref|) and checks the guard zone.
void compare(const char* what, const Vec& got, const DVec& ref, double tol = 2e-6) {
  const std::size_t n = ref.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double err = std::fabs(static_cast<double>(got[i]) - ref[i]);
    REQUIRE_MSG(err <= tol * (1 + std::fabs(ref[i])), "%s[%zu] = %.9g, reference %.9g", what, i,
                static_cast<double>(got[i]), ref[i]);
  }
  for (std::size_t i = n; i < got.size(); ++i) REQUIRE_MSG(got[i] == kPoison, "%s: write past the end at %zu", what, i);
}

void check_lstm(std::size_t R, std::size_t H) {
  const std::size_t G = 4 * H;
  const Vec gi = inputs(R * G, 1 + R * 31 + H), gh = inputs(R * G, 2 + R + H), bih = inputs(G, 3), bhh = inputs(G, 4);
  const Vec cp = inputs(R * H, 5 + H), dh = inputs(R * H, 6 + R), dc = inputs(R * H, 7);
  Vec h = out_buf(R * H), c = out_buf(R * H), save = out_buf(R * 5 * H);
  EXPECT_TRUE(axonal::lstm_cell_fwd(gi.data(), gh.data(), bih.data(), bhh.data(), cp.data(), h.data(), c.data(),
                                    save.data(), R, H) == axonal::Status::kOk);
  DVec rh(R * H), rc(R * H), rs(R * 5 * H), rdg(R * G), rdcp(R * H);
  for (std::size_t b = 0; b < R; ++b) {
    for (std::size_t j = 0; j < H; ++j) {
      double a[4];
      for (std::size_t k = 0; k < 4; ++k) {
        const std::size_t o = k * H + j;
        a[k] = static_cast<double>(gi[b * G + o]) + bih[o] + gh[b * G + o] + bhh[o];
      }
      const double i = sg(a[0]), f = sg(a[1]), g = std::tanh(a[2]), o = sg(a[3]);
      const double cn = f * cp[b * H + j] + i * g, tc = std::tanh(cn);
      rc[b * H + j] = cn;
      rh[b * H + j] = o * tc;
      const double sv[5] = {i, f, g, o, tc};
      for (std::size_t k = 0; k < 5; ++k) rs[b * 5 * H + k * H + j] = sv[k];
      // backward, from the float32 saved values the kernel will read
      const float* s = save.data() + b * 5 * H;
      const double si = s[j], sf = s[H + j], sgg = s[2 * H + j], so = s[3 * H + j], st = s[4 * H + j];
      const double gdh = dh[b * H + j];
      const double dct = dc[b * H + j] + gdh * so * (1 - st * st);
      rdg[b * G + j] = dct * sgg * si * (1 - si);
      rdg[b * G + H + j] = dct * cp[b * H + j] * sf * (1 - sf);
      rdg[b * G + 2 * H + j] = dct * si * (1 - sgg * sgg);
      rdg[b * G + 3 * H + j] = gdh * st * so * (1 - so);
      rdcp[b * H + j] = dct * sf;
    }
  }
  axonal_test::context() += axonal_test::fmt(" lstm rows %zu hidden %zu", R, H);
  compare("lstm h", h, rh);
  compare("lstm c", c, rc);
  compare("lstm save", save, rs);
  Vec dg = out_buf(R * G), dcp = out_buf(R * H);
  EXPECT_TRUE(axonal::lstm_cell_bwd(dh.data(), dc.data(), cp.data(), save.data(), dg.data(), dcp.data(), R, H) ==
              axonal::Status::kOk);
  compare("lstm dgates", dg, rdg);
  compare("lstm dcPrev", dcp, rdcp);
}

void check_gru(std::size_t R, std::size_t H) {
  const std::size_t G = 3 * H;
  const Vec gi = inputs(R * G, 11 + R * 7 + H), gh = inputs(R * G, 12 + R + H), bih = inputs(G, 13), bhh = inputs(G, 14);
  const Vec hp = inputs(R * H, 15 + H), dh = inputs(R * H, 16 + R);
  Vec h = out_buf(R * H), save = out_buf(R * 4 * H);
  EXPECT_TRUE(axonal::gru_cell_fwd(gi.data(), gh.data(), bih.data(), bhh.data(), hp.data(), h.data(), save.data(), R,
                                   H) == axonal::Status::kOk);
  DVec rh(R * H), rs(R * 4 * H), rdi(R * G), rdh(R * G), rdhp(R * H);
  for (std::size_t b = 0; b < R; ++b) {
    for (std::size_t j = 0; j < H; ++j) {
      const std::size_t o = b * G;
      const double r = sg(static_cast<double>(gi[o + j]) + bih[j] + gh[o + j] + bhh[j]);
      const double z = sg(static_cast<double>(gi[o + H + j]) + bih[H + j] + gh[o + H + j] + bhh[H + j]);
      const double hn = static_cast<double>(gh[o + 2 * H + j]) + bhh[2 * H + j];
      const double n = std::tanh(static_cast<double>(gi[o + 2 * H + j]) + bih[2 * H + j] + r * hn);
      rh[b * H + j] = (1 - z) * n + z * hp[b * H + j];
      const double sv[4] = {r, z, n, hn};
      for (std::size_t k = 0; k < 4; ++k) rs[b * 4 * H + k * H + j] = sv[k];
      const float* s = save.data() + b * 4 * H;
      const double sr = s[j], sz = s[H + j], sn = s[2 * H + j], shn = s[3 * H + j];
      const double g = dh[b * H + j];
      const double dan = g * (1 - sz) * (1 - sn * sn);
      const double daz = g * (hp[b * H + j] - sn) * sz * (1 - sz);
      const double dar = dan * shn * sr * (1 - sr);
      rdi[o + j] = dar;
      rdi[o + H + j] = daz;
      rdi[o + 2 * H + j] = dan;
      rdh[o + j] = dar;
      rdh[o + H + j] = daz;
      rdh[o + 2 * H + j] = dan * sr;
      rdhp[b * H + j] = g * sz;
    }
  }
  axonal_test::context() += axonal_test::fmt(" gru rows %zu hidden %zu", R, H);
  compare("gru h", h, rh);
  compare("gru save", save, rs);
  Vec dgi = out_buf(R * G), dgh = out_buf(R * G), dhp = out_buf(R * H);
  EXPECT_TRUE(axonal::gru_cell_bwd(dh.data(), hp.data(), save.data(), dgi.data(), dgh.data(), dhp.data(), R, H) ==
              axonal::Status::kOk);
  compare("gru dgi", dgi, rdi);
  compare("gru dgh", dgh, rdh);
  compare("gru dhPrev", dhp, rdhp);
}

void check_rnn(bool relu, std::size_t R, std::size_t H) {
  const Vec gi = inputs(R * H, 21 + R * 3 + H), gh = inputs(R * H, 22 + R + H), bih = inputs(H, 23), bhh = inputs(H, 24);
  const Vec dh = inputs(R * H, 25 + R);
  Vec h = out_buf(R * H);
  EXPECT_TRUE(axonal::rnn_cell_fwd(relu, gi.data(), gh.data(), bih.data(), bhh.data(), h.data(), R, H) ==
              axonal::Status::kOk);
  DVec rh(R * H), rdg(R * H);
  for (std::size_t b = 0; b < R; ++b) {
    for (std::size_t j = 0; j < H; ++j) {
      const double a = static_cast<double>(gi[b * H + j]) + bih[j] + gh[b * H + j] + bhh[j];
      rh[b * H + j] = relu ? (a < 0 ? 0 : a) : std::tanh(a);
      const double y = h[b * H + j];
      rdg[b * H + j] = relu ? (y <= 0 ? 0 : dh[b * H + j]) : dh[b * H + j] * (1 - y * y);
    }
  }
  axonal_test::context() += axonal_test::fmt(" rnn %s rows %zu hidden %zu", relu ? "relu" : "tanh", R, H);
  compare("rnn h", h, rh);
  Vec dg = out_buf(R * H);
  EXPECT_TRUE(axonal::rnn_cell_bwd(relu, dh.data(), h.data(), dg.data(), R, H) == axonal::Status::kOk);
  compare("rnn dgates", dg, rdg);
}

}  // namespace

AXONAL_TEST(rnn_cells_match_float64_at_awkward_sizes) {
  axonal_test::for_each_isa([](axonal::Isa) {
    const std::string base = axonal_test::context();
    for (std::size_t R : {0, 1, 3, 17}) {
      for (std::size_t H : {1, 7, 15, 16, 17, 33}) {
        axonal_test::context() = base;
        check_lstm(R, H);
        axonal_test::context() = base;
        check_gru(R, H);
        for (bool relu : {false, true}) {
          axonal_test::context() = base;
          check_rnn(relu, R, H);
        }
      }
    }
    axonal_test::context() = base;
  });
}

AXONAL_TEST(rnn_cells_reject_negative_sizes) {
  float x[1] = {0};
  EXPECT_TRUE(axonal::lstm_cell_fwd(x, x, x, x, x, x, x, x, -1, 1) == axonal::Status::kInvalidArgument);
  EXPECT_TRUE(axonal::gru_cell_bwd(x, x, x, x, x, x, 1, -1) == axonal::Status::kInvalidArgument);
  EXPECT_TRUE(axonal::rnn_cell_fwd(true, x, x, x, x, x, -2, 3) == axonal::Status::kInvalidArgument);
}

AXONAL_TEST(rnn_cells_thread_count_independent) {
  // 64 rows x 300 hidden = several tasks of whole rows.
  const std::size_t R = 64, H = 300, G = 4 * H;
  const Vec gi = inputs(R * G, 41), gh = inputs(R * G, 42), bih = inputs(G, 43), bhh = inputs(G, 44);
  const Vec cp = inputs(R * H, 45), dh = inputs(R * H, 46);
  axonal_test::for_each_isa([&](axonal::Isa) {
    Vec out[2];
    const int before = axonal::num_threads();
    for (int t = 0; t < 2; ++t) {
      axonal::set_num_threads(t + 1);
      Vec h(R * H), c(R * H), save(R * 5 * H), dg(R * G), dcp(R * H), gsave(R * 4 * H), dgi(R * 3 * H),
          dgh(R * 3 * H), dhp(R * H);
      axonal::lstm_cell_fwd(gi.data(), gh.data(), bih.data(), bhh.data(), cp.data(), h.data(), c.data(), save.data(),
                            R, H);
      axonal::lstm_cell_bwd(dh.data(), cp.data(), cp.data(), save.data(), dg.data(), dcp.data(), R, H);
      axonal::gru_cell_fwd(gi.data(), gh.data(), bih.data(), bhh.data(), cp.data(), h.data(), gsave.data(), R, H);
      axonal::gru_cell_bwd(dh.data(), cp.data(), gsave.data(), dgi.data(), dgh.data(), dhp.data(), R, H);
      for (const Vec* v : {&h, &c, &save, &dg, &dcp, &gsave, &dgi, &dgh, &dhp}) out[t].insert(out[t].end(), v->begin(), v->end());
    }
    axonal::set_num_threads(before);
    EXPECT_TRUE(out[0].size() == out[1].size() &&
                std::memcmp(out[0].data(), out[1].data(), out[0].size() * sizeof(float)) == 0);
  });
}
