// Single-precision GEMM with BLAS semantics on row-major matrices, with a fused epilogue:
//   C = act(alpha * op(A) * op(B) + beta * C + bias)
// bias (optional) has n values, one per column of C; act is a GemmActivation
// (kernels/gemm_kernels.h: none, relu, gelu, gelu tanh), applied while the tile is in
// registers.
// op(A) is M x K (A stored K x M when trans_a), op(B) is K x N (B stored N x K
// when trans_b). Leading dimensions are row strides in elements. When beta == 0,
// C is overwritten without being read (NaN in C does not propagate).
#pragma once

#include <cstddef>

#include "axonal/status.h"

namespace axonal {

struct PackedA;
struct PackedB;

struct SgemmArgs {
  bool trans_a = false;
  bool trans_b = false;
  std::ptrdiff_t m = 0, n = 0, k = 0;
  float alpha = 1.0f;
  const float* a = nullptr;
  std::ptrdiff_t lda = 0;
  const float* b = nullptr;
  std::ptrdiff_t ldb = 0;
  float beta = 0.0f;
  float* c = nullptr;
  std::ptrdiff_t ldc = 0;
  const float* bias = nullptr;  // n values or null
  int activation = 0;           // GemmActivation code
  // Optional: op(A) already packed by sgemm_pack_a (a convolution's weights, shared by
  // its row bands and images). Used when it was packed for this product's m, k,
  // trans_a and the kernel config sgemm picks for these sizes; otherwise sgemm packs
  // from a as usual, so a must stay valid either way. Same bits as packing from a.
  const PackedA* packed_a = nullptr;
  // Optional: op(B) already packed by sgemm_pack_b (a frozen Linear layer's weights,
  // packed once for every request). The same rules as packed_a: used when it was packed
  // for this product's n, k, trans_b and config, otherwise b is packed as usual.
  const PackedB* packed_b = nullptr;
};

// op(A) packed once as the micro-kernel reads it: for each K block, all of A's
// MR-row panels (zero-padded to a whole panel).
struct PackedA {
  const void* config = nullptr;  // the kernel config it was packed for
  bool trans_a = false;
  std::ptrdiff_t m = 0, k = 0;
  std::ptrdiff_t m_padded = 0;   // rows rounded up to the config's MR
  const float* data = nullptr;
};

// op(B) packed once as the micro-kernel reads it: for each K block, all of B's
// NR-column panels (zero-padded to a whole panel).
struct PackedB {
  const void* config = nullptr;  // the kernel config it was packed for
  bool trans_b = false;
  std::ptrdiff_t n = 0, k = 0;
  std::ptrdiff_t n_padded = 0;   // columns rounded up to the config's NR
  const float* data = nullptr;
};

// A two-level batch of products with the same sizes, scalars and leading dimensions
// (an attention's heads: count = {batch, heads}). Item (i, j) reads A at
// a + i * a_stride[0] + j * a_stride[1], likewise B and C; strides are >= 0. The items'
// C blocks must not overlap one another (the result is unspecified if they do).
struct GemmBatch {
  std::ptrdiff_t count[2] = {1, 1};
  std::ptrdiff_t a_stride[2] = {0, 0}, b_stride[2] = {0, 0}, c_stride[2] = {0, 0};
};
// Runs every item of the batch: many small products in parallel, one item per task
// (each small enough to run single-threaded), otherwise one after another with each
// product on the pool. Every item gets the bits sgemm alone would give it.
Status sgemm_batched(const SgemmArgs& proto, const GemmBatch& batch) noexcept;
// Whether the batch's C blocks (m x n, row stride ldc) are pairwise disjoint.
bool sgemm_batch_outputs_disjoint(const SgemmArgs& proto, const GemmBatch& batch) noexcept;

// Floats sgemm_pack_a needs for op(A) of `args` (m, k, trans_a, a, lda; n matters
// because it picks the kernel config), or 0 when the product would not read a packed
// A (a matrix-vector or transposed product, no product at all, or invalid arguments).
std::ptrdiff_t sgemm_packed_a_floats(const SgemmArgs& args) noexcept;
// Packs op(A) of `args` into dst (sgemm_packed_a_floats(args) floats) and describes it
// in *out (which points into dst). A no-op leaving *out empty when that size is 0.
void sgemm_pack_a(const SgemmArgs& args, float* dst, PackedA* out) noexcept;

// Packed B for a product of `args`'s sizes (m matters: it picks the path and the kernel
// config). Configs are named by a number that is unique across ISAs, 0 meaning the
// product reads no packed B (a matrix-vector or transposed product, no product, or
// invalid arguments); a caller keeps one packing per number.
int sgemm_packed_b_config(const SgemmArgs& args) noexcept;
// Floats sgemm_pack_b needs for op(B) of `args` (0 when it reads no packed B).
std::ptrdiff_t sgemm_packed_b_floats(const SgemmArgs& args) noexcept;
// Packs op(B) of `args` (n, k, trans_b, b, ldb) into dst (capacity floats) and describes
// it in *out; returns the config number it packed for, or 0 (nothing packed, *out empty)
// when there is no packed path or capacity is short.
int sgemm_pack_b(const SgemmArgs& args, float* dst, std::ptrdiff_t capacity, PackedB* out) noexcept;
// The PackedB of `length` floats at data that sgemm_pack_b packed for config number
// `config` from a B of `args`'s n, k and trans_b: lets a caller keep only the floats.
// Empty (data null) unless a product of `args`'s sizes uses that config and length is
// exactly its size, so a stale or foreign buffer is repacked, never misread.
PackedB sgemm_packed_b_view(const SgemmArgs& args, int config, const float* data, std::ptrdiff_t length) noexcept;

// Elements a strided row-major matrix view of rows x cols with row stride ld spans
// (0 for an empty matrix). The binding checks buffer lengths against this.
std::ptrdiff_t strided_extent(std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t ld) noexcept;

// Checks dimensions and strides (not buffer lengths, which only the caller knows).
Status sgemm_check(const SgemmArgs& args) noexcept;

// kOutOfMemory if the packing scratch cannot be allocated (C is then unspecified).
// Each C element's K sum runs in a fixed order (KC blocks depend only on K), so the
// result is bit-identical for any thread count.
Status sgemm(const SgemmArgs& args) noexcept;

// Tests only: while set, every packing-buffer request fails (exercises kOutOfMemory).
void sgemm_fail_allocations_for_testing(bool fail) noexcept;

// Tests only: force the path sgemm takes, so every config and both packing modes
// are exercised at every size (normally chosen from the sizes). config: -1 auto,
// 0 the ISA's main config, 1 its narrow config, 2 its small config, 3 the transposed
// product on the main config (a forced config the ISA lacks falls back to main).
// direct: -1 auto, 0 always pack, 1 read A and B in place wherever the kernels can.
void sgemm_force_path_for_testing(int config, int direct) noexcept;

// Tests only: how row regions over a packed B share their work. 0 (default): queues the
// threads steal from; 1: plain regions, no stealing; 2: every thread first steals what
// it can from the others' regions, so most units run on a thief. Same bits in all three.
void sgemm_work_stealing_for_testing(int mode) noexcept;

}  // namespace axonal
