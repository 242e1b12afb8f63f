// Vector math for AVX-512 (16 floats per vector). Included only by this ISA's
// kernel files; every function is `static inline` in axonal::avx512, so no other
// ISA's code can ever link against these copies.
//
// Use from another AVX-512 kernel file (e.g. a fused GEMM epilogue):
//   #include "vmath_avx512.h"          // inside kernels/x86_avx512/, at file scope
//   ... in namespace axonal::avx512:
//   vf v = v_load(c);  v = erf_f32(v);  v_store(c, v);
// Functions (same names and semantics in vmath_avx2.h, vmath_neon.h, vmath_scalar.h):
//   exp_f32, expm1_f32, log_f32, log1p_f32, tanh_f32, erf_f32, sigmoid_f32, softplus_f32
// (accuracy table in kernels/common/vmath_impl.inc). The header also defines the
// names vf, vm, kVecWidth and v_* in axonal::avx512; a file including it should not
// define its own symbols with those names.
//
// The primitives below (v_* on `vf`, masks `vm`) are what the shared math in
// kernels/common/vmath_impl.inc and the kernel bodies in kernels/common/*_impl.inc
// are written in; the same names exist in every ISA header (scalar, avx2, avx512,
// neon). The math functions themselves (exp_f32, expm1_f32, log_f32, log1p_f32,
// tanh_f32, erf_f32, sigmoid_f32) and their accuracy are documented in
// vmath_impl.inc.
#pragma once

// GCC 12's AVX-512 intrinsic headers seed masked builtins with a self-initialized
// `__Y = __Y` (_mm512_undefined_*), which trips -W(maybe-)uninitialized wherever
// they inline into our code. The warning is about the header, not our values.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <immintrin.h>

#include <cstdint>

namespace axonal {
namespace avx512 {

typedef __m512 vf;     // 16 x float32
typedef __mmask16 vm;  // one bit per lane
static constexpr int kVecWidth = 16;

static inline vf v_load(const float* p) { return _mm512_loadu_ps(p); }
static inline void v_store(float* p, vf v) { _mm512_storeu_ps(p, v); }
static inline vf v_set(float a) { return _mm512_set1_ps(a); }
static inline vf v_zero() { return _mm512_setzero_ps(); }
static inline vf v_add(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf v_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf v_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf v_div(vf a, vf b) { return _mm512_div_ps(a, b); }
// 1/a for finite, non-zero, normal a (rcp14 + one Newton step: relative error
// ~2^-27, within 1 ULP of 1/a; the divider is the bottleneck of the transcendental
// kernels, this runs on the FMA ports). Callers guarantee the domain.
static inline vf v_rcp(vf a) {
  const __m512 r = _mm512_rcp14_ps(a);
  return _mm512_fmadd_ps(r, _mm512_fnmadd_ps(a, r, _mm512_set1_ps(1.0f)), r);
}
// a / b for b in v_rcp's domain, on the FMA ports (one extra rounding).
static inline vf v_div_fast(vf a, vf b) { return _mm512_mul_ps(a, v_rcp(b)); }
// a * b + c, fused (one rounding).
static inline vf v_fma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
// Lane-wise min/max: which operand a NaN lane yields is ISA-specific; callers that
// care restore NaN explicitly.
static inline vf v_min(vf a, vf b) { return _mm512_min_ps(a, b); }
static inline vf v_max(vf a, vf b) { return _mm512_max_ps(a, b); }
static inline vf v_abs(vf a) { return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_set1_epi32(0x7fffffff))); }
static inline vf v_neg(vf a) { return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a), _mm512_set1_epi32(INT32_MIN))); }
// Round to nearest, ties to even.
static inline vf v_round(vf a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
static inline vm v_lt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline vm v_le(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
static inline vm v_gt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
static inline vm v_ge(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
static inline vm v_eq(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
static inline vm v_isnan(vf a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
static inline vm m_and(vm a, vm b) { return static_cast<vm>(a & b); }
static inline vm m_or(vm a, vm b) { return static_cast<vm>(a | b); }
static inline vm m_not(vm a) { return static_cast<vm>(~a); }
// m ? a : b, lane-wise.
static inline vf v_sel(vm m, vf a, vf b) { return _mm512_mask_blend_ps(m, b, a); }
// 2^n for integral n in [-126, 127] (built from the exponent bits).
static inline vf v_pow2n(vf n) {
  const __m512i i = _mm512_cvtps_epi32(n);
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(i, _mm512_set1_epi32(127)), 23));
}
// p * 2^n for integral n in [-150, 130], rounded once (denormal results kept).
static inline vf v_ldexp(vf p, vf n) { return _mm512_scalef_ps(p, n); }
// For normal positive x: mantissa in [0.5, 1) and *e = exponent with x = m * 2^e.
static inline vf v_frexp(vf x, vf* e) {
  *e = _mm512_add_ps(_mm512_getexp_ps(x), _mm512_set1_ps(1.0f));
  return _mm512_getmant_ps(x, _MM_MANT_NORM_p5_1, _MM_MANT_SIGN_zero);
}
static inline float v_reduce_add(vf a) {
  __m256 h = _mm256_add_ps(_mm512_castps512_ps256(a), _mm512_extractf32x8_ps(a, 1));
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
static inline float v_reduce_max(vf a) {
  __m256 h = _mm256_max_ps(_mm512_castps512_ps256(a), _mm512_extractf32x8_ps(a, 1));
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
// Loads/stores of the first n < kVecWidth lanes (other lanes read as 0).
static inline vf v_load_n(const float* p, int n) { return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1), p); }
static inline void v_store_n(float* p, vf v, int n) { _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1), v); }

#include "../common/vmath_impl.inc"

}  // namespace avx512
}  // namespace axonal
