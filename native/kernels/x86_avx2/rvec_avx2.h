// AVX2 lanes (struct VO) for the shared reduce/optim bodies (kernels/common/*_body.inc).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace axonal {
namespace avx2 {
namespace {

#include "../common/rvec_scalar.inc"

struct VO {
  using T = __m256;
  using M = __m256;
  static constexpr int W = 8;
  static T load(const float* p) noexcept { return _mm256_loadu_ps(p); }
  static void store(float* p, T v) noexcept { _mm256_storeu_ps(p, v); }
  static T set(float v) noexcept { return _mm256_set1_ps(v); }
  static T add(T a, T b) noexcept { return _mm256_add_ps(a, b); }
  static T sub(T a, T b) noexcept { return _mm256_sub_ps(a, b); }
  static T mul(T a, T b) noexcept { return _mm256_mul_ps(a, b); }
  static T div(T a, T b) noexcept { return _mm256_div_ps(a, b); }
  static T fma(T a, T b, T c) noexcept { return _mm256_fmadd_ps(a, b, c); }
  static T sqrt(T a) noexcept { return _mm256_sqrt_ps(a); }
  static T neg(T a) noexcept { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
  static T abs(T a) noexcept { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static T maxp(T a, T b) noexcept {
    const M nan = _mm256_cmp_ps(a, b, _CMP_UNORD_Q);
    return _mm256_blendv_ps(_mm256_max_ps(a, b), _mm256_add_ps(a, b), nan);
  }
  // max_ps/min_ps return the second operand when either is NaN.
  static T clamp(T x, T lo, T hi) noexcept { return _mm256_min_ps(hi, _mm256_max_ps(lo, x)); }
  static M gt(T a, T b) noexcept { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static M eq(T a, T b) noexcept { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static M isnan(T a) noexcept { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
  static M mor(M a, M b) noexcept { return _mm256_or_ps(a, b); }
  static M mandn(M a, M b) noexcept { return _mm256_andnot_ps(b, a); }
  static T select(M m, T a, T b) noexcept { return _mm256_blendv_ps(b, a, m); }
  static bool any(M m) noexcept { return _mm256_movemask_ps(m) != 0; }
  static int first(M m) noexcept {
    const int bits = _mm256_movemask_ps(m);
    return bits ? __builtin_ctz(static_cast<unsigned>(bits)) : -1;
  }
  static void store_index(std::int32_t* p, M m, std::int32_t k) noexcept {
    __m256i* q = reinterpret_cast<__m256i*>(p);
    const __m256 old = _mm256_castsi256_ps(_mm256_loadu_si256(q));
    const __m256 val = _mm256_castsi256_ps(_mm256_set1_epi32(k));
    _mm256_storeu_si256(q, _mm256_castps_si256(_mm256_blendv_ps(old, val, m)));
  }
  // Partial and strided lanes (pooling): lanes [lo, hi) read p[l], the others are
  // `fill` and never touched (masked loads do not fault); even/odd/zip (de)interleave
  // the 2W floats a, b.
  static __m256i lane_ids() noexcept { return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7); }
  static __m256i lanes_i(int lo, int hi) noexcept {
    const __m256i id = lane_ids();
    return _mm256_andnot_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(lo), id), _mm256_cmpgt_epi32(_mm256_set1_epi32(hi), id));
  }
  static M lanes(int lo, int hi) noexcept { return _mm256_castsi256_ps(lanes_i(lo, hi)); }
  static T load_part(const float* p, int lo, int hi, float fill) noexcept {
    const __m256i m = lanes_i(lo, hi);
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
  }
  static T load_mask(const float* p, M m, float fill) noexcept {
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, _mm256_castps_si256(m)), m);
  }
  static void store_part(float* p, T v, int n) noexcept { _mm256_maskstore_ps(p, lanes_i(0, n), v); }
  static void store_mask(float* p, T v, M m) noexcept { _mm256_maskstore_ps(p, _mm256_castps_si256(m), v); }
  static __m256i strides(std::ptrdiff_t s) noexcept {
    return _mm256_mullo_epi32(lane_ids(), _mm256_set1_epi32(static_cast<int>(s)));
  }
  static T gather(const float* p, std::ptrdiff_t s) noexcept { return _mm256_i32gather_ps(p, strides(s), 4); }
  static T gather_part(const float* p, std::ptrdiff_t s, int lo, int hi, float fill) noexcept {
    return _mm256_mask_i32gather_ps(_mm256_set1_ps(fill), p, strides(s), lanes(lo, hi), 4);
  }
  // shuffle picks (a0 a2 b0 b2 | a4 a6 b4 b6); the 64-bit permute orders the pairs.
  static T even(T a, T b) noexcept {
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
  }
  static T odd(T a, T b) noexcept {
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
  }
  static void zip(T a, T b, T* lo, T* hi) noexcept {
    const T l = _mm256_unpacklo_ps(a, b), h = _mm256_unpackhi_ps(a, b);  // a0 b0 a1 b1 | a4 b4 a5 b5, a2 .. | a6 ..
    *lo = _mm256_permute2f128_ps(l, h, 0x20);
    *hi = _mm256_permute2f128_ps(l, h, 0x31);
  }
  // int32 lanes (flat indices).
  using I = __m256i;
  static I iset(std::int32_t v) noexcept { return _mm256_set1_epi32(v); }
  static I iramp(std::int32_t start, std::int32_t step) noexcept {
    return _mm256_add_epi32(_mm256_set1_epi32(start), strides(step));
  }
  static I iadd(I a, I b) noexcept { return _mm256_add_epi32(a, b); }
  static I iselect(M m, I a, I b) noexcept {
    return _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(b), _mm256_castsi256_ps(a), m));
  }
  static void istore(std::int32_t* p, I v) noexcept { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
  static I iload(const std::int32_t* p) noexcept { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static I iload_part(const std::int32_t* p, int n, std::int32_t fill) noexcept {
    const __m256i m = lanes_i(0, n);
    return _mm256_blendv_epi8(_mm256_set1_epi32(fill), _mm256_maskload_epi32(p, m), m);
  }
  static M ieq(I a, I b) noexcept { return _mm256_castsi256_ps(_mm256_cmpeq_epi32(a, b)); }
  static void istore_part(std::int32_t* p, I v, int n) noexcept { _mm256_maskstore_epi32(p, lanes_i(0, n), v); }
  struct D {
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
  };
  static __m256d lo(T x) noexcept { return _mm256_cvtps_pd(_mm256_castps256_ps128(x)); }
  static __m256d hi(T x) noexcept { return _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)); }
  static void dadd(D& d, T x) noexcept {
    d.lo = _mm256_add_pd(d.lo, lo(x));
    d.hi = _mm256_add_pd(d.hi, hi(x));
  }
  static void dadd_sq(D& d, T x) noexcept {
    const __m256d l = lo(x), h = hi(x);
    d.lo = _mm256_fmadd_pd(l, l, d.lo);
    d.hi = _mm256_fmadd_pd(h, h, d.hi);
  }
  static void dadd_prod(D& d, T x, T y) noexcept {
    d.lo = _mm256_fmadd_pd(lo(x), lo(y), d.lo);
    d.hi = _mm256_fmadd_pd(hi(x), hi(y), d.hi);
  }
  static double dsum(const D& d) noexcept {
    const __m256d s = _mm256_add_pd(d.lo, d.hi);
    const __m128d t = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
    return _mm_cvtsd_f64(_mm_add_sd(t, _mm_unpackhi_pd(t, t)));
  }

  // The Philox key of each of the 10 rounds, laid out (k0, 0, k1, 0) per 128-bit lane:
  // the same for every block, so computed once per call.
  struct Keys {
    __m256i k[10];
  };
  static Keys philox_keys(std::uint64_t key) noexcept {
    Keys ks;
    std::uint32_t k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
    for (int r = 0; r < 10; ++r) {
      const int a = static_cast<int>(k0), b = static_cast<int>(k1);
      ks.k[r] = _mm256_setr_epi32(a, 0, b, 0, a, 0, b, 0);
      k0 += kPhiloxW0;
      k1 += kPhiloxW1;
    }
    return ks;
  }

  // Dropout keep mask for the 8 words of Philox blocks block, block+1 (stream order;
  // each 128-bit lane runs one block). Kept (word >> 8 < threshold) -> scale, else 0.
  static T dropout_mask(std::uint64_t block, const Keys& ks, std::int32_t threshold, float scale) noexcept {
    __m256i c = _mm256_set_epi64x(0, static_cast<long long>(block + 1), 0, static_cast<long long>(block));
    const int m0 = static_cast<int>(kPhiloxM0), m1 = static_cast<int>(kPhiloxM1);
    const __m256i mult = _mm256_setr_epi32(m0, 0, m1, 0, m0, 0, m1, 0);
    const __m256i even = _mm256_setr_epi32(-1, 0, -1, 0, -1, 0, -1, 0);
    for (int round = 0; round < 10; ++round) {
      const __m256i prod = _mm256_mul_epu32(c, mult);                             // lo0 hi0 lo1 hi1
      const __m256i swapped = _mm256_shuffle_epi32(prod, 0x1B);                   // hi1 lo1 hi0 lo0
      const __m256i odd = _mm256_and_si256(_mm256_shuffle_epi32(c, 0xB1), even);  // c1 0 c3 0
      c = _mm256_xor_si256(_mm256_xor_si256(swapped, odd), ks.k[round]);
    }
    const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(threshold), _mm256_srli_epi32(c, 8));
    return _mm256_and_ps(_mm256_castsi256_ps(keep), _mm256_set1_ps(scale));
  }
};

AXONAL_RVEC_DEFINE_LOOP

}  // namespace
}  // namespace avx2
}  // namespace axonal
