// AVX2+FMA SGEMM micro-kernel and config (compiled with -mavx2 -mfma -mf16c).
// sgemm_ukernel_6x16: 12 of 16 ymm hold the tile (BLIS haswell); each k step loads
// two vectors of packed B and broadcasts six values of packed A. Full tiles store
// with the fused epilogue in registers; clipped tiles run a kernel of their own size
// (sgemm_ukernel_clipped) and store through a stack tile where columns are missing.
#include <immintrin.h>

#include <cstddef>
#include <cstring>

#include "axonal/kernels/gemm_kernels.h"
#include "kernels/x86_avx2/vmath_avx2.h"

namespace axonal {
namespace avx2 {
namespace {

#include "kernels/common/gelu_v.inc"
#include "kernels/sgemm_common.inl"
#include "kernels/x86_avx2/gemv_avx2.inl"

// The full-tile epilogue (C = act(alpha T + beta C + bias) from the registers), with
// the activation a functor the caller picks once per tile, outside the loops. Always
// inlined: the accumulators must stay in registers, not pass through memory.
template <int MR, int NV, class F>
__attribute__((always_inline)) inline void store_tile_full(const __m256 (&acc)[MR][NV], float* c, std::ptrdiff_t ldc,
                                                           const GemmEpilogue& ep, F act, std::ptrdiff_t rows) noexcept {
  const __m256 alpha = _mm256_set1_ps(ep.alpha), beta = _mm256_set1_ps(ep.beta);
  for (int i = 0; i < MR; ++i) {
    if (i >= rows) break;
    float* cr = c + i * ldc;
    for (int v = 0; v < NV; ++v) {
      __m256 r = _mm256_mul_ps(alpha, acc[i][v]);
      if (ep.beta != 0.0f) r = _mm256_fmadd_ps(beta, _mm256_loadu_ps(cr + v * 8), r);
      if (ep.bias != nullptr) r = _mm256_add_ps(r, _mm256_loadu_ps(ep.bias + v * 8));
      _mm256_storeu_ps(cr + v * 8, act(r));
    }
  }
}

// The first `rows` rows of a tile whose columns are all valid (rows < MR: the ragged last
// row panel, e.g. 16 = 6 + 6 + 4 rows for a LeNet conv's 16 channels, where the lane by
// lane edge path was a thirtieth of the forward). GELU on short tiles takes the edge path.
template <int MR, int NV>
__attribute__((always_inline)) inline void store_tile_full(const __m256 (&acc)[MR][NV], float* c, std::ptrdiff_t ldc,
                                                           const GemmEpilogue& ep, std::ptrdiff_t rows = MR) noexcept {
  if (ep.activation == 1) {  // relu: max(0, v) returns v when v is NaN
    store_tile_full(acc, c, ldc, ep, [](__m256 v) { return _mm256_max_ps(_mm256_setzero_ps(), v); }, rows);
    return;
  }
  store_tile_full(acc, c, ldc, ep, [](__m256 v) { return v; }, rows);
  if (ep.activation >= 2) gelu_tile_rows<MR, NV * 8>(c, ldc, ep.activation);
}

// kStridedA: A read in place, element (i, p) at a[i * rs_a + p * cs_a] (all MR rows
// valid); otherwise a packed micro-panel (rs_a = 1, cs_a = kPanelMR). The kernel computes
// an MR x NV*8 tile of panels packed kPanelMR x kPanelNR (smaller for a clipped tile).
template <int MR, int NV, bool kStridedA = false, bool kPrefetchB = true, int kPanelMR = MR, int kPanelNR = NV * 8>
void sgemm_ukernel(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                   std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep, std::ptrdiff_t rs_a = 1,
                   std::ptrdiff_t cs_a = kPanelMR) noexcept {
  constexpr int NR = NV * 8;
  __m256 acc[MR][NV];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  }
  // The driver never calls with kc = 0; saying so keeps the accumulators in registers
  // (a zero-trip path gives them a stack home, and GCC then stores all twelve to it on
  // every k step: a third of the FMA rate on Zen 3).
  if (kc < 1) __builtin_unreachable();
  // Four k steps per iteration; a packed B (ldb = NR: kPrefetchB) also prefetches its line
  // four steps ahead, as MLAS's FMA3 kernel does: when the block streams from L2 or beyond on a
  // shared machine, the plain loop waited on it (alternating 50 ms slices in one process,
  // 120 x 512 x 256 blocks: median 72-76 -> 81-83 GFLOP/s, the quiet-phase best unchanged
  // at 93-95; MNIST MLP predict at batch 256 beside onnxruntime in the same process, frozen
  // weights: 0.85-0.99x -> 0.95-1.06x). B read in place (rows ldb apart) is left to the
  // hardware prefetcher: a line four rows ahead covers only part of a row's 16 floats.
  // Same bits either way. (A run-time test in the loop instead of the template argument
  // made GCC keep the accumulators on the stack.)
#pragma GCC unroll 4
  for (std::ptrdiff_t p = 0; p < kc; ++p) {
    if constexpr (kPrefetchB) _mm_prefetch(reinterpret_cast<const char*>(b + 4 * kPanelNR), _MM_HINT_T0);
    __m256 bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + v * 8);
    for (int i = 0; i < MR; ++i) {
      const __m256 av = _mm256_broadcast_ss(kStridedA ? a + i * rs_a : a + i);
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_ps(av, bv[v], acc[i][v]);
    }
    a += kStridedA ? cs_a : kPanelMR;
    b += ldb;
  }
  if (m_eff == MR && n_eff == NR && !ep.transposed) {
    store_tile_full(acc, c, ldc, ep);
    return;
  }
  if (n_eff == NR && !ep.transposed && ep.activation < 2) {
    store_tile_full(acc, c, ldc, ep, m_eff);
    return;
  }
  alignas(32) float t[MR * kPanelNR];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) _mm256_store_ps(t + i * kPanelNR + v * 8, acc[i][v]);
  }
  if (ep.transposed && store_tile_transposed<MR, kPanelNR>(t, c, ldc, m_eff, n_eff, ep)) return;
  store_tile_edge<kPanelNR>(t, c, ldc, m_eff, n_eff, ep);
}

constexpr int kMR = 6;
constexpr int kNV = 2;

// A clipped tile (the last row panel of C, m_eff < 6, or the last column panel with at
// most 8 columns) computes only its rows and vector columns instead of a full 6 x 16 tile
// of padding: 128 x 500 x 784 is 22 x 32 tiles of which 132 x 512 are computed, 5.6% of
// the work spent on padding; a LeNet conv's 16 channels are 6 + 6 + 4 rows. Each C
// element sees the same FMA chain in the same order, so the bits do not change. At one
// thread beside OpenBLAS in one process (16 alternating slices): 128 x 500 x 784
// 0.974 -> 0.986x, 64 x 500 x 784 0.915 -> 0.942x, its NT form 0.82 -> 0.92x,
// 64 x 10 x 500 0.95 -> 1.00x, 16 x 500 x 150 1.04 -> 1.19x.
template <bool kPrefetchB, int R>
void sgemm_ukernel_rows(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                        std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  if (n_eff <= 8) {
    sgemm_ukernel<R, 1, false, kPrefetchB, kMR, kNV * 8>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
  } else {
    sgemm_ukernel<R, kNV, false, kPrefetchB, kMR, kNV * 8>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
  }
}

template <bool kPrefetchB>
void sgemm_ukernel_clipped(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                           std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  switch (m_eff) {
    case 1: return sgemm_ukernel_rows<kPrefetchB, 1>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
    case 2: return sgemm_ukernel_rows<kPrefetchB, 2>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
    case 3: return sgemm_ukernel_rows<kPrefetchB, 3>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
    case 4: return sgemm_ukernel_rows<kPrefetchB, 4>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
    case 5: return sgemm_ukernel_rows<kPrefetchB, 5>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
    default: return sgemm_ukernel_rows<kPrefetchB, 6>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
  }
}

void sgemm_ukernel_6x16(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                        std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  if (m_eff < kMR || n_eff <= 8) {
    if (ldb == kNV * 8) sgemm_ukernel_clipped<true>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
    else sgemm_ukernel_clipped<false>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
    return;
  }
  if (ldb == kNV * 8) {
    sgemm_ukernel<kMR, kNV>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
  } else {
    sgemm_ukernel<kMR, kNV, false, false>(kc, a, b, ldb, c, ldc, m_eff, n_eff, ep);
  }
}
void sgemm_ukernel_6x16_strided_a(std::ptrdiff_t kc, const float* a, std::ptrdiff_t rs_a, std::ptrdiff_t cs_a,
                                  const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc, std::ptrdiff_t n_eff,
                                  const GemmEpilogue& ep) noexcept {
  if (ldb == kNV * 8) {
    sgemm_ukernel<kMR, kNV, true>(kc, a, b, ldb, c, ldc, kMR, n_eff, ep, rs_a, cs_a);
  } else {
    sgemm_ukernel<kMR, kNV, true, false>(kc, a, b, ldb, c, ldc, kMR, n_eff, ep, rs_a, cs_a);
  }
}
void sgemm_pack_a_6(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                    float* dst) noexcept {
  pack_a_generic<kMR>(trans, mc, kc, a, lda, dst);
}
void sgemm_pack_b_16(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                     float* dst) noexcept {
  pack_b_generic<kNV * 8>(trans, kc, nc, b, ldb, dst);
}

// Blocking: A micro-panel 6 x 256 (6 KiB) in L1, B block 256 x 768 (768 KiB) in L2,
// A block 2016 x 256 (2 MiB) in L3. K up to 832 is one block (a 6 x 832 micro-panel is
// 19.5 KiB of the 32 KiB L1), the B block then as wide as 3/4 of L2 holds. Against
// blocks of at most 256, in one process on Zen 3 (alternating slices; GFLOP/s or
// speed-up): the MNIST MLP's frozen predict at batch 256, 2 threads, +7 to +10% (12 of
// 12 slices faster); 64 x 500 x 784 NT 77 -> 97 (2 threads), 61 -> 68 (1); 256 x 500 x
// 784 NT 91 -> 99 (2); 64 x 500 x 576 81 -> 99 (2); 64 x 10 x 500 +8 to +10%; 512^3
// +11% (1), +2% (2). Slower: narrow B at one thread, 64 x 224 x 576 65 -> 60 and
// 64 x 224 x 784 72 -> 67 (even at 2 threads). K = 1024 as one block was slower
// (1024^3: 66.6 -> 61.6 at 1 thread), so deeper K keeps blocks of 256.
const GemmKernels kTable = {"sgemm_ukernel_6x16 (avx2)", kMR, kNV * 8, 2016, 256, 768,
                            &sgemm_ukernel_6x16, &sgemm_pack_a_6, &sgemm_pack_b_16, nullptr,
                            &sgemm_ukernel_6x16_strided_a, nullptr, &sgemv_rows, &sgemv_cols, 832};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace avx2
}  // namespace axonal
