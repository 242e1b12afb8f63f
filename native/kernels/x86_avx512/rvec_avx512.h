// AVX-512 lanes (struct VO) for the shared reduce/optim bodies (kernels/common/*_body.inc).
#pragma once

// GCC 12 reports the _mm512_undefined_* pass-through inside the unmasked intrinsics
// (sqrt, max, cvtps_pd, extract) as uninitialized once inlined into generic lambdas:
// a known false positive. Silenced for the kernel files that include this header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace axonal {
namespace avx512 {
namespace {

#include "../common/rvec_scalar.inc"

struct VO {
  using T = __m512;
  using M = __mmask16;
  static constexpr int W = 16;
  static T load(const float* p) noexcept { return _mm512_loadu_ps(p); }
  static void store(float* p, T v) noexcept { _mm512_storeu_ps(p, v); }
  static T set(float v) noexcept { return _mm512_set1_ps(v); }
  static T add(T a, T b) noexcept { return _mm512_add_ps(a, b); }
  static T sub(T a, T b) noexcept { return _mm512_sub_ps(a, b); }
  static T mul(T a, T b) noexcept { return _mm512_mul_ps(a, b); }
  static T div(T a, T b) noexcept { return _mm512_div_ps(a, b); }
  static T fma(T a, T b, T c) noexcept { return _mm512_fmadd_ps(a, b, c); }
  static T sqrt(T a) noexcept { return _mm512_sqrt_ps(a); }
  static T neg(T a) noexcept { return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a), _mm512_set1_epi32(INT32_MIN))); }
  static T abs(T a) noexcept { return _mm512_abs_ps(a); }
  static T maxp(T a, T b) noexcept {
    const M nan = _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q);
    return _mm512_mask_blend_ps(nan, _mm512_max_ps(a, b), _mm512_add_ps(a, b));
  }
  // max_ps/min_ps return the second operand when either is NaN.
  static T clamp(T x, T lo, T hi) noexcept { return _mm512_min_ps(hi, _mm512_max_ps(lo, x)); }
  static M gt(T a, T b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static M eq(T a, T b) noexcept { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static M isnan(T a) noexcept { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
  static M mor(M a, M b) noexcept { return static_cast<M>(a | b); }
  static M mandn(M a, M b) noexcept { return static_cast<M>(a & ~b); }
  static T select(M m, T a, T b) noexcept { return _mm512_mask_blend_ps(m, b, a); }
  static bool any(M m) noexcept { return m != 0; }
  static int first(M m) noexcept { return m ? __builtin_ctz(m) : -1; }
  static void store_index(std::int32_t* p, M m, std::int32_t k) noexcept {
    _mm512_mask_storeu_epi32(p, m, _mm512_set1_epi32(k));
  }
  // Partial and strided lanes (pooling): lanes [lo, hi) read p[l], the others are
  // `fill` and never touched (masked loads do not fault); even/odd/zip (de)interleave
  // the 2W floats a, b.
  static M lanes(int lo, int hi) noexcept {
    lo = lo < 0 ? 0 : lo > W ? W : lo;
    hi = hi < 0 ? 0 : hi > W ? W : hi;
    return static_cast<M>(((1u << hi) - 1u) & ~((1u << lo) - 1u));
  }
  static T load_part(const float* p, int lo, int hi, float fill) noexcept {
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), lanes(lo, hi), p);
  }
  static T load_mask(const float* p, M m, float fill) noexcept { return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), m, p); }
  static void store_part(float* p, T v, int n) noexcept { _mm512_mask_storeu_ps(p, lanes(0, n), v); }
  static void store_mask(float* p, T v, M m) noexcept { _mm512_mask_storeu_ps(p, m, v); }
  static __m512i strides(std::ptrdiff_t s) noexcept {
    return _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                              _mm512_set1_epi32(static_cast<int>(s)));
  }
  static T gather(const float* p, std::ptrdiff_t s) noexcept { return _mm512_i32gather_ps(strides(s), p, 4); }
  static T gather_part(const float* p, std::ptrdiff_t s, int lo, int hi, float fill) noexcept {
    return _mm512_mask_i32gather_ps(_mm512_set1_ps(fill), lanes(lo, hi), strides(s), p, 4);
  }
  static T even(T a, T b) noexcept {
    return _mm512_permutex2var_ps(a, _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), b);
  }
  static T odd(T a, T b) noexcept {
    return _mm512_permutex2var_ps(a, _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), b);
  }
  static void zip(T a, T b, T* lo, T* hi) noexcept {
    *lo = _mm512_permutex2var_ps(a, _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), b);
    *hi = _mm512_permutex2var_ps(a, _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), b);
  }
  // int32 lanes (flat indices).
  using I = __m512i;
  static I iset(std::int32_t v) noexcept { return _mm512_set1_epi32(v); }
  static I iramp(std::int32_t start, std::int32_t step) noexcept {
    return _mm512_add_epi32(_mm512_set1_epi32(start), strides(step));
  }
  static I iadd(I a, I b) noexcept { return _mm512_add_epi32(a, b); }
  static I iselect(M m, I a, I b) noexcept { return _mm512_mask_blend_epi32(m, b, a); }
  static void istore(std::int32_t* p, I v) noexcept { _mm512_storeu_si512(p, v); }
  static I iload(const std::int32_t* p) noexcept { return _mm512_loadu_si512(p); }
  static I iload_part(const std::int32_t* p, int n, std::int32_t fill) noexcept {
    return _mm512_mask_loadu_epi32(_mm512_set1_epi32(fill), lanes(0, n), p);
  }
  static M ieq(I a, I b) noexcept { return _mm512_cmpeq_epi32_mask(a, b); }
  static void istore_part(std::int32_t* p, I v, int n) noexcept { _mm512_mask_storeu_epi32(p, lanes(0, n), v); }
  struct D {
    __m512d lo = _mm512_setzero_pd(), hi = _mm512_setzero_pd();
  };
  static __m512d lo(T x) noexcept { return _mm512_cvtps_pd(_mm512_castps512_ps256(x)); }
  static __m512d hi(T x) noexcept { return _mm512_cvtps_pd(_mm512_extractf32x8_ps(x, 1)); }
  static void dadd(D& d, T x) noexcept {
    d.lo = _mm512_add_pd(d.lo, lo(x));
    d.hi = _mm512_add_pd(d.hi, hi(x));
  }
  static void dadd_sq(D& d, T x) noexcept {
    const __m512d l = lo(x), h = hi(x);
    d.lo = _mm512_fmadd_pd(l, l, d.lo);
    d.hi = _mm512_fmadd_pd(h, h, d.hi);
  }
  static void dadd_prod(D& d, T x, T y) noexcept {
    d.lo = _mm512_fmadd_pd(lo(x), lo(y), d.lo);
    d.hi = _mm512_fmadd_pd(hi(x), hi(y), d.hi);
  }
  static double dsum(const D& d) noexcept { return _mm512_reduce_add_pd(_mm512_add_pd(d.lo, d.hi)); }

  // The Philox key of each of the 10 rounds, laid out (k0, 0, k1, 0) per 128-bit lane:
  // the same for every block, so computed once per call.
  struct Keys {
    __m512i k[10];
  };
  static Keys philox_keys(std::uint64_t key) noexcept {
    Keys ks;
    std::uint32_t k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
    for (int r = 0; r < 10; ++r) {
      ks.k[r] = _mm512_set4_epi32(0, static_cast<int>(k1), 0, static_cast<int>(k0));
      k0 += kPhiloxW0;
      k1 += kPhiloxW1;
    }
    return ks;
  }

  // Dropout keep mask for the 16 words of Philox blocks block..block+3, in stream
  // order: each 128-bit lane runs one block (c0, c1, c2, c3) through the 10 rounds.
  // Kept (word >> 8 < threshold) -> scale, else 0.
  static T dropout_mask(std::uint64_t block, const Keys& ks, std::int32_t threshold, float scale) noexcept {
    __m512i c = _mm512_set_epi64(0, static_cast<long long>(block + 3), 0, static_cast<long long>(block + 2), 0,
                                 static_cast<long long>(block + 1), 0, static_cast<long long>(block));
    const __m512i mult = _mm512_set4_epi32(0, static_cast<int>(kPhiloxM1), 0, static_cast<int>(kPhiloxM0));
    for (int round = 0; round < 10; ++round) {
      const __m512i prod = _mm512_mul_epu32(c, mult);                                        // lo0 hi0 lo1 hi1
      const __m512i swapped = _mm512_shuffle_epi32(prod, static_cast<_MM_PERM_ENUM>(0x1B));  // hi1 lo1 hi0 lo0
      const __m512i cs = _mm512_shuffle_epi32(c, static_cast<_MM_PERM_ENUM>(0xB1));          // c1 c0 c3 c2
      // lanes 0, 2 of each block: hi ^ c_odd ^ key; lanes 1, 3: lo (the key is 0 there)
      c = _mm512_xor_si512(_mm512_mask_xor_epi32(swapped, 0x5555, swapped, cs), ks.k[round]);
    }
    const __mmask16 keep = _mm512_cmplt_epi32_mask(_mm512_srli_epi32(c, 8), _mm512_set1_epi32(threshold));
    return _mm512_maskz_mov_ps(keep, _mm512_set1_ps(scale));
  }
};

AXONAL_RVEC_DEFINE_LOOP

}  // namespace
}  // namespace avx512
}  // namespace axonal
