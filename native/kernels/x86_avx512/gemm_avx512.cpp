// AVX-512 SGEMM micro-kernel and config (compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl).
// sgemm_ukernel_MRxNR: NR/16 zmm columns x MR rows of accumulators stay in registers for
// the whole KC loop; each k step loads NR/16 vectors of packed B and broadcasts MR
// values of packed A into FMAs. Full tiles store with the fused epilogue in registers;
// clipped tiles (M or N edge) go through a stack tile and the shared epilogue
// (sgemm_common.inl: scalar, GELU on masked vectors of each C row).
#include <immintrin.h>

#include <cstddef>
#include <cstring>

#include "axonal/kernels/gemm_kernels.h"
#include "kernels/x86_avx512/vmath_avx512.h"

namespace axonal {
namespace avx512 {
namespace {

#include "kernels/common/gelu_v.inc"
#include "kernels/sgemm_common.inl"
#include "kernels/x86_avx512/gemv_avx512.inl"

// The full-tile epilogue (C = act(alpha T + beta C + bias) from the registers), with
// the activation a functor the caller picks once per tile, outside the loops. Always
// inlined: the accumulators must stay in registers, not pass through memory.
template <int MR, int NV, class F>
__attribute__((always_inline)) inline void store_tile_full(const __m512 (&acc)[MR][NV], float* c, std::ptrdiff_t ldc,
                                                           const GemmEpilogue& ep, F act) noexcept {
  const __m512 alpha = _mm512_set1_ps(ep.alpha), beta = _mm512_set1_ps(ep.beta);
  for (int i = 0; i < MR; ++i) {
    float* cr = c + i * ldc;
    for (int v = 0; v < NV; ++v) {
      __m512 r = _mm512_mul_ps(alpha, acc[i][v]);
      if (ep.beta != 0.0f) r = _mm512_fmadd_ps(beta, _mm512_loadu_ps(cr + v * 16), r);
      if (ep.bias != nullptr) r = _mm512_add_ps(r, _mm512_loadu_ps(ep.bias + v * 16));
      _mm512_storeu_ps(cr + v * 16, act(r));
    }
  }
}

template <int MR, int NV>
__attribute__((always_inline)) inline void store_tile_full(const __m512 (&acc)[MR][NV], float* c, std::ptrdiff_t ldc,
                                                           const GemmEpilogue& ep) noexcept {
  if (ep.activation == 1) {  // relu: max(0, v) returns v when v is NaN
    store_tile_full(acc, c, ldc, ep, [](__m512 v) { return _mm512_max_ps(_mm512_setzero_ps(), v); });
    return;
  }
  store_tile_full(acc, c, ldc, ep, [](__m512 v) { return v; });
  if (ep.activation >= 2) gelu_tile_rows<MR, NV * 16>(c, ldc, ep.activation);
}

// kStridedA: A read in place, element (i, p) at a[i * rs_a + p * cs_a] (all MR rows
// valid); otherwise a packed micro-panel (rs_a = 1, cs_a = MR).
template <int MR, int NV, bool kStridedA = false>
void sgemm_ukernel(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                   std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep, std::ptrdiff_t rs_a = 1,
                   std::ptrdiff_t cs_a = MR) noexcept {
  constexpr int NR = NV * 16;
  __m512 acc[MR][NV];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  // Pull the C tile towards L1 while the K loop runs (it is read or written at the end).
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + v * 16), _MM_HINT_T0);
  }
  // The driver never calls with kc = 0; saying so keeps the accumulators in registers
  // (a zero-trip path would give them a stack home for the epilogue to read back).
  if (kc < 1) __builtin_unreachable();
#pragma GCC unroll 4
  for (std::ptrdiff_t p = 0; p < kc; ++p) {
    __m512 bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_ps(b + v * 16);
    for (int i = 0; i < MR; ++i) {
      const __m512 av = _mm512_set1_ps(kStridedA ? a[i * rs_a] : a[i]);
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(av, bv[v], acc[i][v]);
    }
    a += kStridedA ? cs_a : MR;
    b += ldb;
  }
  if (m_eff == MR && n_eff == NR && !ep.transposed) {
    store_tile_full(acc, c, ldc, ep);
    return;
  }
  alignas(64) float t[MR * NR];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) _mm512_store_ps(t + i * NR + v * 16, acc[i][v]);
  }
  store_tile_edge<NR>(t, c, ldc, m_eff, n_eff, ep);
}

// The main tile, 12 x 32: measured (micro-kernel alone, noisy shared machine) against
// 8 x 48, 6 x 64 and 14 x 32; none was clearly faster, and 12 x 32 streams the least B
// per FMA in this loop order.
constexpr int kMR = 12;
constexpr int kNV = 2;

void sgemm_ukernel_12x32(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                         std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  sgemm_ukernel<kMR, kNV>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
}
void sgemm_ukernel_12x32_strided_a(std::ptrdiff_t kc, const float* a, std::ptrdiff_t rs_a, std::ptrdiff_t cs_a,
                                   const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                                   std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  sgemm_ukernel<kMR, kNV, true>(kc, a, b, ldb, c, ldc, kMR, n_eff, ep, rs_a, cs_a);
}
void sgemm_pack_a_12(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                     float* dst) noexcept {
  pack_a_generic<kMR>(trans, mc, kc, a, lda, dst);
}
void sgemm_pack_b_32(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                     float* dst) noexcept {
  pack_b_generic<kNV * 16>(trans, kc, nc, b, ldb, dst);
}

constexpr int kNarrowMR = 16;

void sgemm_ukernel_16x16(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c,
                          std::ptrdiff_t ldc, std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  sgemm_ukernel<kNarrowMR, 1>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
}
void sgemm_ukernel_16x16_strided_a(std::ptrdiff_t kc, const float* a, std::ptrdiff_t rs_a, std::ptrdiff_t cs_a,
                                    const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                                    std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  sgemm_ukernel<kNarrowMR, 1, true>(kc, a, b, ldb, c, ldc, kNarrowMR, n_eff, ep, rs_a, cs_a);
}
void sgemm_pack_a_16(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                         float* dst) noexcept {
  pack_a_generic<kNarrowMR>(trans, mc, kc, a, lda, dst);
}
void sgemm_pack_b_16(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                     float* dst) noexcept {
  pack_b_generic<16>(trans, kc, nc, b, ldb, dst);
}

// For n <= 16 (e.g. a 10-class output layer): one zmm column, 16 rows.
const GemmKernels kNarrow = {"sgemm_ukernel_16x16 (avx512)", kNarrowMR, 16, 2016, 384, 512,
                             &sgemm_ukernel_16x16, &sgemm_pack_a_16, &sgemm_pack_b_16, nullptr,
                             &sgemm_ukernel_16x16_strided_a, nullptr};

void sgemm_ukernel_8x32(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c,
                        std::ptrdiff_t ldc, std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  sgemm_ukernel<8, 2>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
}
void sgemm_ukernel_8x32_strided_a(std::ptrdiff_t kc, const float* a, std::ptrdiff_t rs_a, std::ptrdiff_t cs_a,
                                  const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc, std::ptrdiff_t n_eff,
                                  const GemmEpilogue& ep) noexcept {
  sgemm_ukernel<8, 2, true>(kc, a, b, ldb, c, ldc, 8, n_eff, ep, rs_a, cs_a);
}
void sgemm_pack_a_8(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                    float* dst) noexcept {
  pack_a_generic<8>(trans, mc, kc, a, lda, dst);
}

// Tiny products: 16 zmm accumulators (still two per FMA pipe x latency), 8-row panels.
const GemmKernels kSmall = {"sgemm_ukernel_8x32 (avx512)", 8, 32, 2016, 384, 512,
                            &sgemm_ukernel_8x32, &sgemm_pack_a_8, &sgemm_pack_b_32, nullptr,
                            &sgemm_ukernel_8x32_strided_a, nullptr};

// 24 of 32 zmm hold the tile. Blocking (BLIS skx mirrored for row-major C): A micro-panel
// 12 x 384 (18 KiB) in L1, B block 384 x 512 (768 KiB) in L2, A block 2016 x 384 (3 MiB) in L3.
const GemmKernels kTable = {"sgemm_ukernel_12x32 (avx512)", kMR, kNV * 16, 2016, 384, 512,
                            &sgemm_ukernel_12x32, &sgemm_pack_a_12, &sgemm_pack_b_32, &kNarrow,
                            &sgemm_ukernel_12x32_strided_a, &kSmall, &sgemv_rows, &sgemv_cols};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace avx512
}  // namespace axonal
