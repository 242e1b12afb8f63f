// Per-ISA GEMM building blocks. One config record per ISA chooses the micro-kernel,
// its MR x NR tile, the packers that produce the layout that kernel reads, and the
// cache blocking together (XNNPACK's gemm-config), so a kernel is never paired with
// another ISA's packing layout.
//
// Packed layouts (BLIS): A is packed into micro-panels of MR rows, each k-major
// (panel[p * MR + i] = op(A)[i0 + i, p0 + p]); B into micro-panels of NR columns,
// each k-major (panel[p * NR + j] = op(B)[p0 + p, j0 + j]). Edge panels are
// zero-padded to the full MR / NR, so the micro-kernel always computes a full tile
// in registers and only its stores are clipped to m_eff x n_eff.
#pragma once

#include <cstddef>

namespace axonal {

// Activation applied by the fused epilogue while the tile is in registers.
// Codes are part of the binding's ABI (sgemmEx's `activation`): append only.
//   kGelu      0.5 x (1 + erf(x / sqrt 2))   (PyTorch's GELU, approximate='none')
//   kGeluTanh  0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))   (approximate='tanh')
// The GELU forms are the activation kernels' own vector functions
// (kernels/common/gelu_v.inc), so C holds exactly nn.functional.gelu of the
// pre-activation value, whichever path (full tile, clipped tile, transposed product,
// m = 1, no product) computed it.
// Adding one (tanh, sigmoid, ...) = a new code here, a case in each ISA's
// `store_tile_full` (kernels/<isa>/gemm_<isa>.cpp) and in the clipped-tile epilogue
// (kernels/sgemm_common.inl), and in core/gemm.cpp's m = 1 and no-product paths.
enum class GemmActivation : int { kNone = 0, kRelu = 1, kGelu = 2, kGeluTanh = 3 };
constexpr int kGemmActivationCount = 4;

// What the micro-kernel does with the accumulated tile T = op(A) op(B) (one KC block):
//   C = act(alpha * T + beta * C + bias[j])   (bias[i], C transposed, when `transposed`)
// beta == 0: C is not read (NaN in C does not propagate). bias: null, or the
// n_eff values for this tile's columns. The driver passes beta = 1, no bias and no
// activation for all but the last K block.
struct GemmEpilogue {
  float alpha = 1.0f;
  float beta = 0.0f;
  const float* bias = nullptr;
  int activation = 0;  // GemmActivation
  // Narrow-N path (the driver computes C^T = op(B)^T op(A)^T): tile element (i, j)
  // goes to c[j * ldc + i] and its bias is bias[i]. Kernels take their clipped-tile
  // store for every tile then.
  bool transposed = false;
};

// C[0:m_eff, 0:n_eff] (row stride ldc) from a packed A micro-panel (MR x kc) and a
// B micro-panel of kc rows of NR values, row p at b + p * ldb: a packed panel
// (ldb = NR, 64-byte aligned) or, on the small-matrix path, B itself (ldb = its row
// stride; the driver only does that for full NR-wide panels, so no read passes a row end).
using SgemmUkernelFn = void (*)(std::ptrdiff_t kc, const float* a, const float* b, std::ptrdiff_t ldb, float* c,
                                std::ptrdiff_t ldc, std::ptrdiff_t m_eff, std::ptrdiff_t n_eff,
                                const GemmEpilogue& ep) noexcept;
// The micro-kernel reading a full MR-row panel of A in place: element (i, p) at
// a[i * rs_a + p * cs_a] (small-matrix / narrow path, where packing A would cost
// as much as the product). m_eff is always MR.
using SgemmUkernelStridedAFn = void (*)(std::ptrdiff_t kc, const float* a, std::ptrdiff_t rs_a, std::ptrdiff_t cs_a,
                                        const float* b, std::ptrdiff_t ldb, float* c, std::ptrdiff_t ldc,
                                        std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept;
// Packs op(A)[0:mc, 0:kc] (A stored kc x mc when trans) into ceil(mc/MR) micro-panels.
using SgemmPackAFn = void (*)(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                              float* dst) noexcept;
// Packs op(B)[0:kc, 0:nc] (B stored nc x kc when trans) into ceil(nc/NR) micro-panels.
using SgemmPackBFn = void (*)(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                              float* dst) noexcept;

// One row of C (m = 1: a batch-1 Linear layer at inference): matrix-vector products
// that read B in place. gemv_rows: y[j] = dot(b[j * ldb .. + k], x) for j < n (B stored
// [n, k], PyTorch's weight layout). gemv_cols: y[0:n] = sum_p x[p] * b[p * ldb .. + n]
// (B stored [k, n]). Both overwrite y and sum each output over p in a fixed order.
using SgemvFn = void (*)(std::ptrdiff_t n, std::ptrdiff_t k, const float* b, std::ptrdiff_t ldb, const float* x,
                         float* y) noexcept;

struct GemmKernels {
  const char* name;        // e.g. "sgemm_ukernel_12x32 (avx512)"
  int mr, nr;              // register tile
  std::ptrdiff_t mc, kc, nc;  // cache blocking: A block mc x kc (L2), B panel kc x NR (L1), B block kc x nc (L3)
  SgemmUkernelFn ukernel;
  SgemmPackAFn pack_a;
  SgemmPackBFn pack_b;
  // Optional config for narrow products (n <= narrow->nr), where this tile would
  // leave most of its columns empty; chosen from the sizes only. Null if none.
  const GemmKernels* narrow;
  // Optional: ukernel reading A in place (null: A is always packed).
  SgemmUkernelStridedAFn ukernel_strided_a;
  // Optional config for tiny products (the small-matrix path, nothing packed): a
  // shorter tile wastes fewer rows on M edges (64 = 8 x 8 rather than 6 x 12 - 8). Null if none.
  const GemmKernels* small;
  // Matrix-vector kernels for m = 1 (null: m = 1 takes the packed path).
  SgemvFn gemv_rows = nullptr;
  SgemvFn gemv_cols = nullptr;
  // K up to this is one K block (0: always blocks of kc): the MR x K micro-panel of A
  // still fits L1, C is stored once instead of re-read per block, and the B block's
  // width is fitted to the L2 the OS reports (core/gemm.cpp). Set per ISA where measured.
  std::ptrdiff_t kc_whole = 0;
};

namespace scalar { const GemmKernels& gemm_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const GemmKernels& gemm_kernels() noexcept; }
namespace avx512 { const GemmKernels& gemm_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const GemmKernels& gemm_kernels() noexcept; }
#endif

}  // namespace axonal
