// The GEMM driver: BLIS's five loops over the active ISA's config record
// (GemmKernels: micro-kernel, MR x NR, packers, MC/KC/NC chosen together).
//
//   threads: C split into regions (rows x columns, multiples of MR / NR), one task each
//   ic  (MC) rows of the region           A block mc x kc packed once (L3), reused by every jc
//                                         (regions side by side share one packed A: SharedA)
//   pc  (KC) the K dimension              KC blocks depend only on K: fixed sum order
//   jc  (NC) columns of the region        B block kc x nc packed (L2), reused by every ir
//   ir  (MR) micro-panels of packed A     one A micro-panel stays in L1 ...
//   jr  (NR) micro-panels of packed B     ... while the B micro-panels stream from L2
// (BLIS's five loops mirrored for row-major C: with a 12 x 32 tile the A micro-panel is
// the small one that should live in L1, so the roles of A and B swap.)
//
// Every C element is computed by the same micro-kernel arithmetic over the same KC
// blocks however the regions fall (clipped tiles round exactly like full ones), so
// the result does not depend on the thread count even though the region split does.
// Transposes are absorbed by the packers. beta is applied with the first K block
// (never reading C when it is 0), bias and activation with the last. The GELU forms
// are one vector function per ISA (kernels/common/gelu_v.inc) wherever they run (tile
// registers, clipped tiles, the activation kernel on the m = 1 and no-product paths),
// so a pre-activation value gets the same bits on every path.
#include "axonal/gemm.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "axonal/cache_sizes.h"
#include "axonal/dispatch.h"
#include "axonal/reused_buffer.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

bool g_fail_allocations = false;
int g_force_config = -1;  // sgemm_force_path_for_testing
int g_force_direct = -1;
int g_steal_mode = 0;  // sgemm_work_stealing_for_testing: 0 on, 1 off, 2 thieves first

// Packing buffers per thread (sgemm_fail_allocations_for_testing makes them fail).
float* pack_buffer(ReusedBuffer& b, std::size_t floats) noexcept {
  return __atomic_load_n(&g_fail_allocations, __ATOMIC_RELAXED) ? nullptr : b.get(floats);
}

thread_local ReusedBuffer t_pack_a;
thread_local ReusedBuffer t_pack_b;

inline std::ptrdiff_t ceil_div(std::ptrdiff_t a, std::ptrdiff_t b) noexcept { return (a + b - 1) / b; }
inline std::ptrdiff_t min_of(std::ptrdiff_t a, std::ptrdiff_t b) noexcept { return a < b ? a : b; }

// Splits `extent` into blocks of at most `max_block`, balanced, rounded up to `unit`.
std::ptrdiff_t balanced_block(std::ptrdiff_t extent, std::ptrdiff_t max_block, std::ptrdiff_t unit) noexcept {
  if (extent <= 0) return unit;
  const std::ptrdiff_t blocks = ceil_div(extent, max_block);
  return ceil_div(ceil_div(extent, blocks), unit) * unit;
}

float activation_ref(float v, int act) noexcept {
  switch (static_cast<GemmActivation>(act)) {
    case GemmActivation::kRelu:
      return v < 0.0f ? 0.0f : v;
    default:
      return v;
  }
}

// The GELU forms run as the active ISA's activation kernel over each row of C, in
// place, after the pre-activation values are stored: it evaluates the same vector
// formula as the micro-kernels' epilogue (kernels/common/gelu_v.inc), so these paths
// give a value the same bits a tile would. Null for the other activations.
ActFwdFn vector_activation(const KernelTable& kt, int act) noexcept {
  switch (static_cast<GemmActivation>(act)) {
    case GemmActivation::kGelu:
      return kt.activation->fwd[static_cast<int>(ActOp::kGelu)];
    case GemmActivation::kGeluTanh:
      return kt.activation->fwd[static_cast<int>(ActOp::kGeluTanh)];
    default:
      return nullptr;
  }
}

// No product (k == 0 or alpha == 0): C = act(beta C + bias), A and B untouched.
void epilogue_only(const SgemmArgs& g, ActFwdFn vector_act) noexcept {
  for (std::ptrdiff_t i = 0; i < g.m; ++i) {
    float* c = g.c + i * g.ldc;
    for (std::ptrdiff_t j = 0; j < g.n; ++j) {
      float v = g.beta == 0.0f ? 0.0f : g.beta * c[j];
      if (g.bias != nullptr) v += g.bias[j];
      c[j] = vector_act != nullptr ? v : activation_ref(v, g.activation);
    }
    if (vector_act != nullptr) vector_act(c, c, static_cast<std::size_t>(g.n), ActParams{});
  }
}

struct Plan {
  std::ptrdiff_t kc;              // K block (depends only on K)
  std::ptrdiff_t mc, nc;          // M / N blocks inside a region
  std::ptrdiff_t region_m, region_n;  // region size (multiples of MR / NR)
  std::ptrdiff_t tasks_m, tasks_n;
  bool direct_b;  // small-matrix path: the micro-kernel reads full-width B panels in place
  bool direct_a;  // ... and full-height A panels in place
  bool share_a;   // regions side by side fill one packed A together (SharedA)
};

// Below this many multiply-adds a product runs on the calling thread: waking the
// pool costs more than it saves.
constexpr double kParallelMinFlops = 2.0 * 96 * 96 * 96;
// Small-matrix path thresholds (see make_plan).
constexpr std::ptrdiff_t kDirectBMaxM = 128;
// ... and only while a K block of B is small enough to stay cached across the A panels
// that re-read it in place (strided rows, often split across cache lines): the MLP's
// 784 x 500 weights read in place ran ~25% slower than packed on Zen 3 (neutral on
// Sapphire Rapids); 64^3 and 128^3 read in place stay faster, and so does a 3x3
// 64-channel conv band's 64 x 224 x 576 product (192 x 224 floats a block: 53 -> 59-65
// GFLOP/s at 1 thread, interleaved runs); LeNet conv2's 16 x 500 x 150 (75K floats) is
// even, so the line is drawn between.
constexpr double kDirectBMaxFloats = 49152;
// C of at most this many row panels reads each B element that many times only, so B is
// read in place up to twice the size: LeNet conv2's 16 x 500 x 150 forward (3 panels, 75K
// floats a block) 56 -> 62 GFLOP/s at 1 thread; with 6 panels (32 x 500 x 150) even, with
// 11 (64 rows) packing wins.
constexpr std::ptrdiff_t kDirectBFewPanels = 3;
constexpr double kDirectAMaxFlops = 2.0 * 80 * 80 * 80;
// Column regions per thread when they share A, each at least this many NR panels wide.
constexpr std::ptrdiff_t kColumnTasksPerThread = 3;
constexpr std::ptrdiff_t kMinColumnTaskPanels = 4;
constexpr double kSharedAMaxFloats = double(1 << 23);  // larger A: every region packs its own
// Work per task at least this much when splitting.
constexpr double kFlopsPerTask = 2.0 * 64 * 64 * 64;

// The K block: depends only on K and the config, so every product (and a prepacked A
// or B) cuts K the same way, at any thread count. K up to the config's kc_whole is one
// block: C is stored once instead of re-read and re-written per block.
std::ptrdiff_t k_block(const GemmKernels& kr, std::ptrdiff_t k) noexcept {
  return balanced_block(k, k <= kr.kc_whole ? kr.kc_whole : kr.kc, 1);
}

// The widest B block (columns) for a K block of kc: the config's nc, or for a whole-K
// block deeper than the config's kc, as many NR panels as fill about 3/4 of the L2 the
// OS reports (512 KiB assumed when it says nothing; clamped to 128 KiB - 2 MiB), so the
// deeper block still stays in L2 while A's micro-panels stream past it (784 deep on
// Zen 3: 128 columns, 392 KiB).
std::ptrdiff_t n_block_max(const GemmKernels& kr, std::ptrdiff_t kc) noexcept {
  if (kc <= kr.kc) return kr.nc;
  std::size_t l2 = l2_cache_bytes();
  if (l2 == 0) l2 = std::size_t{512} << 10;
  if (l2 < (std::size_t{128} << 10)) l2 = std::size_t{128} << 10;
  if (l2 > (std::size_t{2} << 20)) l2 = std::size_t{2} << 20;
  std::ptrdiff_t panels = static_cast<std::ptrdiff_t>(l2 * 3 / 4 / (sizeof(float) * static_cast<std::size_t>(kc))) / kr.nr;
  if (panels < 4) panels = 4;
  return min_of(panels * kr.nr, kr.nc);
}

// Where a whole packed operand (PackedA, SharedA: A's row panels; PackedB, staged B: B's
// column panels) keeps the panel starting at line `line` (a multiple of MR or NR) of the
// K block starting at pc, kcur deep: every K block holds all the panels, padded * kcur
// floats, one after another.
std::ptrdiff_t packed_offset(std::ptrdiff_t padded, std::ptrdiff_t pc, std::ptrdiff_t line, std::ptrdiff_t kcur) noexcept {
  return padded * pc + line * kcur;
}

// b_prepacked: op(B) comes packed (SgemmArgs::packed_b), so row regions pack nothing twice.
Plan make_plan(const GemmKernels& kr, const SgemmArgs& g, bool b_prepacked) noexcept {
  Plan p;
  p.kc = k_block(kr, g.k);
  const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k);
  std::ptrdiff_t want = 1;
  if (flops >= kParallelMinFlops) {
    want = num_threads();
    const double by_work = flops / kFlopsPerTask;
    if (by_work < static_cast<double>(want)) want = by_work < 1.0 ? 1 : static_cast<std::ptrdiff_t>(by_work);
  }
  const std::ptrdiff_t panels_m = ceil_div(g.m, kr.mr), panels_n = ceil_div(g.n, kr.nr);
  // Small-matrix path (no packing where packing would cost a sizeable share of the
  // product; measured with native/bench/gemm_bench.cpp): B is read in place when few
  // rows of A reuse it, A when a single column of tiles (n <= NR) or a tiny product
  // uses it once. Decided from the sizes only.
  // A B row stride that is a multiple of 512 bytes puts a panel's rows in a few L1
  // sets (4 KiB apart: all in one), so the in-place reads thrash; pack those.
  const double b_block = static_cast<double>(p.kc) * static_cast<double>(min_of(g.n, kr.nc));
  p.direct_b = !g.trans_b && g.m <= kDirectBMaxM && g.ldb % 128 != 0 &&
               (b_block <= kDirectBMaxFloats || (panels_m <= kDirectBFewPanels && b_block <= 2 * kDirectBMaxFloats));
  p.direct_a = kr.ukernel_strided_a != nullptr && (g.n <= kr.nr || flops <= kDirectAMaxFlops);
  const int force = __atomic_load_n(&g_force_direct, __ATOMIC_RELAXED);
  if (force >= 0) {
    p.direct_b = force == 1 && !g.trans_b;
    p.direct_a = force == 1 && kr.ukernel_strided_a != nullptr;
  }
  // Choose tasks_m x tasks_n <= want minimising redundant packing: every column
  // region packs its rows of A, every row region packs its columns of B. A prepacked B
  // costs row regions nothing, and then rows are cut whenever A is taller than a
  // training batch: column regions would read A packed by another core (SharedA below),
  // while a row region packs its own in its core's cache. A frozen MLP's 256 x 500 x
  // 784 ran 1.27x as fast cut by rows (38 of 40 interleaved slices at 2 threads); at
  // 64 or 32 rows, where all of A is a few cache lines per row, columns stayed ahead
  // (0.96x by rows).
  const double b_weight = b_prepacked && g.m > kDirectBMaxM ? 0.0 : 1.0;
  p.tasks_m = 1;
  p.tasks_n = 1;
  double best = -1.0;
  for (std::ptrdiff_t tm = 1; tm <= want; ++tm) {
    const std::ptrdiff_t tn = want / tm;
    if (tm > panels_m || tn > panels_n || tn < 1) continue;
    const double cost = static_cast<double>(tn) * static_cast<double>(g.m) + b_weight * static_cast<double>(tm) * static_cast<double>(g.n);
    const std::ptrdiff_t used = tm * tn;
    const std::ptrdiff_t best_used = p.tasks_m * p.tasks_n;
    if (best < 0 || used > best_used || (used == best_used && cost < best)) {
      best = cost;
      p.tasks_m = tm;
      p.tasks_n = tn;
    }
  }
  // Regions side by side share their packed A (SharedA), so cutting the columns finer
  // costs no extra packing and lets the pool's dynamic claiming even out threads that
  // run at different speeds (a preempted vCPU).
  p.share_a = p.tasks_n >= 2 && !p.direct_a &&
              static_cast<double>(panels_m * kr.mr) * static_cast<double>(g.k) <= kSharedAMaxFloats;
  if (p.share_a) {
    const std::ptrdiff_t finer = min_of(p.tasks_n * kColumnTasksPerThread, panels_n / kMinColumnTaskPanels);
    if (finer > p.tasks_n) p.tasks_n = finer;
  }
  p.region_m = ceil_div(panels_m, p.tasks_m) * kr.mr;
  p.region_n = ceil_div(panels_n, p.tasks_n) * kr.nr;
  p.tasks_m = ceil_div(g.m, p.region_m);
  p.tasks_n = ceil_div(g.n, p.region_n);
  p.mc = balanced_block(min_of(p.region_m, g.m), kr.mc, kr.mr);
  p.nc = balanced_block(min_of(p.region_n, g.n), n_block_max(kr, p.kc), kr.nr);
  return p;
}

// Regions side by side (C split by columns) read the same rows of A. Packed per region,
// every thread packed all of A: for the 256 x 500 x 784 inference product at two
// threads, 6% of the time and half of it twice over. Instead they share one packed A
// (the PackedA layout: every K block holds all row panels) that they fill together as
// they reach it: a group of row panels is packed by the first thread to claim it,
// and a thread reading a group another claimed waits for it. No thread ever waits
// while holding a claim, so this cannot deadlock, even when one thread runs every
// region itself (the pool busy elsewhere). The packed values are those a private
// packing would give, so the bits do not change.
constexpr std::ptrdiff_t kSharedGroupPanels = 4;  // row panels per claim

struct SharedA {
  float* data = nullptr;
  std::ptrdiff_t m_padded = 0;
  std::ptrdiff_t groups = 0;         // claims per K block
  std::atomic<int>* state = nullptr;  // per (K block, group): 0 free, 1 being packed, 2 ready
};

thread_local ReusedBuffer t_shared_a;
struct ClaimStates {
  std::unique_ptr<std::atomic<int>[]> p;
  std::size_t cap = 0;
  std::atomic<int>* get(std::size_t n) noexcept {
    if (n > cap) {
      p.reset(new (std::nothrow) std::atomic<int>[n]);
      cap = p ? n : 0;
      if (!p) return nullptr;
    }
    for (std::size_t i = 0; i < n; ++i) p[i].store(0, std::memory_order_relaxed);
    return p.get();
  }
};
thread_local ClaimStates t_claims;
thread_local ClaimStates t_claims_b;  // a staged B's column blocks (run_stealing)

// Rows [ic, ic + mcur) of K block [pc, pc + kcur) of the shared A, packed (here or by
// another thread) when this returns.
void fill_shared_a(const GemmKernels& kr, const SgemmArgs& g, const SharedA& sh, std::ptrdiff_t kb,
                   std::ptrdiff_t ic, std::ptrdiff_t mcur, std::ptrdiff_t pc, std::ptrdiff_t kcur) noexcept {
  const std::ptrdiff_t mr = kr.mr, rows_per_group = kSharedGroupPanels * mr;
  const std::ptrdiff_t g0 = ic / rows_per_group, g1 = ceil_div(ic + mcur, rows_per_group);
  std::atomic<int>* state = sh.state + kb * sh.groups;
  for (std::ptrdiff_t gi = g0; gi < g1; ++gi) {
    int free_state = 0;
    if (state[gi].load(std::memory_order_relaxed) != 0 ||
        !state[gi].compare_exchange_strong(free_state, 1, std::memory_order_acquire, std::memory_order_relaxed)) {
      continue;
    }
    const std::ptrdiff_t r0 = gi * rows_per_group, rows = min_of(rows_per_group, g.m - r0);
    const float* src = g.trans_a ? g.a + pc * g.lda + r0 : g.a + r0 * g.lda + pc;
    kr.pack_a(g.trans_a, rows, kcur, src, g.lda, sh.data + packed_offset(sh.m_padded, pc, r0, kcur));
    state[gi].store(2, std::memory_order_release);
  }
  SpinWait wait;  // the packing thread may be descheduled: let it have this core
  for (std::ptrdiff_t gi = g0; gi < g1; ++gi) {
    while (state[gi].load(std::memory_order_acquire) != 2) wait.step();
  }
}

// One region of C: rows [m0, m1), columns [n0, n1). Returns false if scratch failed.
// transposed: g is the transposed problem (C^T); C element (i, j) of g lives at
// c[j * ldc + i] and the bias runs along g's rows.
// packed: op(A) prepacked for this config (sgemm_pack_a), or null.
// shared: the packed A this region fills together with its neighbours, or null.
bool gemm_region(const GemmKernels& kr, const SgemmArgs& g, const Plan& p, std::ptrdiff_t m0, std::ptrdiff_t m1,
                 std::ptrdiff_t n0, std::ptrdiff_t n1, bool transposed, const PackedA* packed,
                 const SharedA* shared, const PackedB* packed_b) noexcept {
  const std::ptrdiff_t mr = kr.mr, nr = kr.nr;
  const bool own_a = packed == nullptr && shared == nullptr;
  float* abuf = own_a ? pack_buffer(t_pack_a, static_cast<std::size_t>(ceil_div(p.mc, mr) * mr * p.kc)) : nullptr;
  float* bbuf = packed_b != nullptr ? nullptr : pack_buffer(t_pack_b, static_cast<std::size_t>(ceil_div(p.nc, nr) * nr * p.kc));
  if ((own_a && abuf == nullptr) || (packed_b == nullptr && bbuf == nullptr)) return false;
  for (std::ptrdiff_t ic = m0; ic < m1; ic += p.mc) {
    const std::ptrdiff_t mcur = min_of(p.mc, m1 - ic);
    for (std::ptrdiff_t pc = 0; pc < g.k; pc += p.kc) {
      const std::ptrdiff_t kcur = min_of(p.kc, g.k - pc);
      const bool first = pc == 0, last = pc + kcur >= g.k;
      const float* asrc = g.trans_a ? g.a + pc * g.lda + ic : g.a + ic * g.lda + pc;
      const std::ptrdiff_t rs_a = g.trans_a ? 1 : g.lda, cs_a = g.trans_a ? g.lda : 1;
      // Full MR-row panels are read in place on the direct path; the ragged last one is packed.
      const std::ptrdiff_t m_direct = p.direct_a && own_a ? mcur / mr * mr : 0;
      const float* apacked = abuf;
      if (packed != nullptr) {
        apacked = packed->data + packed_offset(packed->m_padded, pc, ic, kcur);
      } else if (shared != nullptr) {
        fill_shared_a(kr, g, *shared, pc / p.kc, ic, mcur, pc, kcur);
        apacked = shared->data + packed_offset(shared->m_padded, pc, ic, kcur);
      } else if (m_direct < mcur) {
        kr.pack_a(g.trans_a, mcur - m_direct, kcur, asrc + m_direct * rs_a, g.lda, abuf);
      }
      GemmEpilogue ep;
      ep.alpha = g.alpha;
      ep.beta = first ? g.beta : 1.0f;
      ep.activation = last ? g.activation : 0;
      ep.transposed = transposed;
      for (std::ptrdiff_t jc = n0; jc < n1; jc += p.nc) {
        const std::ptrdiff_t ncur = min_of(p.nc, n1 - jc);
        const float* bsrc = g.trans_b ? g.b + jc * g.ldb + pc : g.b + pc * g.ldb + jc;
        // Full NR-wide panels are read in place on the small-matrix path; only the ragged
        // last panel is packed (zero-padded), so no load runs past the end of a row of B.
        const std::ptrdiff_t n_direct = p.direct_b ? ncur / nr * nr : 0;
        const float* bpacked = bbuf;
        if (packed_b != nullptr) {
          bpacked = packed_b->data + packed_offset(packed_b->n_padded, pc, jc, kcur);
        } else if (n_direct < ncur) {
          kr.pack_b(g.trans_b, kcur, ncur - n_direct, bsrc + n_direct, g.ldb, bbuf);
        }
        for (std::ptrdiff_t ir = 0; ir < mcur; ir += mr) {
          const bool a_direct = ir < m_direct;
          const float* ap = a_direct ? asrc + ir * rs_a : apacked + (ir - m_direct) * kcur;
          const std::ptrdiff_t m_eff = min_of(mr, mcur - ir);
          // C element (i, j) of this problem: c[i * rs_c + j * cs_c].
          const std::ptrdiff_t rs_c = transposed ? 1 : g.ldc, cs_c = transposed ? g.ldc : 1;
          float* cc = g.c + (ic + ir) * rs_c + jc * cs_c;
          for (std::ptrdiff_t jr = 0; jr < ncur; jr += nr) {
            const std::ptrdiff_t bias_at = transposed ? ic + ir : jc + jr;
            ep.bias = last && g.bias != nullptr ? g.bias + bias_at : nullptr;
            const bool b_direct = jr < n_direct;
            const float* bp = b_direct ? bsrc + jr : bpacked + (jr - n_direct) * kcur;
            const std::ptrdiff_t ldbp = b_direct ? g.ldb : nr;
            const std::ptrdiff_t n_eff = min_of(nr, ncur - jr);
            if (a_direct) {
              kr.ukernel_strided_a(kcur, ap, rs_a, cs_a, bp, ldbp, cc + jr * cs_c, g.ldc, n_eff, ep);
            } else {
              kr.ukernel(kcur, ap, bp, ldbp, cc + jr * cs_c, g.ldc, m_eff, n_eff, ep);
            }
          }
        }
      }
    }
  }
  return true;
}

}  // namespace

void sgemm_force_path_for_testing(int config, int direct) noexcept {
  __atomic_store_n(&g_force_config, config, __ATOMIC_RELAXED);
  __atomic_store_n(&g_force_direct, direct, __ATOMIC_RELAXED);
}

void sgemm_work_stealing_for_testing(int mode) noexcept { __atomic_store_n(&g_steal_mode, mode, __ATOMIC_RELAXED); }

void sgemm_fail_allocations_for_testing(bool fail) noexcept {
  __atomic_store_n(&g_fail_allocations, fail, __ATOMIC_RELAXED);
}

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
  if (g.activation < 0 || g.activation >= kGemmActivationCount) return Status::kInvalidArgument;
  return Status::kOk;
}

namespace {
// b_staged: packed_b is a staged B not packed yet (see stage_b).
Status run_plan(const GemmKernels& kr, const SgemmArgs& g, bool transposed, const PackedA* packed,
                const PackedB* packed_b, bool b_staged = false) noexcept;

// Outputs per task on the matrix-vector path: a size-only split, so every output
// is summed the same way at any thread count.
constexpr std::ptrdiff_t kGemvChunk = 256;
// Below this many multiply-adds the matrix-vector path stays on one task.
constexpr std::ptrdiff_t kGemvParallelMin = 1 << 16;

// m = 1 (a batch-1 Linear layer): reading B in place beats packing all of it for
// one row of C. op(A)'s single row is gathered when A is stored transposed.
Status run_gemv(const GemmKernels& kr, const SgemmArgs& g, ActFwdFn vector_act) noexcept {
  const float* x = g.a;
  float* gathered = nullptr;
  if (g.trans_a && g.k > 1) {
    gathered = static_cast<float*>(std::malloc(sizeof(float) * static_cast<size_t>(g.k)));
    if (gathered == nullptr) return Status::kOutOfMemory;
    for (std::ptrdiff_t p = 0; p < g.k; ++p) gathered[p] = g.a[p * g.lda];
    x = gathered;
  }
  const std::ptrdiff_t tasks = g.n * g.k < kGemvParallelMin ? 1 : (g.n + kGemvChunk - 1) / kGemvChunk;
  const std::ptrdiff_t chunk = tasks == 1 ? g.n : kGemvChunk;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    float acc[kGemvChunk];
    for (std::ptrdiff_t j0 = t * chunk, end = min_of(j0 + chunk, g.n); j0 < end; j0 += kGemvChunk) {
      const std::ptrdiff_t len = min_of(kGemvChunk, end - j0);
      if (g.trans_b) kr.gemv_rows(len, g.k, g.b + j0 * g.ldb, g.ldb, x, acc);
      else kr.gemv_cols(len, g.k, g.b + j0, g.ldb, x, acc);
      float* c = g.c + j0;
      for (std::ptrdiff_t j = 0; j < len; ++j) {
        float v = g.alpha * acc[j];
        if (g.beta != 0.0f) v = __builtin_fmaf(g.beta, c[j], v);
        if (g.bias != nullptr) v += g.bias[j0 + j];
        c[j] = vector_act != nullptr ? v : activation_ref(v, g.activation);
      }
      if (vector_act != nullptr) vector_act(c, c, static_cast<std::size_t>(len), ActParams{});
    }
  });
  std::free(gathered);
  return Status::kOk;
}
}  // namespace

namespace {

// Which path sgemm takes for g, from the sizes and layout only.
struct Route {
  enum Kind { kNothing, kEpilogueOnly, kGemv, kPlan } kind = kNothing;
  const GemmKernels* kr = nullptr;
  bool transposed = false;  // computes C^T = op(B)^T op(A)^T
};

Route route_of(const SgemmArgs& g, const KernelTable& kt) noexcept {
  Route r;
  if (g.m == 0 || g.n == 0) return r;
  if (g.k == 0 || g.alpha == 0.0f) {
    r.kind = Route::kEpilogueOnly;
    return r;
  }
  const GemmKernels* base = kt.gemm;
  r.kr = base;
  const int force = __atomic_load_n(&g_force_config, __ATOMIC_RELAXED);
  if (g.m == 1 && base->gemv_rows != nullptr && (force < 0 || force == 4)) {
    r.kind = Route::kGemv;
    return r;
  }
  r.kind = Route::kPlan;
  // Very narrow C (n <= MR, e.g. the weight gradient of a 10-class output layer)
  // wastes most of an NR-wide tile; computing C^T = op(B)^T op(A)^T fills the tile's
  // rows instead (the kernels store transposed). Only when A is stored transposed,
  // so that op(A)^T is read in place rather than packed through a transpose; else
  // the narrow config (reading A in place) serves. Chosen from the sizes and layout only.
  r.transposed = force >= 0 ? force == 3 : g.trans_a && g.n <= base->mr && g.m > base->nr;
  // Short C times a B stored transposed (m <= NR: a conv's weight gradient with few
  // output channels, 16 x 150 for LeNet's second) whose rows fill MR-row tiles poorly:
  // C^T, one NR-wide column of tiles, when that covers at least a tenth less tile area
  // (18 x 160 -> 150 x 16 there). B is packed through a transpose either way. (Even a
  // prepacked B loses to it: a frozen MLP's 16 x 500 x 784 ran 0.8x as fast reading its
  // packed weights from L3 as C^T packing them into L2 on every call.)
  if (force < 0 && !r.transposed && g.trans_b && g.m <= base->nr) {
    const auto area = [&](std::ptrdiff_t rows, std::ptrdiff_t cols) {
      return static_cast<double>(ceil_div(rows, base->mr) * base->mr) * static_cast<double>(ceil_div(cols, base->nr) * base->nr);
    };
    r.transposed = 10.0 * area(g.n, g.m) <= 9.0 * area(g.m, g.n);
  }
  if (r.transposed) return r;
  const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k);
  if (force >= 0) {
    if (force == 1 && base->narrow != nullptr) r.kr = base->narrow;
    if (force == 2 && base->small != nullptr) r.kr = base->small;
    return r;
  }
  if (base->narrow != nullptr && g.n <= base->narrow->nr) {
    r.kr = base->narrow;
    return r;
  }
  if (base->small != nullptr) {
    // Tiny products, and short C (m <= 128: a training batch) whose last row panel the
    // main tile would leave at least half empty (64 rows = 8 x 8 rather than 6 x 12 - 8);
    // otherwise the main tile's better reuse of B wins.
    const std::ptrdiff_t waste_main = ceil_div(g.m, base->mr) * base->mr - g.m;
    const std::ptrdiff_t waste_small = ceil_div(g.m, base->small->mr) * base->small->mr - g.m;
    if (flops <= kDirectAMaxFlops || (g.m <= kDirectBMaxM && 2 * (waste_main - waste_small) >= base->mr)) {
      r.kr = base->small;
    }
  }
  return r;
}

// The prepacked A of g if it fits the route's config and g's op(A), else null.
const PackedA* usable_packed_a(const SgemmArgs& g, const Route& r) noexcept {
  const PackedA* pa = g.packed_a;
  if (pa == nullptr || r.kind != Route::kPlan || r.transposed || pa->config != r.kr) return nullptr;
  return pa->m == g.m && pa->k == g.k && pa->trans_a == g.trans_a && pa->data != nullptr ? pa : nullptr;
}

// Likewise the prepacked B.
const PackedB* usable_packed_b(const SgemmArgs& g, const Route& r) noexcept {
  const PackedB* pb = g.packed_b;
  if (pb == nullptr || r.kind != Route::kPlan || r.transposed || pb->config != r.kr) return nullptr;
  return pb->n == g.n && pb->k == g.k && pb->trans_b == g.trans_b && pb->data != nullptr ? pb : nullptr;
}

// The PackedB description of op(B) of g packed for config kr at data.
PackedB packed_b_of(const GemmKernels& kr, const SgemmArgs& g, const float* data) noexcept {
  PackedB v;
  v.config = &kr;
  v.trans_b = g.trans_b;
  v.n = g.n;
  v.k = g.k;
  v.n_padded = ceil_div(g.n, kr.nr) * kr.nr;
  v.data = data;
  return v;
}

// Staged B: a product on the pool with A taller than a training batch packs all of op(B)
// once, shared by the threads, and then runs as with a prepacked B (cut by rows, each
// thread packing its own rows of A). Cut by columns instead, the threads read an A
// packed by the other core (SharedA); cut by rows with B packed per region, every
// thread packs all of B. (BLIS shares its packed B block among the threads the same
// way.) MNIST MLP predict at batch 256, live model, 2 threads, three runs of 30
// interleaved slices in one process: 1.00x, 1.03x, 1.06x (55 of 90 slices ahead); the
// GEMM bench's square and 256-row shapes beside OpenBLAS: no change outside the noise.
// Where the rows are stolen (run_stealing) each column block is packed by the first
// thread to reach it, just before its first use, rather than all of B first: the same
// predict 1.02-1.03x (17 of 24, 22 of 30 slices).
// Up to this many floats of packed B (kept between calls by the calling thread).
constexpr double kStagedBMaxFloats = double(1 << 21);
constexpr std::ptrdiff_t kStagedBChunkPanels = 8;  // column panels per packing task
thread_local ReusedBuffer t_staged_b;

// The buffer a staged B is packed into, described as the packed op(B) it will hold (not
// packed yet: run_stealing packs it as the threads reach its column blocks, otherwise
// run_plan packs it all first with pack_staged_b); false when B is not staged.
bool stage_b(const GemmKernels& kr, const SgemmArgs& g, PackedB* out) noexcept {
  const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k);
  const std::ptrdiff_t panels_n = ceil_div(g.n, kr.nr), n_padded = panels_n * kr.nr;
  if (g.m <= kDirectBMaxM || flops < kParallelMinFlops || num_threads() < 2 ||
      static_cast<double>(n_padded) * static_cast<double>(g.k) > kStagedBMaxFloats) {
    return false;
  }
  float* dst = pack_buffer(t_staged_b, static_cast<std::size_t>(n_padded * g.k));
  if (dst == nullptr) return false;  // pack per region instead
  *out = packed_b_of(kr, g, dst);
  return true;
}

// Packs all of a staged B before the product, every thread taking chunks of it.
void pack_staged_b(const GemmKernels& kr, const SgemmArgs& g, const PackedB& staged) noexcept {
  const std::ptrdiff_t panels_n = ceil_div(g.n, kr.nr), n_padded = panels_n * kr.nr;
  float* dst = const_cast<float*>(staged.data);
  const std::ptrdiff_t kc = k_block(kr, g.k), blocks = ceil_div(g.k, kc);
  const std::ptrdiff_t chunks = ceil_div(panels_n, kStagedBChunkPanels);
  parallel_for(blocks * chunks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t pc = t / chunks * kc, kcur = min_of(kc, g.k - pc);
    const std::ptrdiff_t c0 = t % chunks * kStagedBChunkPanels * kr.nr, cols = min_of(kStagedBChunkPanels * kr.nr, g.n - c0);
    const float* bsrc = g.trans_b ? g.b + c0 * g.ldb + pc : g.b + pc * g.ldb + c0;
    kr.pack_b(g.trans_b, kcur, cols, bsrc, g.ldb, dst + packed_offset(n_padded, pc, c0, kcur));
  });
}

}  // namespace

Status sgemm(const SgemmArgs& g) noexcept {
  Status st = sgemm_check(g);
  if (st != Status::kOk) return st;
  const KernelTable& kt = kernels();
  const Route r = route_of(g, kt);
  switch (r.kind) {
    case Route::kNothing:
      return Status::kOk;
    case Route::kEpilogueOnly:
      epilogue_only(g, vector_activation(kt, g.activation));
      return Status::kOk;
    case Route::kGemv:
      return run_gemv(*r.kr, g, vector_activation(kt, g.activation));
    case Route::kPlan:
      break;
  }
  if (r.transposed) {
    SgemmArgs t = g;
    t.m = g.n;
    t.n = g.m;
    t.a = g.b;
    t.lda = g.ldb;
    t.trans_a = !g.trans_b;
    t.b = g.a;
    t.ldb = g.lda;
    t.trans_b = !g.trans_a;
    t.packed_a = nullptr;
    t.packed_b = nullptr;
    return run_plan(*r.kr, t, true, nullptr, nullptr);
  }
  const PackedB* pb = usable_packed_b(g, r);
  PackedB staged;
  if (pb == nullptr && __atomic_load_n(&g_force_direct, __ATOMIC_RELAXED) < 0 && stage_b(*r.kr, g, &staged)) {
    return run_plan(*r.kr, g, false, usable_packed_a(g, r), &staged, true);
  }
  return run_plan(*r.kr, g, false, usable_packed_a(g, r), pb);
}

namespace {

// Whether two m x n blocks with row stride ldc, d >= 0 elements apart, share no element:
// the later one starts q rows and r columns on; if its rows run past ldc they wrap
// into the next row's first columns.
bool blocks_disjoint(std::ptrdiff_t d, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t ldc) noexcept {
  const std::ptrdiff_t q = d / ldc, r = d % ldc;
  return q >= m || (r >= n && (r + n <= ldc || q + 1 >= m));
}

}  // namespace

// They are translates of one block, so it suffices to check every offset difference
// of the lattice (about 2 * items of them); stops at the first overlap.
bool sgemm_batch_outputs_disjoint(const SgemmArgs& g, const GemmBatch& b) noexcept {
  if (g.m == 0 || g.n == 0) return true;
  const std::ptrdiff_t n0 = b.count[0], n1 = b.count[1];
  for (std::ptrdiff_t di = 0; di < n0; ++di) {
    // each unordered pair once, never (0, 0): with di = 0 only dj > 0
    for (std::ptrdiff_t dj = di == 0 ? 1 : -(n1 - 1); dj < n1; ++dj) {
      std::ptrdiff_t d = di * b.c_stride[0] + dj * b.c_stride[1];
      if (d < 0) d = -d;
      if (!blocks_disjoint(d, g.m, g.n, g.ldc)) return false;
    }
  }
  return true;
}

Status sgemm_batched(const SgemmArgs& proto, const GemmBatch& batch) noexcept {
  Status st = sgemm_check(proto);
  if (st != Status::kOk) return st;
  const std::ptrdiff_t n0 = batch.count[0], n1 = batch.count[1];
  if (n0 < 0 || n1 < 0) return Status::kInvalidArgument;
  for (int d = 0; d < 2; ++d) {
    if (batch.a_stride[d] < 0 || batch.b_stride[d] < 0 || batch.c_stride[d] < 0) return Status::kInvalidArgument;
  }
  const std::ptrdiff_t items = n0 * n1;
  if (items == 0 || proto.m == 0 || proto.n == 0) return Status::kOk;
  auto item = [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i = t / n1, j = t % n1;
    SgemmArgs g = proto;
    g.packed_a = nullptr;
    g.packed_b = nullptr;
    g.a = proto.a + i * batch.a_stride[0] + j * batch.a_stride[1];
    g.b = proto.b + i * batch.b_stride[0] + j * batch.b_stride[1];
    g.c = proto.c + i * batch.c_stride[0] + j * batch.c_stride[1];
    return sgemm(g);
  };
  // Products too small to be worth splitting (sgemm would keep each on one thread)
  // share the pool by item; larger ones keep their own parallel split. Either way each
  // item's sums run in the same order, so the choice does not change any bit. Items
  // run concurrently only when their C blocks are provably disjoint (otherwise, in
  // order: overlapping outputs are the caller's error, but never a data race).
  const double flops = 2.0 * static_cast<double>(proto.m) * static_cast<double>(proto.n) * static_cast<double>(proto.k);
  if (flops < kParallelMinFlops && items > 1 && sgemm_batch_outputs_disjoint(proto, batch)) {
    bool oom = false;
    parallel_for(items, [&](std::ptrdiff_t t) {
      if (item(t) != Status::kOk) __atomic_store_n(&oom, true, __ATOMIC_RELAXED);
    });
    return oom ? Status::kOutOfMemory : Status::kOk;
  }
  for (std::ptrdiff_t t = 0; t < items; ++t) {
    st = item(t);
    if (st != Status::kOk) return st;
  }
  return Status::kOk;
}

namespace {

// The config whose packed A or B a product of g's sizes would read, or null (no packed path).
const GemmKernels* packed_a_config(const SgemmArgs& g) noexcept {
  if (sgemm_check(g) != Status::kOk) return nullptr;
  const Route r = route_of(g, kernels());
  return r.kind == Route::kPlan && !r.transposed ? r.kr : nullptr;
}

}  // namespace

std::ptrdiff_t sgemm_packed_a_floats(const SgemmArgs& g) noexcept {
  const GemmKernels* kr = packed_a_config(g);
  return kr == nullptr ? 0 : ceil_div(g.m, kr->mr) * kr->mr * g.k;
}

void sgemm_pack_a(const SgemmArgs& g, float* dst, PackedA* out) noexcept {
  *out = PackedA{};
  const GemmKernels* config = packed_a_config(g);
  if (config == nullptr || dst == nullptr) return;
  const GemmKernels& kr = *config;
  const std::ptrdiff_t m_padded = ceil_div(g.m, kr.mr) * kr.mr;
  const std::ptrdiff_t kc = k_block(kr, g.k);
  for (std::ptrdiff_t pc = 0; pc < g.k; pc += kc) {
    const std::ptrdiff_t kcur = min_of(kc, g.k - pc);
    const float* asrc = g.trans_a ? g.a + pc * g.lda : g.a + pc;
    kr.pack_a(g.trans_a, g.m, kcur, asrc, g.lda, dst + packed_offset(m_padded, pc, 0, kcur));
  }
  out->config = &kr;
  out->trans_a = g.trans_a;
  out->m = g.m;
  out->k = g.k;
  out->m_padded = m_padded;
  out->data = dst;
}

namespace {

// The config whose packed B a product of g's sizes would read and its number (see
// sgemm_packed_b_config), or null / 0: one route decision for both.
const GemmKernels* packed_b_config(const SgemmArgs& g, int* number) noexcept {
  *number = 0;
  const GemmKernels* kr = packed_a_config(g);  // the same paths read packed A and B
  if (kr == nullptr) return nullptr;
  const GemmKernels* base = kernels().gemm;
  const int which = kr == base ? 0 : kr == base->narrow ? 1 : 2;
  *number = 1 + 3 * static_cast<int>(active_isa()) + which;
  return kr;
}

}  // namespace

int sgemm_packed_b_config(const SgemmArgs& g) noexcept {
  int number = 0;
  packed_b_config(g, &number);
  return number;
}

std::ptrdiff_t sgemm_packed_b_floats(const SgemmArgs& g) noexcept {
  int number = 0;
  const GemmKernels* kr = packed_b_config(g, &number);
  return kr == nullptr ? 0 : ceil_div(g.n, kr->nr) * kr->nr * g.k;
}

int sgemm_pack_b(const SgemmArgs& g, float* dst, std::ptrdiff_t capacity, PackedB* out) noexcept {
  *out = PackedB{};
  int number = 0;
  const GemmKernels* config = packed_b_config(g, &number);
  if (config == nullptr || dst == nullptr) return 0;
  const GemmKernels& kr = *config;
  const std::ptrdiff_t n_padded = ceil_div(g.n, kr.nr) * kr.nr;
  if (capacity < n_padded * g.k) return 0;
  const std::ptrdiff_t kc = k_block(kr, g.k);
  for (std::ptrdiff_t pc = 0; pc < g.k; pc += kc) {
    const std::ptrdiff_t kcur = min_of(kc, g.k - pc);
    const float* bsrc = g.trans_b ? g.b + pc : g.b + pc * g.ldb;
    kr.pack_b(g.trans_b, kcur, g.n, bsrc, g.ldb, dst + packed_offset(n_padded, pc, 0, kcur));
  }
  *out = packed_b_of(kr, g, dst);
  return number;
}

PackedB sgemm_packed_b_view(const SgemmArgs& g, int config, const float* data, std::ptrdiff_t length) noexcept {
  PackedB v;
  int number = 0;
  const GemmKernels* kr = packed_b_config(g, &number);
  if (kr == nullptr || number != config || data == nullptr) return v;
  if (length != ceil_div(g.n, kr->nr) * kr->nr * g.k) return v;
  return packed_b_of(*kr, g, data);
}

namespace {

// The shared packed A for regions side by side (see SharedA), in the caller's
// buffers; false (each region packs its own) when the plan shares none or scratch fails.
bool make_shared_a(const GemmKernels& kr, const SgemmArgs& g, const Plan& p, SharedA* sh) noexcept {
  if (!p.share_a) return false;
  const std::ptrdiff_t m_padded = ceil_div(g.m, kr.mr) * kr.mr;
  sh->m_padded = m_padded;
  sh->groups = ceil_div(m_padded, kSharedGroupPanels * kr.mr);
  sh->data = pack_buffer(t_shared_a, static_cast<std::size_t>(m_padded * g.k));
  sh->state = t_claims.get(static_cast<std::size_t>(sh->groups * ceil_div(g.k, p.kc)));
  return sh->data != nullptr && sh->state != nullptr;
}

// Row regions with work stealing. A product cut into row regions over a packed B
// (prepacked or staged) gives each thread the same share, but on a shared machine the
// two cores rarely run at the same speed: in the MNIST MLP's 256 x 500 x 784 frozen
// predict at two threads one region ended 3-11% after the other on average, the faster
// core spinning meanwhile. Each region is therefore a queue of units (a column block x
// a few row panels, column-block-major) that its owner takes from the front, packing
// each row chunk of A once on the first column block; a thread done with its own
// region takes units from the back of another's, packing just that unit's rows itself.
// One K block only (K <= the config's K block), so a unit is a whole C tile range and
// every element still gets the same micro-kernel sum: the bits do not depend on which
// thread computes it.
constexpr std::ptrdiff_t kStealChunkPanels = 4;  // row panels per unit

struct StealRegion {
  std::ptrdiff_t m0 = 0, m1 = 0;
  std::ptrdiff_t chunks = 0;       // row chunks; units = chunks * column blocks
  std::ptrdiff_t first_block = 0;  // the column block of its first units
  // Low 32 bits: the owner's next unit; high 32: one past the last unit not yet taken.
  std::atomic<std::uint64_t> ends{0};
  std::atomic<bool> owned{false};  // some thread takes its front (only one ever does)
};

// Takes the front unit (the owner) or the back one (a thief); false when none is left.
bool take_unit(std::atomic<std::uint64_t>& ends, bool front, std::ptrdiff_t* unit) noexcept {
  std::uint64_t w = ends.load(std::memory_order_relaxed);
  for (;;) {
    const std::uint64_t f = w & 0xffffffffu, b = w >> 32;
    if (f >= b) return false;
    const std::uint64_t next = front ? (b << 32) | (f + 1) : ((b - 1) << 32) | f;
    if (ends.compare_exchange_weak(w, next, std::memory_order_acq_rel, std::memory_order_relaxed)) {
      *unit = static_cast<std::ptrdiff_t>(front ? f : b - 1);
      return true;
    }
  }
}

// Tiles of C rows [i0, i1) x columns [j0, j1) of a one-K-block product from packed A
// (the panel of row i0 at apacked) and packed B (the panel of column j0 at bpacked).
void packed_tiles(const GemmKernels& kr, const SgemmArgs& g, std::ptrdiff_t i0, std::ptrdiff_t i1,
                  std::ptrdiff_t j0, std::ptrdiff_t j1, const float* apacked, const float* bpacked) noexcept {
  GemmEpilogue ep;
  ep.alpha = g.alpha;
  ep.beta = g.beta;
  ep.activation = g.activation;
  for (std::ptrdiff_t i = i0; i < i1; i += kr.mr) {
    const float* ap = apacked + (i - i0) * g.k;
    const std::ptrdiff_t m_eff = min_of(kr.mr, i1 - i);
    for (std::ptrdiff_t j = j0; j < j1; j += kr.nr) {
      ep.bias = g.bias != nullptr ? g.bias + j : nullptr;
      kr.ukernel(g.k, ap, bpacked + (j - j0) * g.k, kr.nr, g.c + i * g.ldc + j, g.ldc, m_eff, min_of(kr.nr, j1 - j), ep);
    }
  }
}

// Whether run_plan may cut g by stealing row regions (see StealRegion).
bool can_steal(const GemmKernels& kr, const SgemmArgs& g, const Plan& p, const PackedA* packed,
               const PackedB* packed_b) noexcept {
  return packed_b != nullptr && packed == nullptr && p.tasks_n == 1 && p.tasks_m >= 2 && !p.direct_a &&
         g.k <= p.kc && p.region_m <= p.mc && ceil_div(g.n, p.nc) * ceil_div(p.region_m, kStealChunkPanels * kr.mr) < (1L << 30) &&
         __atomic_load_n(&g_steal_mode, __ATOMIC_RELAXED) != 1;
}

Status run_stealing(const GemmKernels& kr, const SgemmArgs& g, const Plan& p, const PackedB& packed_b,
                    bool pack_b_lazily) noexcept {
  StealRegion regions[kMaxThreads];
  const std::ptrdiff_t n_regions = p.tasks_m;  // at most the thread count (make_plan)
  const std::ptrdiff_t panels_m = ceil_div(g.m, kr.mr), chunk_rows = kStealChunkPanels * kr.mr;
  const std::ptrdiff_t col_blocks = ceil_div(g.n, p.nc);
  for (std::ptrdiff_t r = 0; r < n_regions; ++r) {
    StealRegion& reg = regions[r];
    reg.m0 = r * panels_m / n_regions * kr.mr;
    reg.m1 = min_of((r + 1) * panels_m / n_regions * kr.mr, g.m);
    reg.chunks = ceil_div(reg.m1 - reg.m0, chunk_rows);
    reg.first_block = r * col_blocks / n_regions;
    reg.ends.store(static_cast<std::uint64_t>(reg.chunks * col_blocks) << 32, std::memory_order_relaxed);
  }
  bool oom = false;
  // The rows and columns of unit u of region reg.
  auto unit_range = [&](const StealRegion& reg, std::ptrdiff_t u, std::ptrdiff_t* i0, std::ptrdiff_t* i1,
                        std::ptrdiff_t* j0, std::ptrdiff_t* j1) {
    *i0 = reg.m0 + u % reg.chunks * chunk_rows;
    *i1 = min_of(*i0 + chunk_rows, reg.m1);
    *j0 = (reg.first_block + u / reg.chunks) % col_blocks * p.nc;
    *j1 = min_of(*j0 + p.nc, g.n);
  };
  // A staged B is packed a column block at a time by the first thread to reach it, so
  // each block is packed just before its first use, mostly in the cache of the core
  // that uses it; a thread reaching a block another is packing waits for it (never
  // while holding a claim of its own, so this cannot deadlock).
  std::atomic<int>* b_state = nullptr;
  if (pack_b_lazily) {
    b_state = t_claims_b.get(static_cast<std::size_t>(col_blocks));
    if (b_state == nullptr) return Status::kOutOfMemory;
  }
  float* const bdata = const_cast<float*>(packed_b.data);
  auto b_block = [&](std::ptrdiff_t j0) -> const float* {
    float* dst = bdata + j0 * g.k;
    if (b_state == nullptr) return dst;
    std::atomic<int>& st = b_state[j0 / p.nc];
    int free_state = 0;
    if (st.load(std::memory_order_acquire) == 0 &&
        st.compare_exchange_strong(free_state, 1, std::memory_order_acquire, std::memory_order_relaxed)) {
      kr.pack_b(g.trans_b, g.k, min_of(p.nc, g.n - j0), g.trans_b ? g.b + j0 * g.ldb : g.b + j0, g.ldb, dst);
      st.store(2, std::memory_order_release);
      return dst;
    }
    SpinWait wait;
    while (st.load(std::memory_order_acquire) != 2) wait.step();
    return dst;
  };
  // Rows [i0, i1) of op(A), packed at dst.
  auto pack_rows = [&](std::ptrdiff_t i0, std::ptrdiff_t i1, float* dst) {
    kr.pack_a(g.trans_a, i1 - i0, g.k, g.trans_a ? g.a + i0 : g.a + i0 * g.lda, g.lda, dst);
  };
  const bool thieves_first = __atomic_load_n(&g_steal_mode, __ATOMIC_RELAXED) == 2;
  parallel_for(n_regions, [&](std::ptrdiff_t r) {
    float* abuf = pack_buffer(t_pack_a, static_cast<std::size_t>(ceil_div(p.region_m, kr.mr) * kr.mr * g.k));
    if (abuf == nullptr) {
      __atomic_store_n(&oom, true, __ATOMIC_RELAXED);
      return;  // its units are left to the others (or, if every buffer failed, to nobody: kOutOfMemory)
    }
    std::ptrdiff_t u, i0, i1, j0, j1;
    auto steal = [&] {
      for (std::ptrdiff_t off = 1; off < n_regions; ++off) {
        StealRegion& other = regions[(r + off) % n_regions];
        while (take_unit(other.ends, false, &u)) {
          unit_range(other, u, &i0, &i1, &j0, &j1);
          pack_rows(i0, i1, abuf);
          packed_tiles(kr, g, i0, i1, j0, j1, abuf, b_block(j0));
        }
      }
    };
    if (thieves_first) steal();
    // Own this task's region and then any no thread has started (the pool busy with
    // another caller runs every task on this thread: owning, it packs each row chunk
    // once rather than once per stolen unit), then steal from the others.
    for (std::ptrdiff_t off = 0; off < n_regions; ++off) {
      StealRegion& own = regions[(r + off) % n_regions];
      bool unowned = false;
      if (!own.owned.compare_exchange_strong(unowned, true, std::memory_order_acq_rel)) continue;
      while (take_unit(own.ends, true, &u)) {
        unit_range(own, u, &i0, &i1, &j0, &j1);
        float* ap = abuf + (i0 - own.m0) * g.k;
        // Only the owner takes from the front, in order, so the first column block's
        // units pack every chunk of A the later ones read.
        if (u < own.chunks) pack_rows(i0, i1, ap);
        packed_tiles(kr, g, i0, i1, j0, j1, ap, b_block(j0));
      }
    }
    steal();
  });
  return oom ? Status::kOutOfMemory : Status::kOk;
}

Status run_plan(const GemmKernels& kr, const SgemmArgs& g, bool transposed, const PackedA* packed,
                const PackedB* packed_b, bool b_staged) noexcept {
  Plan p = make_plan(kr, g, packed_b != nullptr);
  if (packed_b != nullptr) p.direct_b = false;
  if (!transposed && can_steal(kr, g, p, packed, packed_b)) return run_stealing(kr, g, p, *packed_b, b_staged);
  if (b_staged) pack_staged_b(kr, g, *packed_b);
  SharedA shared;
  const SharedA* sh = packed == nullptr && make_shared_a(kr, g, p, &shared) ? &shared : nullptr;
  bool oom = false;
  // Regions get whole panels, spread evenly (widths differ by at most one panel, none
  // wider than region_m x region_n): cut at the plan's fixed width, the last region
  // could be a sliver (500 columns in 6: five of 6 panels and one of 2), and the thread
  // that claims it waits for the other.
  const std::ptrdiff_t panels_m = ceil_div(g.m, kr.mr), panels_n = ceil_div(g.n, kr.nr);
  parallel_for(p.tasks_m * p.tasks_n, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t tm = t / p.tasks_n, tn = t % p.tasks_n;
    const std::ptrdiff_t m0 = tm * panels_m / p.tasks_m * kr.mr, m1 = min_of((tm + 1) * panels_m / p.tasks_m * kr.mr, g.m);
    const std::ptrdiff_t n0 = tn * panels_n / p.tasks_n * kr.nr, n1 = min_of((tn + 1) * panels_n / p.tasks_n * kr.nr, g.n);
    if (!gemm_region(kr, g, p, m0, m1, n0, n1, transposed, packed, sh, packed_b)) {
      __atomic_store_n(&oom, true, __ATOMIC_RELAXED);
    }
  });
  return oom ? Status::kOutOfMemory : Status::kOk;
}

}  // namespace

}  // namespace axonal
