// Vector math for the scalar (baseline) ISA: a "vector" is one float, so this is
// the readable reference of the same algorithms the SIMD headers run. Included
// only by this ISA's kernel files; every function is `static inline` in
// axonal::scalar. The math functions and their accuracy are documented in
// kernels/common/vmath_impl.inc.
#pragma once

#include <cstdint>
#include <cstring>

namespace axonal {
namespace scalar {

typedef float vf;
typedef bool vm;
static constexpr int kVecWidth = 1;

static inline vf v_load(const float* p) { return *p; }
static inline void v_store(float* p, vf v) { *p = v; }
static inline vf v_set(float a) { return a; }
static inline vf v_zero() { return 0.0f; }
static inline vf v_add(vf a, vf b) { return a + b; }
static inline vf v_sub(vf a, vf b) { return a - b; }
static inline vf v_mul(vf a, vf b) { return a * b; }
static inline vf v_div(vf a, vf b) { return a / b; }
// 1/a (an exact division).
static inline vf v_rcp(vf a) { return 1.0f / a; }
// a / b (exact here; AVX-512 multiplies by v_rcp(b)).
static inline vf v_div_fast(vf a, vf b) { return a / b; }
// Not fused on the baseline target (two roundings); the SIMD levels fuse.
static inline vf v_fma(vf a, vf b, vf c) { return a * b + c; }
static inline vf v_min(vf a, vf b) { return a < b ? a : b; }
static inline vf v_max(vf a, vf b) { return a > b ? a : b; }
static inline vf v_abs(vf a) {
  std::uint32_t u;
  std::memcpy(&u, &a, 4);
  u &= 0x7fffffffu;
  std::memcpy(&a, &u, 4);
  return a;
}
static inline vf v_neg(vf a) { return -a; }
static inline vf v_round(vf a) {
  // Ties to even for |a| < 2^23 (the 2^23 trick); larger values are integral already.
  const float big = 8388608.0f;
  const float m = v_abs(a);
  if (!(m < big)) return a;
  float r = (m + big) - big;
  return a < 0.0f ? -r : r;
}
static inline vm v_lt(vf a, vf b) { return a < b; }
static inline vm v_le(vf a, vf b) { return a <= b; }
static inline vm v_gt(vf a, vf b) { return a > b; }
static inline vm v_ge(vf a, vf b) { return a >= b; }
static inline vm v_eq(vf a, vf b) { return a == b; }
static inline vm v_isnan(vf a) { return a != a; }
static inline vm m_and(vm a, vm b) { return a && b; }
static inline vm m_or(vm a, vm b) { return a || b; }
static inline vm m_not(vm a) { return !a; }
static inline vf v_sel(vm m, vf a, vf b) { return m ? a : b; }
static inline vf v_pow2n(vf n) {
  const std::int32_t i = static_cast<std::int32_t>(n);
  const std::uint32_t u = static_cast<std::uint32_t>(i + 127) << 23;
  float r;
  std::memcpy(&r, &u, 4);
  return r;
}
// p * 2^n for integral n in [-150, 130], rounded once (denormal results kept):
// 2^n applied in two halves, each a normal power of two.
static inline vf v_ldexp(vf p, vf n) {
  const vf n1 = v_round(v_mul(n, v_set(0.5f)));
  return v_mul(v_mul(p, v_pow2n(n1)), v_pow2n(v_sub(n, n1)));
}
static inline vf v_frexp(vf x, vf* e) {
  std::uint32_t u;
  std::memcpy(&u, &x, 4);
  *e = static_cast<float>(static_cast<std::int32_t>((u >> 23) & 0xffu) - 126);
  u = (u & 0x007fffffu) | 0x3f000000u;
  float m;
  std::memcpy(&m, &u, 4);
  return m;
}
static inline float v_reduce_add(vf a) { return a; }
static inline float v_reduce_max(vf a) { return a; }
static inline vf v_load_n(const float* p, int n) { return n > 0 ? *p : 0.0f; }
static inline void v_store_n(float* p, vf v, int n) {
  if (n > 0) *p = v;
}

#include "../common/vmath_impl.inc"

}  // namespace scalar
}  // namespace axonal
