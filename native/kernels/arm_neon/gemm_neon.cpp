// NEON SGEMM micro-kernel and config (AArch64 ASIMD).
// sgemm_ukernel_8x12: 24 of 32 q registers hold the tile (BLIS armv8a); each k step
// loads three vectors of packed B and eight values of packed A (two q registers) and
// uses lane-indexed FMAs. Clipped tiles go through a stack tile.
#include <arm_neon.h>

#include <cstddef>
#include <cstring>

#include "axonal/kernels/gemm_kernels.h"
#include "kernels/arm_neon/vmath_neon.h"

namespace axonal {
namespace neon {
namespace {

#include "kernels/common/gelu_v.inc"
#include "kernels/sgemm_common.inl"
#include "kernels/arm_neon/gemv_neon.inl"

constexpr int kMR = 8;
constexpr int kNV = 3;
constexpr int kNR = kNV * 4;

// The full-tile epilogue (C = act(alpha T + beta C + bias) from the registers), with
// the activation a functor the caller picks once per tile, outside the loops. Always
// inlined: the accumulators must stay in registers, not pass through memory.
template <class F>
__attribute__((always_inline)) inline void store_tile_full(const float32x4_t (&acc)[kMR][kNV], float* c,
                                                           std::ptrdiff_t ldc, const GemmEpilogue& ep, F act) noexcept {
  const float32x4_t alpha = vdupq_n_f32(ep.alpha), beta = vdupq_n_f32(ep.beta);
  for (int i = 0; i < kMR; ++i) {
    float* cr = c + i * ldc;
    for (int v = 0; v < kNV; ++v) {
      float32x4_t r = vmulq_f32(alpha, acc[i][v]);
      if (ep.beta != 0.0f) r = vfmaq_f32(r, beta, vld1q_f32(cr + v * 4));
      if (ep.bias != nullptr) r = vaddq_f32(r, vld1q_f32(ep.bias + v * 4));
      vst1q_f32(cr + v * 4, act(r));
    }
  }
}

__attribute__((always_inline)) inline void store_tile_full(const float32x4_t (&acc)[kMR][kNV], float* c,
                                                           std::ptrdiff_t ldc, const GemmEpilogue& ep) noexcept {
  switch (ep.activation) {
    case 1:  // relu; NaN passes through
      store_tile_full(acc, c, ldc, ep, [](float32x4_t v) {
        const uint32x4_t neg = vcltq_f32(v, vdupq_n_f32(0.0f));
        return vbslq_f32(neg, vdupq_n_f32(0.0f), v);
      });
      return;
    case 2:  // gelu (erf form): the activation kernels' formula (gelu_v.inc)
      store_tile_full(acc, c, ldc, ep, [](float32x4_t v) { return gelu_v(v); });
      return;
    case 3:  // gelu (tanh form)
      store_tile_full(acc, c, ldc, ep, [](float32x4_t v) { return gelu_tanh_v(v); });
      return;
    default:
      store_tile_full(acc, c, ldc, ep, [](float32x4_t v) { return v; });
      return;
  }
}

void sgemm_ukernel_8x12(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                        std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  float32x4_t acc[kMR][kNV];
  for (int i = 0; i < kMR; ++i) {
    for (int v = 0; v < kNV; ++v) acc[i][v] = vdupq_n_f32(0.0f);
  }
  // The driver never calls with kc = 0; saying so keeps the accumulators in registers
  // (a zero-trip path would give them a stack home, stored to on every k step).
  if (kc < 1) __builtin_unreachable();
  for (std::ptrdiff_t p = 0; p < kc; ++p) {
    float32x4_t bv[kNV];
    for (int v = 0; v < kNV; ++v) bv[v] = vld1q_f32(b + v * 4);
    const float32x4_t a0 = vld1q_f32(a), a1 = vld1q_f32(a + 4);
    for (int v = 0; v < kNV; ++v) {
      acc[0][v] = vfmaq_laneq_f32(acc[0][v], bv[v], a0, 0);
      acc[1][v] = vfmaq_laneq_f32(acc[1][v], bv[v], a0, 1);
      acc[2][v] = vfmaq_laneq_f32(acc[2][v], bv[v], a0, 2);
      acc[3][v] = vfmaq_laneq_f32(acc[3][v], bv[v], a0, 3);
      acc[4][v] = vfmaq_laneq_f32(acc[4][v], bv[v], a1, 0);
      acc[5][v] = vfmaq_laneq_f32(acc[5][v], bv[v], a1, 1);
      acc[6][v] = vfmaq_laneq_f32(acc[6][v], bv[v], a1, 2);
      acc[7][v] = vfmaq_laneq_f32(acc[7][v], bv[v], a1, 3);
    }
    a += kMR;
    b += ldb;
  }
  if (m_eff == kMR && n_eff == kNR && !ep.transposed) {
    store_tile_full(acc, c, ldc, ep);
    return;
  }
  alignas(16) float t[kMR * kNR];
  for (int i = 0; i < kMR; ++i) {
    for (int v = 0; v < kNV; ++v) vst1q_f32(t + i * kNR + v * 4, acc[i][v]);
  }
  store_tile_edge<kNR>(t, c, ldc, m_eff, n_eff, ep);
}

void sgemm_pack_a_8(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                    float* dst) noexcept {
  pack_a_generic<kMR>(trans, mc, kc, a, lda, dst);
}
void sgemm_pack_b_12(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                     float* dst) noexcept {
  pack_b_generic<kNR>(trans, kc, nc, b, ldb, dst);
}

// Blocking: A micro-panel 8 x 320 (10 KiB) in L1, B block 320 x 384 (480 KiB) in L2,
// A block 512 x 320 in L3.
const GemmKernels kTable = {"sgemm_ukernel_8x12 (neon)", kMR, kNR, 512, 320, 384,
                            &sgemm_ukernel_8x12, &sgemm_pack_a_8, &sgemm_pack_b_12, nullptr, nullptr, nullptr, &sgemv_rows, &sgemv_cols};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace neon
}  // namespace axonal
