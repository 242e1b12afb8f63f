// Portable SGEMM micro-kernel and config: the readable reference of the packed
// layout. sgemm_ukernel_4x8: a 4 x 8 tile of accumulators, one multiply-add per
// element per k (fused only where the target has FMA: the compiler decides), then
// the shared epilogue for every tile.
#include <cstddef>
#include <cstring>

#include "axonal/kernels/gemm_kernels.h"
#include "kernels/scalar/vmath_scalar.h"

namespace axonal {
namespace scalar {
namespace {

#include "kernels/common/gelu_v.inc"
#include "kernels/sgemm_common.inl"
#include "kernels/scalar/gemv_scalar.inl"

constexpr int kMR = 4;
constexpr int kNR = 8;

void sgemm_ukernel_4x8(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                       std::ptrdiff_t m_eff, std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  float acc[kMR * kNR] = {};
  for (std::ptrdiff_t p = 0; p < kc; ++p) {
    for (int i = 0; i < kMR; ++i) {
      const float ai = a[i];
      for (int j = 0; j < kNR; ++j) acc[i * kNR + j] += ai * b[j];
    }
    a += kMR;
    b += ldb;
  }
  store_tile_edge<kNR>(acc, c, ldc, m_eff, n_eff, ep);
}

void sgemm_pack_a_4(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                    float* dst) noexcept {
  pack_a_generic<kMR>(trans, mc, kc, a, lda, dst);
}
void sgemm_pack_b_8(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                    float* dst) noexcept {
  pack_b_generic<kNR>(trans, kc, nc, b, ldb, dst);
}

const GemmKernels kTable = {"sgemm_ukernel_4x8 (scalar)", kMR, kNR, 128, 256, 2048,
                            &sgemm_ukernel_4x8, &sgemm_pack_a_4, &sgemm_pack_b_8, nullptr, nullptr, nullptr, &sgemv_rows, &sgemv_cols};

}  // namespace

const GemmKernels& gemm_kernels() noexcept { return kTable; }

}  // namespace scalar
}  // namespace axonal
