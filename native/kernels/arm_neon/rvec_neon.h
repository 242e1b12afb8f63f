// NEON lanes (struct VO) for the shared reduce/optim bodies (kernels/common/*_body.inc).
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

namespace axonal {
namespace neon {
namespace {

#include "../common/rvec_scalar.inc"

struct VO {
  using T = float32x4_t;
  using M = uint32x4_t;
  static constexpr int W = 4;
  static T load(const float* p) noexcept { return vld1q_f32(p); }
  static void store(float* p, T v) noexcept { vst1q_f32(p, v); }
  static T set(float v) noexcept { return vdupq_n_f32(v); }
  static T add(T a, T b) noexcept { return vaddq_f32(a, b); }
  static T sub(T a, T b) noexcept { return vsubq_f32(a, b); }
  static T mul(T a, T b) noexcept { return vmulq_f32(a, b); }
  static T div(T a, T b) noexcept { return vdivq_f32(a, b); }
  static T fma(T a, T b, T c) noexcept { return vfmaq_f32(c, a, b); }
  static T sqrt(T a) noexcept { return vsqrtq_f32(a); }
  static T neg(T a) noexcept { return vnegq_f32(a); }
  static T abs(T a) noexcept { return vabsq_f32(a); }
  static T maxp(T a, T b) noexcept { return vmaxq_f32(a, b); }  // FMAX propagates NaN
  static T clamp(T x, T lo, T hi) noexcept { return vminq_f32(vmaxq_f32(x, lo), hi); }
  static M gt(T a, T b) noexcept { return vcgtq_f32(a, b); }
  static M eq(T a, T b) noexcept { return vceqq_f32(a, b); }
  static M isnan(T a) noexcept { return vmvnq_u32(vceqq_f32(a, a)); }
  static M mor(M a, M b) noexcept { return vorrq_u32(a, b); }
  static M mandn(M a, M b) noexcept { return vbicq_u32(a, b); }
  static T select(M m, T a, T b) noexcept { return vbslq_f32(m, a, b); }
  static bool any(M m) noexcept { return vmaxvq_u32(m) != 0; }
  static int first(M m) noexcept {
    if (vgetq_lane_u32(m, 0)) return 0;
    if (vgetq_lane_u32(m, 1)) return 1;
    if (vgetq_lane_u32(m, 2)) return 2;
    if (vgetq_lane_u32(m, 3)) return 3;
    return -1;
  }
  static void store_index(std::int32_t* p, M m, std::int32_t k) noexcept {
    const int32x4_t old = vld1q_s32(p);
    vst1q_s32(p, vbslq_s32(m, vdupq_n_s32(k), old));
  }
  // Partial and strided lanes (pooling): lanes [lo, hi) read p[l], the others are
  // `fill` and never touched (assembled lane by lane: NEON has no masked loads);
  // even/odd/zip (de)interleave the 2W floats a, b.
  static M lanes(int lo, int hi) noexcept {
    const std::int32_t ids[4] = {0, 1, 2, 3};
    const int32x4_t id = vld1q_s32(ids);
    return vandq_u32(vcgeq_s32(id, vdupq_n_s32(lo)), vcltq_s32(id, vdupq_n_s32(hi)));
  }
  static T load_part(const float* p, int lo, int hi, float fill) noexcept {
    float t[4] = {fill, fill, fill, fill};
    for (int l = lo < 0 ? 0 : lo; l < (hi > 4 ? 4 : hi); ++l) t[l] = p[l];
    return vld1q_f32(t);
  }
  static T load_mask(const float* p, M m, float fill) noexcept {
    std::uint32_t on[4];
    vst1q_u32(on, m);
    float t[4] = {fill, fill, fill, fill};
    for (int l = 0; l < 4; ++l)
      if (on[l] != 0) t[l] = p[l];
    return vld1q_f32(t);
  }
  static void store_part(float* p, T v, int n) noexcept {
    float t[4];
    vst1q_f32(t, v);
    for (int l = 0; l < (n > 4 ? 4 : n); ++l) p[l] = t[l];
  }
  static void store_mask(float* p, T v, M m) noexcept {
    std::uint32_t on[4];
    vst1q_u32(on, m);
    float t[4];
    vst1q_f32(t, v);
    for (int l = 0; l < 4; ++l)
      if (on[l] != 0) p[l] = t[l];
  }
  static T gather(const float* p, std::ptrdiff_t s) noexcept {
    const float t[4] = {p[0], p[s], p[2 * s], p[3 * s]};
    return vld1q_f32(t);
  }
  static T gather_part(const float* p, std::ptrdiff_t s, int lo, int hi, float fill) noexcept {
    float t[4] = {fill, fill, fill, fill};
    for (int l = lo < 0 ? 0 : lo; l < (hi > 4 ? 4 : hi); ++l) t[l] = p[l * s];
    return vld1q_f32(t);
  }
  static T even(T a, T b) noexcept { return vuzp1q_f32(a, b); }
  static T odd(T a, T b) noexcept { return vuzp2q_f32(a, b); }
  static void zip(T a, T b, T* lo, T* hi) noexcept {
    *lo = vzip1q_f32(a, b);
    *hi = vzip2q_f32(a, b);
  }
  // int32 lanes (flat indices).
  using I = int32x4_t;
  static I iset(std::int32_t v) noexcept { return vdupq_n_s32(v); }
  static I iramp(std::int32_t start, std::int32_t step) noexcept {
    const std::int32_t ids[4] = {0, 1, 2, 3};
    return vmlaq_n_s32(vdupq_n_s32(start), vld1q_s32(ids), step);
  }
  static I iadd(I a, I b) noexcept { return vaddq_s32(a, b); }
  static I iselect(M m, I a, I b) noexcept { return vbslq_s32(m, a, b); }
  static void istore(std::int32_t* p, I v) noexcept { vst1q_s32(p, v); }
  static I iload(const std::int32_t* p) noexcept { return vld1q_s32(p); }
  static I iload_part(const std::int32_t* p, int n, std::int32_t fill) noexcept {
    std::int32_t t[4] = {fill, fill, fill, fill};
    for (int l = 0; l < (n > 4 ? 4 : n); ++l) t[l] = p[l];
    return vld1q_s32(t);
  }
  static M ieq(I a, I b) noexcept { return vceqq_s32(a, b); }
  static void istore_part(std::int32_t* p, I v, int n) noexcept {
    std::int32_t t[4];
    vst1q_s32(t, v);
    for (int l = 0; l < (n > 4 ? 4 : n); ++l) p[l] = t[l];
  }
  struct D {
    float64x2_t lo = vdupq_n_f64(0.0), hi = vdupq_n_f64(0.0);
  };
  static float64x2_t lo(T x) noexcept { return vcvt_f64_f32(vget_low_f32(x)); }
  static float64x2_t hi(T x) noexcept { return vcvt_high_f64_f32(x); }
  static void dadd(D& d, T x) noexcept {
    d.lo = vaddq_f64(d.lo, lo(x));
    d.hi = vaddq_f64(d.hi, hi(x));
  }
  static void dadd_sq(D& d, T x) noexcept {
    const float64x2_t l = lo(x), h = hi(x);
    d.lo = vfmaq_f64(d.lo, l, l);
    d.hi = vfmaq_f64(d.hi, h, h);
  }
  static void dadd_prod(D& d, T x, T y) noexcept {
    d.lo = vfmaq_f64(d.lo, lo(x), lo(y));
    d.hi = vfmaq_f64(d.hi, hi(x), hi(y));
  }
  static double dsum(const D& d) noexcept { return vaddvq_f64(vaddq_f64(d.lo, d.hi)); }

  // The Philox key of each of the 10 rounds, laid out (k0, 0, k1, 0): the same for
  // every block, so computed once per call.
  struct Keys {
    uint32x4_t k[10];
  };
  static Keys philox_keys(std::uint64_t key) noexcept {
    Keys ks;
    std::uint32_t k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
    for (int r = 0; r < 10; ++r) {
      const std::uint32_t kk[4] = {k0, 0, k1, 0};
      ks.k[r] = vld1q_u32(kk);
      k0 += kPhiloxW0;
      k1 += kPhiloxW1;
    }
    return ks;
  }

  // Dropout keep mask for the 4 words of Philox block `block` (one block per vector).
  // Kept (word >> 8 < threshold) -> scale, else 0.
  static T dropout_mask(std::uint64_t block, const Keys& ks, std::int32_t threshold, float scale) noexcept {
    uint32x4_t c = vreinterpretq_u32_u64(vcombine_u64(vcreate_u64(block), vcreate_u64(0)));
    const std::uint32_t ev[4] = {0xFFFFFFFFu, 0, 0xFFFFFFFFu, 0};
    const std::uint32_t mm[2] = {kPhiloxM0, kPhiloxM1};
    const uint32x4_t even = vld1q_u32(ev);
    const uint32x2_t mult = vld1_u32(mm);
    for (int round = 0; round < 10; ++round) {
      const uint32x2_t c02 = vget_low_u32(vuzp1q_u32(c, c));                     // c0 c2
      const uint32x4_t prod = vreinterpretq_u32_u64(vmull_u32(c02, mult));        // lo0 hi0 lo1 hi1
      const uint32x4_t r = vrev64q_u32(prod);                                     // hi0 lo0 hi1 lo1
      const uint32x4_t swapped = vextq_u32(r, r, 2);                              // hi1 lo1 hi0 lo0
      const uint32x4_t odd = vandq_u32(vrev64q_u32(c), even);                     // c1 0 c3 0
      c = veorq_u32(veorq_u32(swapped, odd), ks.k[round]);
    }
    const uint32x4_t keep = vcltq_u32(vshrq_n_u32(c, 8), vdupq_n_u32(static_cast<std::uint32_t>(threshold)));
    return vreinterpretq_f32_u32(vandq_u32(keep, vreinterpretq_u32_f32(vdupq_n_f32(scale))));
  }
};

AXONAL_RVEC_DEFINE_LOOP

}  // namespace
}  // namespace neon
}  // namespace axonal
