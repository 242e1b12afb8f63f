// Vector math for NEON (AArch64, 4 floats per vector). Included only by this ISA's
// kernel files; every function is `static inline` in axonal::neon. Same primitive
// and function names as the other ISA headers; the math functions and their
// accuracy are documented in kernels/common/vmath_impl.inc.
#pragma once

#include <arm_neon.h>

#include <cstdint>

namespace axonal {
namespace neon {

typedef float32x4_t vf;
typedef uint32x4_t vm;
static constexpr int kVecWidth = 4;

static inline vf v_load(const float* p) { return vld1q_f32(p); }
static inline void v_store(float* p, vf v) { vst1q_f32(p, v); }
static inline vf v_set(float a) { return vdupq_n_f32(a); }
static inline vf v_zero() { return vdupq_n_f32(0.0f); }
static inline vf v_add(vf a, vf b) { return vaddq_f32(a, b); }
static inline vf v_sub(vf a, vf b) { return vsubq_f32(a, b); }
static inline vf v_mul(vf a, vf b) { return vmulq_f32(a, b); }
static inline vf v_div(vf a, vf b) { return vdivq_f32(a, b); }
// 1/a (an exact division).
static inline vf v_rcp(vf a) { return vdivq_f32(vdupq_n_f32(1.0f), a); }
// a / b (exact here; AVX-512 multiplies by v_rcp(b)).
static inline vf v_div_fast(vf a, vf b) { return vdivq_f32(a, b); }
static inline vf v_fma(vf a, vf b, vf c) { return vfmaq_f32(c, a, b); }
static inline vf v_min(vf a, vf b) { return vminq_f32(a, b); }
static inline vf v_max(vf a, vf b) { return vmaxq_f32(a, b); }
static inline vf v_abs(vf a) { return vabsq_f32(a); }
static inline vf v_neg(vf a) { return vnegq_f32(a); }
static inline vf v_round(vf a) { return vrndnq_f32(a); }
static inline vm v_lt(vf a, vf b) { return vcltq_f32(a, b); }
static inline vm v_le(vf a, vf b) { return vcleq_f32(a, b); }
static inline vm v_gt(vf a, vf b) { return vcgtq_f32(a, b); }
static inline vm v_ge(vf a, vf b) { return vcgeq_f32(a, b); }
static inline vm v_eq(vf a, vf b) { return vceqq_f32(a, b); }
static inline vm v_isnan(vf a) { return vmvnq_u32(vceqq_f32(a, a)); }
static inline vm m_and(vm a, vm b) { return vandq_u32(a, b); }
static inline vm m_or(vm a, vm b) { return vorrq_u32(a, b); }
static inline vm m_not(vm a) { return vmvnq_u32(a); }
static inline vf v_sel(vm m, vf a, vf b) { return vbslq_f32(m, a, b); }
static inline vf v_pow2n(vf n) {
  const int32x4_t i = vcvtnq_s32_f32(n);
  return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(i, vdupq_n_s32(127)), 23));
}
// p * 2^n for integral n in [-150, 130], rounded once (denormal results kept):
// 2^n applied in two halves, each a normal power of two.
static inline vf v_ldexp(vf p, vf n) {
  const vf n1 = v_round(v_mul(n, v_set(0.5f)));
  return v_mul(v_mul(p, v_pow2n(n1)), v_pow2n(v_sub(n, n1)));
}
static inline vf v_frexp(vf x, vf* e) {
  const uint32x4_t bits = vreinterpretq_u32_f32(x);
  const int32x4_t ex = vsubq_s32(vreinterpretq_s32_u32(vandq_u32(vshrq_n_u32(bits, 23), vdupq_n_u32(0xff))), vdupq_n_s32(126));
  *e = vcvtq_f32_s32(ex);
  return vreinterpretq_f32_u32(vorrq_u32(vandq_u32(bits, vdupq_n_u32(0x007fffff)), vdupq_n_u32(0x3f000000)));
}
static inline float v_reduce_add(vf a) { return vaddvq_f32(a); }
static inline float v_reduce_max(vf a) { return vmaxvq_f32(a); }
static inline vf v_load_n(const float* p, int n) {
  float buf[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int i = 0; i < n; ++i) buf[i] = p[i];
  return vld1q_f32(buf);
}
static inline void v_store_n(float* p, vf v, int n) {
  float buf[4];
  vst1q_f32(buf, v);
  for (int i = 0; i < n; ++i) p[i] = buf[i];
}

#include "../common/vmath_impl.inc"

}  // namespace neon
}  // namespace axonal
