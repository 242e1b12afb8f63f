// Pooling kernels on every ISA against plain per-window references, over a grid of
// awkward geometries: 1x1 planes, odd and prime sizes, rows that leave ragged vector
// tails, kernels wider than the input with padding, ceil_mode, dilation, strides 1-3
// (mixed per axis), windows with no pixel; data with ties (first maximum wins), -inf
// and NaN (the last NaN of a window wins, as in PyTorch's loop). Max pooling and the
// average forward must match the scalar-order reference bit for bit; the backward
// passes match float64 references. Rows wider than the kernels' stack buffers and
// planes taller than them (chunked padded copies) take the other code paths.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "axonal/conv.h"
#include "axonal/threadpool.h"
#include "tests/harness.h"
#include "tests/reference.h"

namespace {

using axonal::AvgPoolParams;
using axonal::PlaneGeom;
using axonal::Status;

struct Geom {
  std::ptrdiff_t h, w, kh, kw, sh, sw, ph, pw, dh, dw;
  bool ceil;
};

bool plan(const Geom& c, PlaneGeom* g) {
  g->h = c.h; g->w = c.w; g->kh = c.kh; g->kw = c.kw; g->sh = c.sh; g->sw = c.sw; g->ph = c.ph; g->pw = c.pw;
  g->dh = c.dh; g->dw = c.dw;
  g->oh = axonal::pool_output_size(c.h, c.kh, c.sh, c.ph, c.dh, c.ceil);
  g->ow = axonal::pool_output_size(c.w, c.kw, c.sw, c.pw, c.dw, c.ceil);
  return g->oh >= 1 && g->ow >= 1;
}

std::uint32_t bits(float v) {
  std::uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// Planes of test data: plain random; few distinct values (ties) with -inf; NaNs and
// -inf among random values; all -inf.
std::vector<float> pool_data(std::ptrdiff_t planes, std::ptrdiff_t in, std::uint64_t seed) {
  auto x = axonal_test::random_floats(static_cast<std::size_t>(planes * in), seed);
  const auto r = axonal_test::random_floats(static_cast<std::size_t>(planes * in), seed + 7);
  for (std::ptrdiff_t p = 0; p < planes; ++p)
    for (std::ptrdiff_t i = 0; i < in; ++i) {
      float& v = x[static_cast<std::size_t>(p * in + i)];
      const float u = r[static_cast<std::size_t>(p * in + i)];
      switch (p % 4) {
        case 1: v = u < -0.8f ? -INFINITY : std::floor(v * 2.0f); break;
        case 2: v = u < -0.7f ? NAN : u > 0.85f ? -INFINITY : v; break;
        case 3: v = -INFINITY; break;
        default: break;
      }
    }
  return x;
}

// PyTorch's max-pool loop over the window taps inside the plane.
void ref_maxpool(const float* x, const PlaneGeom& g, float* y, std::int32_t* idx) {
  for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
    for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
      float best = -INFINITY;
      std::ptrdiff_t at = -1;
      // the taps inside the plane, in order (kernels may be far larger than the plane)
      const auto first = [](std::ptrdiff_t start, std::ptrdiff_t d) { return start >= 0 ? 0 : (-start + d - 1) / d; };
      const std::ptrdiff_t y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw;
      for (std::ptrdiff_t ki = first(y0, g.dh); ki < g.kh && y0 + ki * g.dh < g.h; ++ki)
        for (std::ptrdiff_t kj = first(x0, g.dw); kj < g.kw && x0 + kj * g.dw < g.w; ++kj) {
          const std::ptrdiff_t iy = y0 + ki * g.dh, ix = x0 + kj * g.dw;
          const float v = x[iy * g.w + ix];
          if (at < 0 || v > best || std::isnan(v)) {
            best = v;
            at = iy * g.w + ix;
          }
        }
      y[oy * g.ow + ox] = best;
      idx[oy * g.ow + ox] = static_cast<std::int32_t>(at);
    }
}

// Average pooling in float in the scalar order (0, then rows of columns), PyTorch's divisors.
struct AvgRef {
  std::ptrdiff_t y0, y1, x0, x1;
  double div;
};
AvgRef avg_ref_window(const PlaneGeom& g, AvgPoolParams p, std::ptrdiff_t oy, std::ptrdiff_t ox) {
  const std::ptrdiff_t y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw;
  const std::ptrdiff_t y1 = std::min(y0 + g.kh, g.h + g.ph), x1 = std::min(x0 + g.kw, g.w + g.pw);
  AvgRef a;
  a.y0 = std::max<std::ptrdiff_t>(y0, 0);
  a.x0 = std::max<std::ptrdiff_t>(x0, 0);
  a.y1 = std::min(y1, g.h);
  a.x1 = std::min(x1, g.w);
  const std::ptrdiff_t count = std::max<std::ptrdiff_t>(a.y1 - a.y0, 0) * std::max<std::ptrdiff_t>(a.x1 - a.x0, 0);
  a.div = p.divisor_override != 0 ? static_cast<double>(p.divisor_override)
          : p.count_include_pad   ? static_cast<double>((y1 - y0) * (x1 - x0))
                                  : static_cast<double>(count);
  return a;
}

void ref_avgpool(const float* x, const PlaneGeom& g, AvgPoolParams p, float* y) {
  for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
    for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
      const AvgRef a = avg_ref_window(g, p, oy, ox);
      if (a.y0 >= a.y1 || a.x0 >= a.x1) {
        y[oy * g.ow + ox] = 0.0f;
        continue;
      }
      float s = 0.0f;
      for (std::ptrdiff_t iy = a.y0; iy < a.y1; ++iy)
        for (std::ptrdiff_t ix = a.x0; ix < a.x1; ++ix) s += x[iy * g.w + ix];
      y[oy * g.ow + ox] = s / static_cast<float>(a.div);
    }
}

void ref_avgpool_bwd(const float* dy, const PlaneGeom& g, AvgPoolParams p, double* dx) {
  for (std::ptrdiff_t i = 0; i < g.h * g.w; ++i) dx[i] = 0.0;
  for (std::ptrdiff_t oy = 0; oy < g.oh; ++oy)
    for (std::ptrdiff_t ox = 0; ox < g.ow; ++ox) {
      const AvgRef a = avg_ref_window(g, p, oy, ox);
      if (a.y0 >= a.y1 || a.x0 >= a.x1) continue;
      const double v = dy[oy * g.ow + ox] / a.div;
      for (std::ptrdiff_t iy = a.y0; iy < a.y1; ++iy)
        for (std::ptrdiff_t ix = a.x0; ix < a.x1; ++ix) dx[iy * g.w + ix] += v;
    }
}

// Runs every pooling op of one geometry on `planes` planes through the drivers (the
// active ISA's kernels) and checks it; returns false after the first failure.
bool check_geometry(const Geom& c, std::ptrdiff_t planes, std::uint64_t seed) {
  PlaneGeom g;
  if (!plan(c, &g)) return true;
  const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
  const std::size_t nin = static_cast<std::size_t>(planes * in), nout = static_cast<std::size_t>(planes * out);
  const auto x = pool_data(planes, in, seed);
  const auto dy = axonal_test::random_floats(nout, seed + 1);
  const char* what = "";
  auto fail = [&](std::ptrdiff_t p, std::ptrdiff_t i, double got, double want) {
    ::axonal_test::record_failure(
        __FILE__, __LINE__,
        ::axonal_test::fmt("%s: plane %td of %tdx%td k %tdx%td s %td,%td p %td,%td d %td,%td ceil %d, at %td: %.9g vs %.9g",
                           what, p, c.h, c.w, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw, c.dh, c.dw, c.ceil ? 1 : 0, i, got,
                           want));
    return false;
  };

  // max pooling: y and idx exact, dx exact (float scatter in output order)
  std::vector<float> y(nout, NAN), dx(nin, NAN), ry(static_cast<std::size_t>(out));
  std::vector<std::int32_t> idx(nout, 12345), ridx(static_cast<std::size_t>(out));
  EXPECT_TRUE(axonal::maxpool2d_fwd(planes, g, x.data(), y.data(), idx.data()) == Status::kOk);
  EXPECT_TRUE(axonal::maxpool2d_bwd(planes, g, dy.data(), idx.data(), dx.data()) == Status::kOk);
  for (std::ptrdiff_t p = 0; p < planes; ++p) {
    ref_maxpool(x.data() + p * in, g, ry.data(), ridx.data());
    std::vector<float> rdx(static_cast<std::size_t>(in), 0.0f);
    for (std::ptrdiff_t i = 0; i < out; ++i) {
      const std::size_t o = static_cast<std::size_t>(p * out + i);
      what = "maxpool y";
      if (bits(y[o]) != bits(ry[static_cast<std::size_t>(i)])) return fail(p, i, y[o], ry[static_cast<std::size_t>(i)]);
      what = "maxpool idx";
      if (idx[o] != ridx[static_cast<std::size_t>(i)]) return fail(p, i, idx[o], ridx[static_cast<std::size_t>(i)]);
      if (ridx[static_cast<std::size_t>(i)] >= 0) rdx[static_cast<std::size_t>(ridx[static_cast<std::size_t>(i)])] += dy[o];
    }
    what = "maxpool dx";
    for (std::ptrdiff_t i = 0; i < in; ++i)
      if (bits(dx[static_cast<std::size_t>(p * in + i)]) != bits(rdx[static_cast<std::size_t>(i)]))
        return fail(p, i, dx[static_cast<std::size_t>(p * in + i)], rdx[static_cast<std::size_t>(i)]);
  }

  // average pooling (dilation 1): y exact against the scalar order, dx to float64
  if (c.dh != 1 || c.dw != 1) return true;
  for (int mode = 0; mode < 3; ++mode) {
    AvgPoolParams prm;
    prm.count_include_pad = mode != 1;
    prm.divisor_override = mode == 2 ? 7 : 0;
    // finite inputs for the average (NaN/inf planes would only compare NaN to NaN)
    auto xa = axonal_test::random_floats(nin, seed + 2 + static_cast<std::uint64_t>(mode));
    std::vector<float> ya(nout, NAN), dxa(nin, NAN), rya(static_cast<std::size_t>(out));
    std::vector<double> rdx(static_cast<std::size_t>(in));
    EXPECT_TRUE(axonal::avgpool2d_fwd(planes, g, prm, xa.data(), ya.data()) == Status::kOk);
    EXPECT_TRUE(axonal::avgpool2d_bwd(planes, g, prm, dy.data(), dxa.data()) == Status::kOk);
    for (std::ptrdiff_t p = 0; p < planes; ++p) {
      ref_avgpool(xa.data() + p * in, g, prm, rya.data());
      what = mode == 0 ? "avgpool y (include pad)" : mode == 1 ? "avgpool y (exclude pad)" : "avgpool y (override)";
      for (std::ptrdiff_t i = 0; i < out; ++i)
        if (bits(ya[static_cast<std::size_t>(p * out + i)]) != bits(rya[static_cast<std::size_t>(i)]))
          return fail(p, i, ya[static_cast<std::size_t>(p * out + i)], rya[static_cast<std::size_t>(i)]);
      ref_avgpool_bwd(dy.data() + p * out, g, prm, rdx.data());
      what = mode == 0 ? "avgpool dx (include pad)" : mode == 1 ? "avgpool dx (exclude pad)" : "avgpool dx (override)";
      const double tol = 2e-7 * static_cast<double>(g.kh * g.kw + 2);
      for (std::ptrdiff_t i = 0; i < in; ++i) {
        const double got = dxa[static_cast<std::size_t>(p * in + i)], want = rdx[static_cast<std::size_t>(i)];
        if (!(std::fabs(got - want) <= tol * (1.0 + std::fabs(want)))) return fail(p, i, got, want);
      }
    }
  }
  return true;
}

AXONAL_TEST(pooling_kernels_match_plain_references_over_a_geometry_grid) {
  const std::ptrdiff_t sizes[][2] = {{1, 1},  {2, 3},  {5, 7},   {7, 13},  {13, 1},  {1, 17},
                                     {16, 16}, {17, 31}, {3, 40}, {32, 33}, {11, 67}, {4, 97}};
  const std::ptrdiff_t kernels[][2] = {{1, 1}, {2, 2}, {3, 3}, {2, 3}, {5, 4}, {1, 3}, {4, 1}};
  const std::ptrdiff_t strides[][2] = {{1, 1}, {2, 2}, {3, 3}, {1, 2}, {2, 1}, {3, 2}, {2, 3}};
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 1;
    int cases = 0;
    for (const auto& sz : sizes)
      for (const auto& k : kernels)
        for (const auto& s : strides)
          for (std::ptrdiff_t pad = 0; pad <= 2; ++pad)
            for (std::ptrdiff_t d = 1; d <= 2; ++d)
              for (int ceil = 0; ceil < 2; ++ceil) {
                // padding at most half the kernel on each axis (PyTorch's rule; the binding's)
                const std::ptrdiff_t ph = std::min(pad, k[0] / 2), pw = std::min(pad, k[1] / 2);
                if (pad > 0 && ph == 0 && pw == 0) continue;
                if (pad == 2 && ph < 2 && pw < 2) continue;
                const Geom c = {sz[0], sz[1], k[0], k[1], s[0], s[1], ph, pw, d, d == 2 ? 3 : 1, ceil != 0};
                if (!check_geometry(c, 4, seed++)) return;
                ++cases;
              }
    REQUIRE_MSG(cases > 1000, "only %d geometries ran", cases);
  });
}

// The other code paths: rows too wide for the padded-row buffer (masked edge loads,
// stride-3 gathers), planes taller than it (chunks of padded rows), average backward
// rows wider than its buffers and horizontal strides above 2 (the scatter form),
// kernels larger than the input, and windows with no pixel (dilation over padding).
AXONAL_TEST(pooling_kernels_match_plain_references_on_wide_tall_and_empty_windows) {
  const Geom cases[] = {
      {3, 1500, 3, 3, 2, 2, 1, 1, 1, 1, false},  // wide: edge blocks with masked pair loads
      {2, 1400, 3, 3, 1, 1, 1, 1, 1, 1, true},   // wide, stride 1
      {3, 1501, 3, 3, 2, 2, 1, 1, 1, 1, true},   // wide, ceil: right padding too
      {3, 1500, 3, 3, 2, 2, 0, 0, 1, 1, true},   // wide, ceil: right padding after an even column
      {3, 2501, 2, 3, 1, 3, 1, 1, 1, 1, true},   // wide, stride 3: masked gathers
      {3, 2500, 2, 4, 1, 3, 1, 2, 1, 1, false},
      {5, 1500, 3, 5, 2, 2, 1, 2, 2, 2, false},  // wide, dilation
      {150, 40, 3, 3, 1, 1, 1, 1, 1, 1, false},  // tall: chunks of padded rows
      {131, 61, 4, 3, 3, 2, 2, 1, 2, 1, true},   // tall, dilation rows, ceil
      {200, 9, 2, 2, 2, 2, 1, 1, 1, 1, false},
      {3, 2100, 2, 2, 1, 1, 0, 0, 1, 1, false},  // avg backward wider than its buffer
      {5, 23, 3, 4, 3, 3, 1, 2, 1, 1, true},     // avg backward stride 3
      {2, 3, 5, 5, 1, 1, 2, 2, 1, 1, false},     // kernel larger than the input
      {1, 2, 1, 2, 1, 1, 0, 1, 1, 3, false},     // no pixel: taps -1 and 2 of a 2-wide row
      {2, 2, 2, 2, 1, 1, 1, 1, 3, 3, false},     // no pixel in either axis
      {4, 2, 3, 2, 2, 2, 1, 1, 2, 3, true},
      {3, 5, 1, 1 << 20, 1, 3, 0, 1 << 19, 1, 1, false},  // a kernel far wider than the row
      {5, 4, 1 << 20, 3, 2, 1, 1 << 19, 1, 1, 1, true},   // far taller
      {3, 40, 1, 33, 1, 2, 0, 16, 1, 2, true},            // wide and dilated
  };
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 500;
    for (const Geom& c : cases) {
      PlaneGeom g;
      REQUIRE_MSG(plan(c, &g), "bad case %tdx%td", c.h, c.w);
      if (!check_geometry(c, 5, seed++)) return;
    }
  });
}

// Each ISA's kernels, called on one plane directly, write every output (NaN-poisoned
// before) and agree with the scalar kernels bit for bit (max, average forward).
AXONAL_TEST(pooling_kernels_agree_with_the_scalar_kernels) {
  const axonal::ConvKernels& ref = *axonal::kernel_table_for(axonal::Isa::kScalar)->conv;
  const Geom cases[] = {{32, 32, 2, 2, 2, 2, 0, 0, 1, 1, false}, {32, 32, 3, 3, 2, 2, 1, 1, 1, 1, false},
                        {31, 29, 3, 3, 1, 1, 1, 1, 1, 1, true},  {9, 50, 3, 2, 3, 3, 1, 1, 2, 2, true},
                        {1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false},   {7, 19, 5, 5, 2, 2, 2, 2, 1, 1, true}};
  axonal_test::for_each_isa([&](axonal::Isa isa) {
    const axonal::ConvKernels& k = *axonal::kernel_table_for(isa)->conv;
    std::uint64_t seed = 900;
    for (const Geom& c : cases) {
      PlaneGeom g;
      REQUIRE_MSG(plan(c, &g), "bad case");
      const std::size_t in = static_cast<std::size_t>(g.h * g.w), out = static_cast<std::size_t>(g.oh * g.ow);
      for (int plane = 0; plane < 4; ++plane) {
        const auto x = pool_data(4, static_cast<std::ptrdiff_t>(in), seed++);
        const float* xp = x.data() + static_cast<std::size_t>(plane) * in;
        std::vector<float> y(out, NAN), y0(out, NAN);
        std::vector<std::int32_t> i(out, 777), i0(out, 777);
        k.maxpool_fwd(xp, y.data(), i.data(), g);
        ref.maxpool_fwd(xp, y0.data(), i0.data(), g);
        for (std::size_t o = 0; o < out; ++o)
          REQUIRE_MSG(bits(y[o]) == bits(y0[o]) && i[o] == i0[o], "maxpool %tdx%td plane %d at %zu: %g/%d vs %g/%d",
                      c.h, c.w, plane, o, y[o], i[o], y0[o], i0[o]);
        if (g.dh != 1 || g.dw != 1) continue;
        const auto xa = axonal_test::random_floats(in, seed++);
        for (int mode = 0; mode < 3; ++mode) {
          AvgPoolParams prm;
          prm.count_include_pad = mode != 1;
          prm.divisor_override = mode == 2 ? -3 : 0;
          std::vector<float> a(out, NAN), a0(out, NAN);
          k.avgpool_fwd(xa.data(), a.data(), g, prm);
          ref.avgpool_fwd(xa.data(), a0.data(), g, prm);
          for (std::size_t o = 0; o < out; ++o)
            REQUIRE_MSG(bits(a[o]) == bits(a0[o]), "avgpool %tdx%td mode %d at %zu: %g vs %g", c.h, c.w, mode, o, a[o],
                        a0[o]);
        }
      }
    }
  });
}

// Max-pool backward of windows that tile the plane writes dx directly; indices that are
// not in their own window (not from the forward) must still scatter like any other.
AXONAL_TEST(maxpool_backward_handles_indices_outside_their_windows) {
  const Geom cases[] = {{8, 8, 2, 2, 2, 2, 0, 0, 1, 1, false}, {9, 37, 2, 2, 2, 2, 0, 0, 1, 1, true},
                        {7, 21, 3, 1, 3, 1, 0, 0, 1, 1, false}, {5, 40, 1, 2, 1, 2, 0, 0, 1, 1, false}};
  axonal_test::for_each_isa([&](axonal::Isa) {
    std::uint64_t seed = 77;
    for (const Geom& c : cases) {
      PlaneGeom g;
      REQUIRE_MSG(plan(c, &g), "bad case");
      const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow, planes = 3;
      const auto dy = axonal_test::random_floats(static_cast<std::size_t>(planes * out), seed++);
      const auto r = axonal_test::random_floats(static_cast<std::size_t>(planes * out), seed++);
      // plane 0: the forward's indices; plane 1: one index elsewhere (late in the plane); plane 2: all random
      const auto x = axonal_test::random_floats(static_cast<std::size_t>(planes * in), seed++);
      std::vector<float> y(static_cast<std::size_t>(planes * out));
      std::vector<std::int32_t> idx(y.size());
      axonal::maxpool2d_fwd(planes, g, x.data(), y.data(), idx.data());
      idx[static_cast<std::size_t>(out + out - 1)] = 0;
      for (std::ptrdiff_t i = 0; i < out; ++i) {
        const float u = r[static_cast<std::size_t>(2 * out + i)];
        idx[static_cast<std::size_t>(2 * out + i)] = u < -0.8f ? -1 : static_cast<std::int32_t>((u + 1.0f) * 0.5f * static_cast<float>(in - 1));
      }
      std::vector<float> dx(static_cast<std::size_t>(planes * in), NAN);
      EXPECT_TRUE(axonal::maxpool2d_bwd(planes, g, dy.data(), idx.data(), dx.data()) == Status::kOk);
      for (std::ptrdiff_t p = 0; p < planes; ++p) {
        std::vector<float> want(static_cast<std::size_t>(in), 0.0f);
        for (std::ptrdiff_t i = 0; i < out; ++i) {
          const std::int32_t k = idx[static_cast<std::size_t>(p * out + i)];
          if (k >= 0) want[static_cast<std::size_t>(k)] += dy[static_cast<std::size_t>(p * out + i)];
        }
        for (std::ptrdiff_t i = 0; i < in; ++i)
          REQUIRE_MSG(bits(dx[static_cast<std::size_t>(p * in + i)]) == bits(want[static_cast<std::size_t>(i)]),
                      "%tdx%td plane %td at %td: %g vs %g", c.h, c.w, p, i, dx[static_cast<std::size_t>(p * in + i)],
                      want[static_cast<std::size_t>(i)]);
      }
    }
  });
}

// Results do not depend on the thread count (planes are the tasks).
AXONAL_TEST(pooling_is_thread_count_independent) {
  axonal_test::for_each_isa([](axonal::Isa) {
    PlaneGeom g;
    const Geom c = {32, 32, 3, 3, 2, 2, 1, 1, 1, 1, true};
    REQUIRE_MSG(plan(c, &g), "plan");
    const std::ptrdiff_t planes = 70, in = g.h * g.w, out = g.oh * g.ow;
    const auto x = pool_data(planes, in, 3);
    const auto dy = axonal_test::random_floats(static_cast<std::size_t>(planes * out), 4);
    const auto xa = axonal_test::random_floats(static_cast<std::size_t>(planes * in), 5);
    std::vector<std::vector<float>> runs;
    const int before = axonal::num_threads();
    for (int t : {1, 2, 3}) {
      axonal::set_num_threads(t);
      std::vector<float> y(static_cast<std::size_t>(planes * out)), dx(static_cast<std::size_t>(planes * in)),
          ya(y.size()), dxa(dx.size());
      std::vector<std::int32_t> idx(y.size());
      axonal::maxpool2d_fwd(planes, g, x.data(), y.data(), idx.data());
      axonal::maxpool2d_bwd(planes, g, dy.data(), idx.data(), dx.data());
      axonal::avgpool2d_fwd(planes, g, AvgPoolParams{}, xa.data(), ya.data());
      axonal::avgpool2d_bwd(planes, g, AvgPoolParams{}, dy.data(), dxa.data());
      std::vector<float> all;
      for (const auto* v : {&y, &dx, &ya, &dxa}) all.insert(all.end(), v->begin(), v->end());
      for (std::int32_t i : idx) all.push_back(static_cast<float>(i));
      runs.push_back(all);
    }
    axonal::set_num_threads(before);
    EXPECT_TRUE(std::memcmp(runs[0].data(), runs[1].data(), runs[0].size() * sizeof(float)) == 0);
    EXPECT_TRUE(std::memcmp(runs[0].data(), runs[2].data(), runs[0].size() * sizeof(float)) == 0);
  });
}

}  // namespace
