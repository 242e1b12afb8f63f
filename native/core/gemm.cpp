// The GEMM driver. This first version composes per-ISA axpy/dot primitives row by
// row of C; the packed, cache-blocked driver replaces it.
#include "axonal/gemm.h"

#include <cstdlib>
#include <cstring>

#include "axonal/dispatch.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

// C rows handled per task: at least ~64k multiply-adds, so small products stay on one thread.
std::ptrdiff_t rows_per_task(const SgemmArgs& g) noexcept {
  const std::ptrdiff_t row_work = (g.n > 0 ? g.n : 1) * (g.k > 0 ? g.k : 1);
  std::ptrdiff_t rows = (std::ptrdiff_t{1} << 16) / row_work;
  return rows < 1 ? 1 : rows;
}

void scale_rows(const SgemmArgs& g, std::ptrdiff_t i0, std::ptrdiff_t i1) noexcept {
  for (std::ptrdiff_t i = i0; i < i1; ++i) {
    float* c = g.c + i * g.ldc;
    if (g.beta == 0.0f) {
      std::memset(c, 0, sizeof(float) * static_cast<size_t>(g.n));
    } else if (g.beta != 1.0f) {
      for (std::ptrdiff_t j = 0; j < g.n; ++j) c[j] *= g.beta;
    }
  }
}

// Rows [i0, i1) of C += alpha * op(A) op(B). `scratch` holds k floats.
void gemm_rows(const GemmKernels& kr, const SgemmArgs& g, std::ptrdiff_t i0, std::ptrdiff_t i1,
               float* scratch) noexcept {
  for (std::ptrdiff_t i = i0; i < i1; ++i) {
    float* c = g.c + i * g.ldc;
    if (!g.trans_b) {
      for (std::ptrdiff_t p = 0; p < g.k; ++p) {
        const float a = g.trans_a ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
        kr.saxpy(g.n, g.alpha * a, g.b + p * g.ldb, c);
      }
    } else {
      const float* arow = g.a + i * g.lda;
      if (g.trans_a) {
        for (std::ptrdiff_t p = 0; p < g.k; ++p) scratch[p] = g.a[p * g.lda + i];
        arow = scratch;
      }
      for (std::ptrdiff_t j = 0; j < g.n; ++j) c[j] += g.alpha * kr.sdot(g.k, arow, g.b + j * g.ldb);
    }
  }
}

}  // namespace

std::ptrdiff_t strided_extent(std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t ld) noexcept {
  if (rows <= 0 || cols <= 0) return 0;
  return (rows - 1) * ld + cols;
}

Status sgemm_check(const SgemmArgs& g) noexcept {
  if (g.m < 0 || g.n < 0 || g.k < 0) return Status::kInvalidArgument;
  const std::ptrdiff_t a_cols = g.trans_a ? g.m : g.k;
  const std::ptrdiff_t b_cols = g.trans_b ? g.k : g.n;
  if (g.lda < (a_cols > 1 ? a_cols : 1)) return Status::kInvalidArgument;
  if (g.ldb < (b_cols > 1 ? b_cols : 1)) return Status::kInvalidArgument;
  if (g.ldc < (g.n > 1 ? g.n : 1)) return Status::kInvalidArgument;
  return Status::kOk;
}

Status sgemm(const SgemmArgs& g) noexcept {
  Status st = sgemm_check(g);
  if (st != Status::kOk) return st;
  if (g.m == 0 || g.n == 0) return Status::kOk;
  const bool product = g.k > 0 && g.alpha != 0.0f;
  const bool needs_scratch = product && g.trans_a && g.trans_b;
  const GemmKernels& kr = *kernels().gemm;
  const std::ptrdiff_t rows = rows_per_task(g);
  const std::ptrdiff_t tasks = (g.m + rows - 1) / rows;
  bool oom = false;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * rows;
    const std::ptrdiff_t i1 = i0 + rows < g.m ? i0 + rows : g.m;
    scale_rows(g, i0, i1);
    if (!product) return;
    float* scratch = nullptr;
    if (needs_scratch) {
      scratch = static_cast<float*>(std::malloc(sizeof(float) * static_cast<size_t>(g.k)));
      if (scratch == nullptr) {
        __atomic_store_n(&oom, true, __ATOMIC_RELAXED);
        return;
      }
    }
    gemm_rows(kr, g, i0, i1, scratch);
    std::free(scratch);
  });
  return oom ? Status::kOutOfMemory : Status::kOk;
}

}  // namespace axonal
