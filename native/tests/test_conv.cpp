// Conv and pooling on every ISA against float64 references: conv2d forward and
// every gradient, transposed conv, im2col/col2im kernels, max/avg/adaptive pooling,
// over awkward sizes, strides, padding, dilation and groups; results bit-identical
// for 1, 2 and 3 threads.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "axonal/conv.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::Conv2dGeom;
using axonal::PlaneGeom;
using axonal::Status;

struct RefConv {
  std::vector<double> y, dx, dw, db;
};

// Direct convolution and its gradients in double.
RefConv reference_conv(const Conv2dGeom& g, const std::vector<float>& x, const std::vector<float>& w,
                       const std::vector<float>& b, const std::vector<float>& dy) {
  RefConv r;
  const std::ptrdiff_t cg = g.c / g.groups, og = g.o / g.groups;
  r.y.assign(static_cast<std::size_t>(g.n * g.o * g.oh * g.ow), 0.0);
  r.dx.assign(x.size(), 0.0);
  r.dw.assign(w.size(), 0.0);
  r.db.assign(static_cast<std::size_t>(g.o), 0.0);
  for (std::ptrdiff_t n = 0; n < g.n; ++n)
    for (std::ptrdiff_t o = 0; o < g.o; ++o) {
      const std::ptrdiff_t gr = o / og;
      for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
        for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
          const std::size_t yi = static_cast<std::size_t>(((n * g.o + o) * g.oh + oy) * g.ow + ox);
          double s = b.empty() ? 0.0 : b[static_cast<std::size_t>(o)];
          const double d = dy[yi];
          r.db[static_cast<std::size_t>(o)] += d;
          for (std::ptrdiff_t ci = 0; ci < cg; ++ci)
            for (std::ptrdiff_t ki = 0; ki < g.kh; ++ki)
              for (std::ptrdiff_t kj = 0; kj < g.kw; ++kj) {
                const std::ptrdiff_t iy = oy * g.sh - g.ph + ki * g.dh, ix = ox * g.sw - g.pw + kj * g.dw;
                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                const std::size_t xi = static_cast<std::size_t>(((n * g.c + gr * cg + ci) * g.h + iy) * g.w + ix);
                const std::size_t wi = static_cast<std::size_t>(((o * cg + ci) * g.kh + ki) * g.kw + kj);
                s += static_cast<double>(w[wi]) * x[xi];
                r.dx[xi] += static_cast<double>(w[wi]) * d;
                r.dw[wi] += static_cast<double>(x[xi]) * d;
              }
          r.y[yi] = s;
        }
    }
  return r;
}

// max |got - want| / (scale), scale = tol per unit of sum of |terms| (bounded by k).
bool close(const std::vector<float>& got, const std::vector<double>& want, double tol, double* worst) {
  *worst = 0.0;
  if (got.size() != want.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double e = std::fabs(got[i] - want[i]) / (tol * (1.0 + std::fabs(want[i])));
    if (!(e <= *worst)) *worst = e;  // NaN-safe
  }
  return *worst <= 1.0;
}

struct Case {
  std::ptrdiff_t n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups;
};

const Case kCases[] = {
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1},    // smallest
    {2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},    // 'same'-like 3x3
    {1, 4, 17, 15, 6, 3, 2, 2, 3, 1, 0, 1, 1, 2},  // strides, rectangular kernel, groups
    {3, 6, 9, 11, 6, 3, 3, 1, 2, 2, 1, 2, 3, 6},   // depthwise, dilation
    {2, 5, 16, 16, 7, 5, 5, 1, 1, 2, 2, 1, 1, 1},  // LeNet-like 5x5
    {1, 3, 13, 1, 5, 4, 1, 2, 1, 1, 0, 1, 1, 1},   // conv1d (w = 1)
    {2, 8, 6, 6, 16, 1, 1, 1, 1, 0, 0, 1, 1, 4},   // pointwise shortcut with groups
    {1, 2, 5, 5, 3, 1, 1, 2, 2, 1, 1, 1, 1, 1},    // 1x1 strided, padded (not the shortcut)
    {0, 3, 5, 5, 2, 3, 3, 1, 1, 0, 0, 1, 1, 1},    // empty batch
    {1, 2, 3, 4, 2, 5, 5, 1, 1, 2, 2, 1, 1, 1},    // kernel larger than the input
    // batches run in blocks of ceil(n / 8) images side by side in one GEMM (partial last blocks)
    {4, 3, 7, 6, 4, 3, 3, 2, 1, 1, 1, 1, 1, 1},
    {11, 4, 5, 9, 6, 2, 3, 1, 2, 0, 1, 2, 1, 2},   // uneven blocks, groups, dilation
    {9, 6, 4, 4, 3, 1, 1, 1, 1, 0, 0, 1, 1, 3},    // pointwise with blocks
    {19, 2, 6, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1},   // 3 images per block, last block of 1
    {17, 4, 3, 3, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2},   // pointwise, 3 per block, groups
};

// Forward, every gradient and the transposed conv of one case against the reference.
void check_conv_case(const Case& k, std::uint64_t& seed) {
  Conv2dGeom g;
  g.n = k.n; g.c = k.c; g.h = k.h; g.w = k.w; g.o = k.o; g.kh = k.kh; g.kw = k.kw; g.sh = k.sh; g.sw = k.sw;
  g.ph = k.ph; g.pw = k.pw; g.dh = k.dh; g.dw = k.dw; g.groups = k.groups;
  REQUIRE_MSG(axonal::conv2d_plan(&g) == Status::kOk, "plan failed");
  const std::size_t nx = static_cast<std::size_t>(g.n * g.c * g.h * g.w);
  const std::size_t nw = static_cast<std::size_t>(g.o * (g.c / g.groups) * g.kh * g.kw);
  const std::size_t ny = static_cast<std::size_t>(g.n * g.o * g.oh * g.ow);
  const auto x = axonal_test::random_floats(nx, seed++);
  const auto w = axonal_test::random_floats(nw, seed++);
  const auto b = axonal_test::random_floats(static_cast<std::size_t>(g.o), seed++);
  const auto dy = axonal_test::random_floats(ny, seed++);
  const RefConv r = reference_conv(g, x, w, b, dy);
  const double tol = 4e-7 * static_cast<double>(g.c * g.kh * g.kw + g.n * g.oh * g.ow + 8);
  std::vector<float> y(ny, NAN), dx(nx, NAN), dw(nw, NAN), db(static_cast<std::size_t>(g.o), NAN);
  double worst = 0;
  EXPECT_TRUE(axonal::conv2d_fwd(g, x.data(), w.data(), b.data(), y.data()) == Status::kOk);
  REQUIRE_MSG(close(y, r.y, tol, &worst), "conv2d y: case c=%td k=%tdx%td groups=%td: worst %.3g", g.c, g.kh,
              g.kw, g.groups, worst);
  EXPECT_TRUE(axonal::conv2d_bwd(g, x.data(), w.data(), dy.data(), dx.data(), dw.data(), db.data()) ==
              Status::kOk);
  REQUIRE_MSG(close(dx, r.dx, tol, &worst), "conv2d dx: c=%td k=%tdx%td: worst %.3g", g.c, g.kh, g.kw, worst);
  REQUIRE_MSG(close(dw, r.dw, tol, &worst), "conv2d dw: c=%td k=%tdx%td: worst %.3g", g.c, g.kh, g.kw, worst);
  REQUIRE_MSG(close(db, r.db, tol, &worst), "conv2d db: c=%td: worst %.3g", g.c, worst);

  // Transposed conv in the same geometry: its input is conv's output.
  std::vector<double> want_t(nx);
  {
    const auto bt = axonal_test::random_floats(static_cast<std::size_t>(g.c), seed++);
    // forward of the transpose = reference dx with dy := input, plus bias per channel c
    const RefConv rt = reference_conv(g, x, w, {}, dy);
    for (std::size_t i = 0; i < nx; ++i)
      want_t[i] = rt.dx[i] + bt[(i / static_cast<std::size_t>(g.h * g.w)) % static_cast<std::size_t>(g.c)];
    std::vector<float> yt(nx, NAN);
    EXPECT_TRUE(axonal::conv_transpose2d_fwd(g, g.oh, g.ow, dy.data(), w.data(), bt.data(), yt.data()) == Status::kOk);
    REQUIRE_MSG(close(yt, want_t, tol, &worst), "convT y: worst %.3g", worst);
    // backward of the transpose with upstream gradient x: dx = conv(x, w), dw = conv's dw with roles swapped
    std::vector<float> dxt(ny, NAN), dwt(nw, NAN), dbt(static_cast<std::size_t>(g.c), NAN);
    EXPECT_TRUE(axonal::conv_transpose2d_bwd(g, g.oh, g.ow, dy.data(), w.data(), x.data(), dxt.data(), dwt.data(),
                                             dbt.data()) == Status::kOk);
    std::vector<double> want_dx(ny), want_db(static_cast<std::size_t>(g.c), 0.0);
    for (std::size_t i = 0; i < ny; ++i) want_dx[i] = r.y[i] - b[(i / static_cast<std::size_t>(g.oh * g.ow)) %
                                                                  static_cast<std::size_t>(g.o)];
    for (std::size_t i = 0; i < nx; ++i)
      want_db[(i / static_cast<std::size_t>(g.h * g.w)) % static_cast<std::size_t>(g.c)] += x[i];
    REQUIRE_MSG(close(dxt, want_dx, tol, &worst), "convT dx: worst %.3g", worst);
    REQUIRE_MSG(close(dwt, r.dw, tol, &worst), "convT dw: worst %.3g", worst);
    REQUIRE_MSG(close(dbt, want_db, tol, &worst), "convT db: worst %.3g", worst);
  }
}

AXONAL_TEST(conv2d_matches_reference_on_every_isa) {
  axonal_test::for_each_isa([](axonal::Isa) {
    std::uint64_t seed = 1;
    for (const Case& k : kCases) check_conv_case(k, seed);
  });
}

// Images whose columns exceed the band budget run forward and weight gradient one
// band of output rows at a time (the input rows a band reads start mid-plane or in
// the top padding). Budgets of one row per band, a few rows (bands not dividing oh)
// and the default; a case whose padding reaches past the kernel takes the whole-image path.
const Case kBandCases[] = {
    {2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
    {1, 4, 17, 15, 6, 3, 2, 2, 3, 1, 0, 1, 1, 2},
    {3, 6, 9, 11, 6, 3, 3, 1, 2, 2, 1, 2, 3, 6},
    {1, 3, 13, 1, 5, 4, 1, 2, 1, 1, 0, 1, 1, 1},
    {1, 2, 5, 5, 3, 1, 1, 2, 2, 1, 1, 1, 1, 1},
    {1, 2, 3, 4, 2, 5, 5, 1, 1, 2, 2, 1, 1, 1},
    {2, 2, 4, 5, 3, 3, 3, 1, 1, 4, 1, 1, 1, 1},   // padding beyond the kernel's reach
    {1, 5, 30, 12, 4, 5, 3, 3, 1, 2, 1, 1, 1, 1},
    // 16+ input channels per group, stride 1: the input gradient (and the transposed
    // conv's output) as a forward conv of dy with the flipped kernel, in bands
    {1, 16, 6, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},
    {2, 32, 7, 6, 8, 3, 3, 1, 1, 2, 1, 2, 1, 2},
    {1, 16, 5, 9, 3, 2, 4, 1, 1, 0, 3, 1, 1, 1},
};

AXONAL_TEST(conv2d_by_output_row_bands_matches_reference) {
  axonal_test::for_each_isa([](axonal::Isa) {
    std::uint64_t seed = 100;
    for (std::ptrdiff_t budget : {1, 700, 3000}) {
      axonal::conv_band_floats_for_testing(budget);
      for (const Case& k : kBandCases) check_conv_case(k, seed);
    }
    // Bands are sized from the shapes only: the same bits at any thread count.
    axonal::conv_band_floats_for_testing(700);
    Conv2dGeom g;
    g.n = 1; g.c = 6; g.h = 23; g.w = 19; g.o = 8; g.kh = 3; g.kw = 3; g.ph = 1; g.pw = 1; g.groups = 2;
    REQUIRE_MSG(axonal::conv2d_plan(&g) == Status::kOk, "plan");
    const std::size_t nx = static_cast<std::size_t>(g.c * g.h * g.w), nw = static_cast<std::size_t>(g.o * 3 * 9),
                      ny = static_cast<std::size_t>(g.o * g.oh * g.ow);
    const auto x = axonal_test::random_floats(nx, 1), w = axonal_test::random_floats(nw, 2),
               dy = axonal_test::random_floats(ny, 4);
    std::vector<std::vector<float>> runs;
    const int before = axonal::num_threads();
    for (int t : {1, 3}) {
      axonal::set_num_threads(t);
      std::vector<float> y(ny), dx(nx), dw(nw);
      axonal::conv2d_fwd(g, x.data(), w.data(), nullptr, y.data());
      axonal::conv2d_bwd(g, x.data(), w.data(), dy.data(), dx.data(), dw.data(), nullptr);
      y.insert(y.end(), dx.begin(), dx.end());
      y.insert(y.end(), dw.begin(), dw.end());
      runs.push_back(y);
    }
    axonal::set_num_threads(before);
    axonal::conv_band_floats_for_testing(0);
    EXPECT_TRUE(std::memcmp(runs[0].data(), runs[1].data(), runs[0].size() * sizeof(float)) == 0);
  });
}

AXONAL_TEST(im2col_and_col2im_kernels_are_exact_and_adjoint) {
  axonal_test::for_each_isa([](axonal::Isa isa) {
    const axonal::ConvKernels& k = *axonal::kernel_table_for(isa)->conv;
    const std::ptrdiff_t sizes[][8] = {
        // h, w, kh, kw, s, p, d, (unused)
        {1, 1, 1, 1, 1, 0, 1, 0}, {5, 17, 3, 3, 1, 1, 1, 0}, {16, 33, 3, 5, 2, 2, 1, 0},
        {7, 15, 2, 3, 3, 1, 2, 0}, {9, 31, 5, 4, 1, 3, 2, 0}, {4, 40, 1, 7, 1, 3, 1, 0},
        // every window inside the plane (whole vectors across output rows): LeNet's
        // 14x14 5x5 (10-wide rows, a ragged end), dilation, rows of exactly a vector
        // or two, a single output row
        {14, 14, 5, 5, 1, 0, 1, 0}, {12, 20, 3, 3, 1, 0, 2, 0}, {9, 13, 2, 4, 1, 0, 1, 0},
        {5, 18, 3, 3, 1, 0, 1, 0}, {3, 40, 3, 1, 1, 0, 1, 0}, {20, 25, 1, 9, 1, 0, 1, 0},
    };
    std::uint64_t seed = 77;
    for (const auto& s : sizes) {
      PlaneGeom g;
      g.h = s[0]; g.w = s[1]; g.kh = s[2]; g.kw = s[3]; g.sh = s[4]; g.sw = s[4] == 1 ? 1 : s[4] - 1;
      g.ph = s[5]; g.pw = s[5]; g.dh = s[6]; g.dw = s[6];
      g.oh = axonal::conv_output_size(g.h, g.kh, g.sh, g.ph, g.dh);
      g.ow = axonal::conv_output_size(g.w, g.kw, g.sw, g.pw, g.dw);
      REQUIRE_MSG(g.oh >= 1 && g.ow >= 1, "bad case");
      const std::size_t nin = static_cast<std::size_t>(g.h * g.w), ncol = static_cast<std::size_t>(g.kh * g.kw * g.oh * g.ow);
      const auto x = axonal_test::random_floats(nin, seed++);
      const auto c = axonal_test::random_floats(ncol, seed++);
      // 16 guard floats past each output: nothing may be written beyond the plane (the
      // ragged blocks store whole vectors inside it, through the mask at its end).
      constexpr std::size_t kGuard = 16;
      constexpr float kSentinel = 12345.0f;
      std::vector<float> col(ncol + kGuard, NAN), back(nin + kGuard, NAN);
      for (std::size_t i = 0; i < kGuard; ++i) col[ncol + i] = back[nin + i] = kSentinel;
      k.im2col(x.data(), col.data(), g.oh * g.ow, g);
      for (std::size_t i = 0; i < kGuard; ++i) REQUIRE_MSG(col[ncol + i] == kSentinel, "im2col wrote past its plane");
      col.resize(ncol);
      std::vector<double> want_back(nin, 0.0);
      for (std::ptrdiff_t ki = 0; ki < g.kh; ++ki)
        for (std::ptrdiff_t kj = 0; kj < g.kw; ++kj)
          for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
            for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
              const std::ptrdiff_t iy = oy * g.sh - g.ph + ki * g.dh, ix = ox * g.sw - g.pw + kj * g.dw;
              const std::size_t ci = static_cast<std::size_t>(((ki * g.kw + kj) * g.oh + oy) * g.ow + ox);
              const bool in = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
              const float want = in ? x[static_cast<std::size_t>(iy * g.w + ix)] : 0.0f;
              REQUIRE_MSG(col[ci] == want, "im2col h=%td w=%td at %zu: %g vs %g", g.h, g.w, ci, col[ci], want);
              if (in) want_back[static_cast<std::size_t>(iy * g.w + ix)] += c[ci];
            }
      k.col2im(c.data(), g.oh * g.ow, back.data(), g);
      for (std::size_t i = 0; i < kGuard; ++i) REQUIRE_MSG(back[nin + i] == kSentinel, "col2im wrote past its plane");
      back.resize(nin);
      double worst = 0;
      REQUIRE_MSG(close(back, want_back, 1e-6 * static_cast<double>(g.kh * g.kw), &worst), "col2im worst %.3g", worst);
      // Rows ld > oh*ow apart (a block of images side by side): the same values in
      // each row, the gap untouched, and col2im reading only the row prefixes.
      const std::ptrdiff_t l = g.oh * g.ow, ld = 3 * l + 5;
      std::vector<float> wide(static_cast<std::size_t>(g.kh * g.kw * ld), NAN), back2(nin, NAN);
      k.im2col(x.data(), wide.data(), ld, g);
      for (std::ptrdiff_t r = 0; r < g.kh * g.kw; ++r)
        for (std::ptrdiff_t q = 0; q < ld; ++q) {
          const float got = wide[static_cast<std::size_t>(r * ld + q)];
          if (q < l) REQUIRE_MSG(got == col[static_cast<std::size_t>(r * l + q)], "im2col ld=%td row %td col %td", ld, r, q);
          else REQUIRE_MSG(got != got, "im2col ld=%td wrote the gap at row %td col %td", ld, r, q);
        }
      for (std::ptrdiff_t r = 0; r < g.kh * g.kw; ++r)
        for (std::ptrdiff_t q = 0; q < l; ++q) wide[static_cast<std::size_t>(r * ld + q)] = c[static_cast<std::size_t>(r * l + q)];
      k.col2im(wide.data(), ld, back2.data(), g);
      REQUIRE_MSG(back2 == back, "col2im with ld=%td differs from the packed rows", ld);
    }
  });
}

struct PoolCase {
  std::ptrdiff_t planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw;
  bool ceil;
};

const PoolCase kPools[] = {
    {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false},   {3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, false},
    {2, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1, true},    {2, 17, 15, 3, 2, 1, 2, 1, 1, 2, 1, false},
    {5, 6, 11, 4, 3, 3, 2, 2, 1, 1, 2, true},   {1, 5, 16, 2, 5, 1, 3, 0, 2, 2, 1, true},
    {4, 1, 13, 1, 3, 1, 2, 0, 1, 1, 1, false},  // 1-d
};

AXONAL_TEST(pooling_matches_reference_on_every_isa) {
  axonal_test::for_each_isa([](axonal::Isa) {
    std::uint64_t seed = 900;
    for (const PoolCase& k : kPools) {
      PlaneGeom g;
      g.h = k.h; g.w = k.w; g.kh = k.kh; g.kw = k.kw; g.sh = k.sh; g.sw = k.sw; g.ph = k.ph; g.pw = k.pw;
      g.dh = k.dh; g.dw = k.dw;
      g.oh = axonal::pool_output_size(g.h, g.kh, g.sh, g.ph, g.dh, k.ceil);
      g.ow = axonal::pool_output_size(g.w, g.kw, g.sw, g.pw, g.dw, k.ceil);
      REQUIRE_MSG(g.oh >= 1 && g.ow >= 1, "bad pool case");
      const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
      const std::size_t nin = static_cast<std::size_t>(k.planes * in), nout = static_cast<std::size_t>(k.planes * out);
      auto x = axonal_test::random_floats(nin, seed++);
      if (nin > 3) x[2] = x[1];  // a tie: the first maximum wins
      const auto dy = axonal_test::random_floats(nout, seed++);
      std::vector<float> y(nout, NAN), dx(nin, NAN);
      std::vector<std::int32_t> idx(nout, 12345);
      EXPECT_TRUE(axonal::maxpool2d_fwd(k.planes, g, x.data(), y.data(), idx.data()) == Status::kOk);
      std::vector<double> want_dx(nin, 0.0);
      for (std::ptrdiff_t p = 0; p < k.planes; ++p)
        for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
          for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
            double best = -INFINITY;
            std::ptrdiff_t at = -1;
            for (std::ptrdiff_t ki = 0; ki < g.kh; ++ki)
              for (std::ptrdiff_t kj = 0; kj < g.kw; ++kj) {
                const std::ptrdiff_t iy = oy * g.sh - g.ph + ki * g.dh, ix = ox * g.sw - g.pw + kj * g.dw;
                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                const double v = x[static_cast<std::size_t>(p * in + iy * g.w + ix)];
                if (at < 0 || v > best) {
                  best = v;
                  at = iy * g.w + ix;
                }
              }
            const std::size_t o = static_cast<std::size_t>(p * out + oy * g.ow + ox);
            REQUIRE_MSG(y[o] == best && idx[o] == at, "maxpool at %zu: %g/%d vs %g/%td", o, y[o], idx[o], best, at);
            if (at >= 0) want_dx[static_cast<std::size_t>(p * in + at)] += dy[o];
          }
      EXPECT_TRUE(axonal::maxpool2d_bwd(k.planes, g, dy.data(), idx.data(), dx.data()) == Status::kOk);
      double worst = 0;
      REQUIRE_MSG(close(dx, want_dx, 1e-6 * static_cast<double>(g.kh * g.kw), &worst), "maxpool dx worst %.3g", worst);

      // Average pooling (no dilation) with each divisor rule.
      if (g.dh != 1 || g.dw != 1) continue;
      for (int mode = 0; mode < 3; ++mode) {
        axonal::AvgPoolParams prm;
        prm.count_include_pad = mode != 1;
        prm.divisor_override = mode == 2 ? 3 : 0;
        std::vector<float> ya(nout, NAN), dxa(nin, NAN);
        std::vector<double> want_y(nout, 0.0), want_dxa(nin, 0.0);
        for (std::ptrdiff_t p = 0; p < k.planes; ++p)
          for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
            for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
              const std::ptrdiff_t y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw;
              const std::ptrdiff_t y1 = std::min(y0 + g.kh, g.h + g.ph), x1 = std::min(x0 + g.kw, g.w + g.pw);
              double s = 0;
              std::ptrdiff_t count = 0;
              for (std::ptrdiff_t iy = std::max<std::ptrdiff_t>(y0, 0); iy < std::min(y1, g.h); ++iy)
                for (std::ptrdiff_t ix = std::max<std::ptrdiff_t>(x0, 0); ix < std::min(x1, g.w); ++ix) {
                  s += x[static_cast<std::size_t>(p * in + iy * g.w + ix)];
                  ++count;
                }
              const double div = mode == 2 ? 3.0 : mode == 0 ? static_cast<double>((y1 - y0) * (x1 - x0)) : count;
              const std::size_t o = static_cast<std::size_t>(p * out + oy * g.ow + ox);
              want_y[o] = count == 0 ? 0.0 : s / div;
              for (std::ptrdiff_t iy = std::max<std::ptrdiff_t>(y0, 0); iy < std::min(y1, g.h); ++iy)
                for (std::ptrdiff_t ix = std::max<std::ptrdiff_t>(x0, 0); ix < std::min(x1, g.w); ++ix)
                  want_dxa[static_cast<std::size_t>(p * in + iy * g.w + ix)] += dy[o] / div;
            }
        EXPECT_TRUE(axonal::avgpool2d_fwd(k.planes, g, prm, x.data(), ya.data()) == Status::kOk);
        EXPECT_TRUE(axonal::avgpool2d_bwd(k.planes, g, prm, dy.data(), dxa.data()) == Status::kOk);
        const double tol = 1e-6 * static_cast<double>(g.kh * g.kw);
        REQUIRE_MSG(close(ya, want_y, tol, &worst), "avgpool y mode %d worst %.3g", mode, worst);
        REQUIRE_MSG(close(dxa, want_dxa, tol, &worst), "avgpool dx mode %d worst %.3g", mode, worst);
      }
    }
  });
}

AXONAL_TEST(adaptive_avgpool_matches_reference_on_every_isa) {
  axonal_test::for_each_isa([](axonal::Isa) {
    const std::ptrdiff_t sizes[][4] = {{1, 1, 1, 1}, {7, 5, 3, 2}, {10, 10, 4, 4}, {5, 7, 7, 9}, {13, 1, 5, 1}};
    std::uint64_t seed = 5000;
    for (const auto& s : sizes) {
      PlaneGeom g;
      g.h = s[0]; g.w = s[1]; g.oh = s[2]; g.ow = s[3];
      const std::ptrdiff_t planes = 3, in = g.h * g.w, out = g.oh * g.ow;
      const auto x = axonal_test::random_floats(static_cast<std::size_t>(planes * in), seed++);
      const auto dy = axonal_test::random_floats(static_cast<std::size_t>(planes * out), seed++);
      std::vector<double> want_y(static_cast<std::size_t>(planes * out)), want_dx(static_cast<std::size_t>(planes * in));
      for (std::ptrdiff_t p = 0; p < planes; ++p)
        for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
          for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
            const std::ptrdiff_t y0 = static_cast<std::ptrdiff_t>(std::floor(double(oy) * g.h / g.oh));
            const std::ptrdiff_t y1 = static_cast<std::ptrdiff_t>(std::ceil(double(oy + 1) * g.h / g.oh));
            const std::ptrdiff_t x0 = static_cast<std::ptrdiff_t>(std::floor(double(ox) * g.w / g.ow));
            const std::ptrdiff_t x1 = static_cast<std::ptrdiff_t>(std::ceil(double(ox + 1) * g.w / g.ow));
            const double cnt = static_cast<double>((y1 - y0) * (x1 - x0));
            double sum = 0;
            const std::size_t o = static_cast<std::size_t>(p * out + oy * g.ow + ox);
            for (std::ptrdiff_t iy = y0; iy < y1; ++iy)
              for (std::ptrdiff_t ix = x0; ix < x1; ++ix) {
                sum += x[static_cast<std::size_t>(p * in + iy * g.w + ix)];
                want_dx[static_cast<std::size_t>(p * in + iy * g.w + ix)] += dy[o] / cnt;
              }
            want_y[o] = sum / cnt;
          }
      std::vector<float> y(want_y.size(), NAN), dx(want_dx.size(), NAN);
      EXPECT_TRUE(axonal::adaptive_avgpool2d_fwd(planes, g, x.data(), y.data()) == Status::kOk);
      EXPECT_TRUE(axonal::adaptive_avgpool2d_bwd(planes, g, dy.data(), dx.data()) == Status::kOk);
      double worst = 0;
      REQUIRE_MSG(close(y, want_y, 1e-5, &worst), "adaptive y worst %.3g", worst);
      REQUIRE_MSG(close(dx, want_dx, 1e-5, &worst), "adaptive dx worst %.3g", worst);
    }
  });
}

AXONAL_TEST(conv_and_pool_are_thread_count_independent) {
  axonal_test::for_each_isa([](axonal::Isa) {
    Conv2dGeom g;
    g.n = 11; g.c = 6; g.h = 23; g.w = 19; g.o = 8; g.kh = 3; g.kw = 3; g.ph = 1; g.pw = 1; g.groups = 2;
    REQUIRE_MSG(axonal::conv2d_plan(&g) == Status::kOk, "plan");
    const std::size_t nx = static_cast<std::size_t>(g.n * g.c * g.h * g.w), nw = static_cast<std::size_t>(g.o * 3 * 9),
                      ny = static_cast<std::size_t>(g.n * g.o * g.oh * g.ow);
    const auto x = axonal_test::random_floats(nx, 1), w = axonal_test::random_floats(nw, 2),
               b = axonal_test::random_floats(static_cast<std::size_t>(g.o), 3), dy = axonal_test::random_floats(ny, 4);
    PlaneGeom p;
    p.h = 64; p.w = 64; p.kh = 3; p.kw = 3; p.sh = 2; p.sw = 2; p.ph = 1; p.pw = 1;
    p.oh = axonal::pool_output_size(64, 3, 2, 1, 1, false);
    p.ow = p.oh;
    const auto px = axonal_test::random_floats(static_cast<std::size_t>(40 * 64 * 64), 5);
    std::vector<std::vector<float>> runs;
    const int before = axonal::num_threads();
    for (int t : {1, 2, 3}) {
      axonal::set_num_threads(t);
      std::vector<float> y(ny), dx(nx), dw(nw), db(static_cast<std::size_t>(g.o)),
          py(static_cast<std::size_t>(40 * p.oh * p.ow)), pdx(px.size());
      std::vector<std::int32_t> idx(py.size());
      axonal::conv2d_fwd(g, x.data(), w.data(), b.data(), y.data());
      axonal::conv2d_bwd(g, x.data(), w.data(), dy.data(), dx.data(), dw.data(), db.data());
      axonal::maxpool2d_fwd(40, p, px.data(), py.data(), idx.data());
      axonal::avgpool2d_bwd(40, p, axonal::AvgPoolParams{}, py.data(), pdx.data());
      std::vector<float> all;
      for (const auto* v : {&y, &dx, &dw, &db, &py, &pdx}) all.insert(all.end(), v->begin(), v->end());
      runs.push_back(all);
    }
    axonal::set_num_threads(before);
    EXPECT_TRUE(std::memcmp(runs[0].data(), runs[1].data(), runs[0].size() * sizeof(float)) == 0);
    EXPECT_TRUE(std::memcmp(runs[0].data(), runs[2].data(), runs[0].size() * sizeof(float)) == 0);
  });
}

}  // namespace

namespace {

// Transposed conv whose output padding reaches a whole stride: the conv geometry of
// the output has more rows than the input (oh = 5 > xh = 3), so the input is
// zero-extended. Checked against the conv reference with a zero-extended dy.
AXONAL_TEST(conv_transpose2d_with_output_padding_beyond_stride) {
  axonal_test::for_each_isa([](axonal::Isa) {
    Conv2dGeom g;
    g.n = 2; g.c = 3; g.h = 8; g.w = 5; g.o = 2; g.kh = 2; g.kw = 2; g.sh = 1; g.sw = 2; g.ph = 0; g.pw = 1;
    g.dh = 3; g.dw = 1; g.groups = 1;
    REQUIRE_MSG(axonal::conv2d_plan(&g) == Status::kOk && g.oh == 5 && g.ow == 3, "plan %td x %td", g.oh, g.ow);
    const std::ptrdiff_t xh = 3, xw = 3;
    const auto x = axonal_test::random_floats(static_cast<std::size_t>(g.n * g.o * xh * xw), 31);
    const auto w = axonal_test::random_floats(static_cast<std::size_t>(g.o * g.c * 4), 32);
    const auto up = axonal_test::random_floats(static_cast<std::size_t>(g.n * g.c * g.h * g.w), 33);
    std::vector<float> xpad(static_cast<std::size_t>(g.n * g.o * g.oh * g.ow), 0.0f);
    for (std::ptrdiff_t p = 0; p < g.n * g.o; ++p)
      for (std::ptrdiff_t r = 0; r < xh; ++r)
        for (std::ptrdiff_t c = 0; c < xw; ++c)
          xpad[static_cast<std::size_t>((p * g.oh + r) * g.ow + c)] = x[static_cast<std::size_t>((p * xh + r) * xw + c)];
    // forward = reference dx of the conv with dy := xpad; backward: dx = conv(up) cropped, dw = conv's dw(up, xpad)
    const RefConv r = reference_conv(g, up, w, {}, xpad);
    std::vector<float> y(up.size(), NAN), dx(x.size(), NAN), dw(w.size(), NAN), db(3, NAN);
    EXPECT_TRUE(axonal::conv_transpose2d_fwd(g, xh, xw, x.data(), w.data(), nullptr, y.data()) == Status::kOk);
    EXPECT_TRUE(axonal::conv_transpose2d_bwd(g, xh, xw, x.data(), w.data(), up.data(), dx.data(), dw.data(), db.data()) ==
                Status::kOk);
    std::vector<double> want_dx(x.size()), want_db(3, 0.0);
    for (std::ptrdiff_t p = 0; p < g.n * g.o; ++p)
      for (std::ptrdiff_t rr = 0; rr < xh; ++rr)
        for (std::ptrdiff_t c = 0; c < xw; ++c)
          want_dx[static_cast<std::size_t>((p * xh + rr) * xw + c)] = r.y[static_cast<std::size_t>((p * g.oh + rr) * g.ow + c)];
    for (std::size_t i = 0; i < up.size(); ++i) want_db[(i / 40) % 3] += up[i];
    double worst = 0;
    REQUIRE_MSG(close(y, r.dx, 1e-5, &worst), "y worst %.3g", worst);
    REQUIRE_MSG(close(dx, want_dx, 1e-5, &worst), "dx worst %.3g", worst);
    REQUIRE_MSG(close(dw, r.dw, 1e-5, &worst), "dw worst %.3g", worst);
    REQUIRE_MSG(close(db, want_db, 1e-5, &worst), "db worst %.3g", worst);
  });
}

// Zero input channels (a legal geometry: every output is its bias) on a plane large
// enough to run in bands: the band height divides by the columns per output row, which
// are zero here (a SIGFPE before). The transposed convolution with zero input channels
// reads the same geometry with c and o swapped.
AXONAL_TEST(conv_with_zero_input_channels_is_its_bias) {
  axonal_test::for_each_isa([](axonal::Isa) {
    Conv2dGeom g;
    g.n = 2; g.c = 0; g.h = 40; g.w = 40; g.o = 3; g.kh = 3; g.kw = 3; g.sh = 1; g.sw = 1; g.ph = 1; g.pw = 1;
    g.dh = 1; g.dw = 1; g.groups = 1;
    REQUIRE_MSG(axonal::conv2d_plan(&g) == Status::kOk, "plan");
    axonal::conv_band_floats_for_testing(64);
    const std::vector<float> bias = {0.5f, -2.0f, 3.25f};
    const auto dy = axonal_test::random_floats(static_cast<std::size_t>(g.n * g.o * g.oh * g.ow), 41);
    std::vector<float> y(dy.size(), NAN), db(3, NAN);
    float none = 0.0f;
    const Status fwd = axonal::conv2d_fwd(g, &none, &none, bias.data(), y.data());
    const Status bwd = axonal::conv2d_bwd(g, &none, &none, dy.data(), &none, &none, db.data());
    // The transposed convolution of a zero-channel x: y [n, c, h, w] = its bias.
    Conv2dGeom t = g;
    t.c = 3; t.o = 0;
    REQUIRE_MSG(axonal::conv2d_plan(&t) == Status::kOk, "plan t");
    std::vector<float> ty(static_cast<std::size_t>(t.n * t.c * t.h * t.w), NAN), tdb(3, NAN);
    const Status tfwd = axonal::conv_transpose2d_fwd(t, t.oh, t.ow, &none, &none, bias.data(), ty.data());
    const Status tbwd = axonal::conv_transpose2d_bwd(t, t.oh, t.ow, &none, &none, dy.data(), &none, &none, tdb.data());
    axonal::conv_band_floats_for_testing(0);
    EXPECT_TRUE(fwd == Status::kOk && bwd == Status::kOk && tfwd == Status::kOk && tbwd == Status::kOk);
    const std::size_t plane = static_cast<std::size_t>(g.oh * g.ow);
    std::vector<double> want_db(3, 0.0);
    for (std::size_t i = 0; i < y.size(); ++i) {
      EXPECT_EQ(y[i], bias[(i / plane) % 3]);
      EXPECT_EQ(ty[i], bias[(i / plane) % 3]);
      want_db[(i / plane) % 3] += dy[i];
    }
    double worst = 0;
    REQUIRE_MSG(close(db, want_db, 1e-5, &worst), "db worst %.3g", worst);
    REQUIRE_MSG(close(tdb, want_db, 1e-5, &worst), "transposed db worst %.3g", worst);
  });
}

}  // namespace
