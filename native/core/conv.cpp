// Convolution and pooling drivers: im2col + sgemm per image and group, col2im for
// the input gradient, per-plane pooling kernels. Task boundaries are channels or
// planes (and blocks of them), never thread counts; reductions over images run in
// image order, so results are identical for any thread count.
#include "axonal/conv.h"

#include <cstdlib>
#include <cstring>

#include "axonal/dispatch.h"
#include "axonal/gemm.h"
#include "axonal/reused_buffer.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kGrain = 1 << 14;  // elements per task, roughly

// Rows of `len` elements per task so that a task touches about kGrain elements.
std::ptrdiff_t rows_per_task(std::ptrdiff_t len) noexcept {
  const std::ptrdiff_t r = kGrain / (len > 0 ? len : 1);
  return r < 1 ? 1 : r;
}

// Runs fn(r) for r in [0, rows), in blocks of rows_per_task(len).
template <class F>
void for_rows(std::ptrdiff_t rows, std::ptrdiff_t len, const F& fn) noexcept {
  if (rows <= 0) return;
  const std::ptrdiff_t per = rows_per_task(len);
  parallel_for((rows + per - 1) / per, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r1 = (t + 1) * per < rows ? (t + 1) * per : rows;
    for (std::ptrdiff_t r = t * per; r < r1; ++r) fn(r);
  });
}

PlaneGeom plane_of(const Conv2dGeom& g) noexcept {
  PlaneGeom p;
  p.h = g.h;
  p.w = g.w;
  p.oh = g.oh;
  p.ow = g.ow;
  p.kh = g.kh;
  p.kw = g.kw;
  p.sh = g.sh;
  p.sw = g.sw;
  p.ph = g.ph;
  p.pw = g.pw;
  p.dh = g.dh;
  p.dw = g.dw;
  return p;
}

// A 1x1 kernel with stride 1 and no padding: the columns are the input itself.
bool is_pointwise(const Conv2dGeom& g) noexcept {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0;
}

constexpr std::ptrdiff_t kMaxPackedGroups = 8;

struct Scratch {
  float* p = nullptr;
  ~Scratch() { std::free(p); }
  bool alloc(std::ptrdiff_t n) noexcept {
    p = static_cast<float*>(std::malloc(sizeof(float) * static_cast<std::size_t>(n > 0 ? n : 1)));
    return p != nullptr;
  }
};

void bias_add(float* y, const float* bias, std::ptrdiff_t n, std::ptrdiff_t ch, std::ptrdiff_t plane) noexcept {
  if (bias == nullptr) return;
  for_rows(n * ch, plane, [&](std::ptrdiff_t r) {
    const float b = bias[r % ch];
    float* row = y + r * plane;
    for (std::ptrdiff_t i = 0; i < plane; ++i) row[i] += b;
  });
}

// out[c] = sum over images and the plane of t[n][c], in double, image order: each
// plane through the ISA's vector sum (one serial chain of double adds was a tenth of
// LeNet conv1's backward).
void channel_sums(const float* t, float* out, std::ptrdiff_t n, std::ptrdiff_t ch, std::ptrdiff_t plane) noexcept {
  const ReduceKernels& rk = *kernels().reduce;
  for_rows(ch, n * plane, [&](std::ptrdiff_t c) {
    double s = 0.0;
    for (std::ptrdiff_t i = 0; i < n; ++i) s += rk.sum(plane, t + (i * ch + c) * plane);
    out[c] = static_cast<float>(s);
  });
}

SgemmArgs gemm_args(bool ta, bool tb, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const float* a,
                    std::ptrdiff_t lda, const float* b, std::ptrdiff_t ldb, float beta, float* c,
                    std::ptrdiff_t ldc) noexcept {
  SgemmArgs s;
  s.trans_a = ta;
  s.trans_b = tb;
  s.m = m;
  s.n = n;
  s.k = k;
  s.alpha = 1.0f;
  s.a = a;
  s.lda = lda > 0 ? lda : 1;
  s.b = b;
  s.ldb = ldb > 0 ? ldb : 1;
  s.beta = beta;
  s.c = c;
  s.ldc = ldc > 0 ? ldc : 1;
  return s;
}

Status gemm(bool ta, bool tb, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const float* a, std::ptrdiff_t lda,
            const float* b, std::ptrdiff_t ldb, float beta, float* c, std::ptrdiff_t ldc,
            const PackedA* packed_a = nullptr) noexcept {
  SgemmArgs s = gemm_args(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
  s.packed_a = packed_a;
  return sgemm(s);
}

// The forward's weights (A of every image's or band's GEMM, one per group), packed once
// per call instead of once per band and image: the packing was a tenth of a 3x3
// 64-channel forward. n is the width of a full band or block (it picks the kernel
// config; a narrower last one that picks another config packs as usual).
struct PackedWeights {
  Scratch buf;
  PackedA groups[kMaxPackedGroups];
  bool pack(const Conv2dGeom& g, const float* w, std::ptrdiff_t n) noexcept {
    const std::ptrdiff_t og = g.o / g.groups, ck = (g.c / g.groups) * g.kh * g.kw;
    if (g.groups > kMaxPackedGroups) return true;  // many small groups: pack per GEMM
    std::ptrdiff_t per = 0;
    for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
      const SgemmArgs a = gemm_args(false, false, og, n, ck, w + gr * og * ck, ck, nullptr, n, 0.0f, nullptr, n);
      if (gr == 0) {  // every group has the same sizes
        per = sgemm_packed_a_floats(a);
        if (per == 0) return true;
        if (!buf.alloc(per * g.groups)) return false;
      }
      sgemm_pack_a(a, buf.p + gr * per, &groups[gr]);
    }
    return true;
  }
  const PackedA* of(std::ptrdiff_t gr) const noexcept {
    return gr < kMaxPackedGroups && groups[gr].data != nullptr ? &groups[gr] : nullptr;
  }
};

// Records the first failure of any task.
struct SharedStatus {
  int code = 0;
  void set(Status st) noexcept {
    int expected = 0;
    if (st != Status::kOk) __atomic_compare_exchange_n(&code, &expected, static_cast<int>(st), false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
  }
  Status get() const noexcept { return static_cast<Status>(__atomic_load_n(&code, __ATOMIC_RELAXED)); }
};

// Images are processed in blocks: a block's columns sit side by side in one matrix
// (ck rows of nb*l), so one GEMM per group covers nb images. Small planes (LeNet's
// 10x10 outputs) then give the GEMM a few hundred columns instead of a 100-column
// sliver per image, and the weights are packed once per block instead of per image;
// planes of 512 outputs or more stay one image per block. The block size comes from
// the sizes alone, so every sum is ordered the same way at any thread count: the
// weight gradient sums a block's images inside one GEMM and the blocks' partial
// sums in block order.
constexpr std::ptrdiff_t kBlockColumns = 512;           // GEMM columns a block aims for
constexpr std::ptrdiff_t kBlockColumnFloats = 1 << 18;  // a block's columns: ~1 MiB (L2)
constexpr std::ptrdiff_t kMinBlocks = 8;                // blocks to spread over threads

struct Blocking {
  std::ptrdiff_t nb;      // images per block (the last block may have fewer)
  std::ptrdiff_t blocks;  // ceil(n / nb)
};

Blocking blocking_of(const Conv2dGeom& g) noexcept {
  const std::ptrdiff_t l = g.oh * g.ow, per_image = g.c * g.kh * g.kw * l;
  std::ptrdiff_t nb = kBlockColumns / (l > 0 ? l : 1);
  const std::ptrdiff_t by_cache = kBlockColumnFloats / (per_image > 0 ? per_image : 1);
  const std::ptrdiff_t by_threads = (g.n + kMinBlocks - 1) / kMinBlocks;
  if (nb > by_cache) nb = by_cache;
  if (nb > by_threads) nb = by_threads;
  if (nb < 1) nb = 1;
  return {nb, (g.n + nb - 1) / nb};
}

// Per thread and role, kept between calls.
thread_local ReusedBuffer t_cols;  // a block's columns (or their gradient)
thread_local ReusedBuffer t_rows;  // a block's outputs (or output gradients) side by side

// The row stride of a block's column matrix: nb*l, padded when that is a multiple of
// 512 bytes, whose rows would share a few L1 sets and make the GEMM pack them
// instead of reading them in place.
std::ptrdiff_t cols_ld(std::ptrdiff_t cols) noexcept { return cols % 128 == 0 ? cols + 16 : cols; }

// Columns of images [i0, i0 + nb) into cols (c*kh*kw rows, ld apart). `parallel`
// spreads the channels over the pool (used when there is a single block).
void pack_block(const Conv2dGeom& g, const float* x, std::ptrdiff_t i0, std::ptrdiff_t nb, float* cols,
                std::ptrdiff_t ld, bool parallel) noexcept {
  const PlaneGeom p = plane_of(g);
  const std::ptrdiff_t l = g.oh * g.ow, in_plane = g.h * g.w, kk = g.kh * g.kw;
  const Im2colFn fn = kernels().conv->im2col;
  auto one = [&](std::ptrdiff_t r) {
    const std::ptrdiff_t j = r / g.c, c = r % g.c;
    fn(x + ((i0 + j) * g.c + c) * in_plane, cols + c * kk * ld + j * l, ld, p);
  };
  if (parallel) {
    for_rows(nb * g.c, kk * l, one);
  } else {
    for (std::ptrdiff_t r = 0; r < nb * g.c; ++r) one(r);
  }
}

// The adjoint of pack_block: images [i0, i0 + nb) of x (overwritten) from dcols.
void unpack_block(const Conv2dGeom& g, const float* dcols, std::ptrdiff_t ld, std::ptrdiff_t i0, std::ptrdiff_t nb,
                  float* x, bool parallel) noexcept {
  const PlaneGeom p = plane_of(g);
  const std::ptrdiff_t l = g.oh * g.ow, in_plane = g.h * g.w, kk = g.kh * g.kw;
  const Col2imFn fn = kernels().conv->col2im;
  auto one = [&](std::ptrdiff_t r) {
    const std::ptrdiff_t j = r / g.c, c = r % g.c;
    fn(dcols + c * kk * ld + j * l, ld, x + ((i0 + j) * g.c + c) * in_plane, p);
  };
  if (parallel) {
    for_rows(nb * g.c, kk * l, one);
  } else {
    for (std::ptrdiff_t r = 0; r < nb * g.c; ++r) one(r);
  }
}

// rows [o, nb*l] <- t[i0 .. i0+nb) (each [o, l]), or the reverse (+ bias per channel).
void gather_rows(const float* t, std::ptrdiff_t i0, std::ptrdiff_t nb, std::ptrdiff_t o, std::ptrdiff_t l,
                 float* rows) noexcept {
  for (std::ptrdiff_t j = 0; j < nb; ++j)
    for (std::ptrdiff_t c = 0; c < o; ++c)
      std::memcpy(rows + c * nb * l + j * l, t + ((i0 + j) * o + c) * l, sizeof(float) * static_cast<std::size_t>(l));
}
void scatter_rows(const float* rows, const float* bias, std::ptrdiff_t i0, std::ptrdiff_t nb, std::ptrdiff_t o,
                  std::ptrdiff_t l, float* t) noexcept {
  for (std::ptrdiff_t j = 0; j < nb; ++j)
    for (std::ptrdiff_t c = 0; c < o; ++c) {
      const float* src = rows + c * nb * l + j * l;
      float* dst = t + ((i0 + j) * o + c) * l;
      const float b = bias != nullptr ? bias[c] : 0.0f;
      for (std::ptrdiff_t k = 0; k < l; ++k) dst[k] = src[k] + b;
    }
}

// Runs fn(block, inner_parallel) over the blocks: blocks in parallel (each block's
// work on its task's thread), or a single block with the pool used inside it.
template <class F>
Status for_blocks(const Blocking& b, const F& fn) noexcept {
  SharedStatus status;
  if (b.blocks == 1) {
    status.set(fn(0, true));
  } else {
    parallel_for(b.blocks, [&](std::ptrdiff_t blk) { status.set(fn(blk, false)); });
  }
  return status.get();
}

std::ptrdiff_t block_images(const Blocking& b, std::ptrdiff_t blk, std::ptrdiff_t n) noexcept {
  const std::ptrdiff_t i0 = blk * b.nb;
  return i0 + b.nb <= n ? b.nb : n - i0;
}

inline std::ptrdiff_t min_of(std::ptrdiff_t a, std::ptrdiff_t b) noexcept { return a < b ? a : b; }

// Output rows [oy0, oy1) of a plane as a plane of their own: the geometry whose im2col
// gives exactly those rows' columns, and how many input rows its x starts below the
// plane's first (padding rows above the range stay padding; rows above the range's
// first input row are skipped).
PlaneGeom row_range(const PlaneGeom& p, std::ptrdiff_t oy0, std::ptrdiff_t oy1, std::ptrdiff_t* x_row) noexcept {
  PlaneGeom r = p;
  const std::ptrdiff_t top = oy0 * p.sh - p.ph;  // input row of the range's first output row, window top
  *x_row = top > 0 ? top : 0;
  r.ph = top > 0 ? 0 : -top;
  r.h = p.h - *x_row;
  r.oh = oy1 - oy0;
  return r;
}

// A single image's columns larger than this are built and multiplied a band of
// output rows at a time, so the band's columns stay in L2 between im2col writing them
// and the GEMM reading them (a whole image's, e.g. 576 x 1024 floats for a 3x3
// 64-channel 32x32 layer, would go out to memory and back).
std::ptrdiff_t g_band_floats_override = 0;  // conv_band_floats_for_testing
std::ptrdiff_t band_floats() noexcept {
  const std::ptrdiff_t v = __atomic_load_n(&g_band_floats_override, __ATOMIC_RELAXED);
  return v > 0 ? v : std::ptrdiff_t{1} << 17;
}

// Output rows per band for image-at-a-time work, or 0 when the whole image's columns
// fit (or banding does not apply: pointwise, several images per block, or padding
// beyond the kernel's reach, where a band's first window row could lie below the plane).
std::ptrdiff_t band_rows_of(const Conv2dGeom& g, const Blocking& b) noexcept {
  // No columns at all (zero input channels): nothing to band, and nothing to divide by.
  const std::ptrdiff_t row_floats = g.c * g.kh * g.kw * g.ow;
  if (b.nb != 1 || is_pointwise(g) || row_floats <= 0 || (g.oh - 1) * g.sh - g.ph >= g.h) return 0;
  const std::ptrdiff_t rows = band_floats() / row_floats;
  return rows >= g.oh ? 0 : rows > 0 ? rows : 1;
}

// The columns of output rows [oy0, oy1) of image i into cols (row stride cld).
void pack_band(const Conv2dGeom& g, const float* x, std::ptrdiff_t i, std::ptrdiff_t oy0, std::ptrdiff_t oy1,
               float* cols, std::ptrdiff_t cld, bool parallel) noexcept {
  const std::ptrdiff_t kk = g.kh * g.kw, in_plane = g.h * g.w;
  std::ptrdiff_t x_row = 0;
  const PlaneGeom band = row_range(plane_of(g), oy0, oy1, &x_row);
  const Im2colFn im2col = kernels().conv->im2col;
  auto one = [&](std::ptrdiff_t c) { im2col(x + (i * g.c + c) * in_plane + x_row * g.w, cols + c * kk * cld, cld, band); };
  if (parallel) {
    for_rows(g.c, kk * (oy1 - oy0) * g.ow, one);
  } else {
    for (std::ptrdiff_t c = 0; c < g.c; ++c) one(c);
  }
}

// For each band of `rows` output rows of image i: its columns packed into the thread's
// column buffer, then fn(oy0, cols, cld, cols_n) with the band's first output row,
// the columns, their row stride and count. Stops at the first failure.
template <class F>
Status for_bands(const Conv2dGeom& g, const float* x, std::ptrdiff_t i, std::ptrdiff_t rows, bool par,
                 const F& fn) noexcept {
  for (std::ptrdiff_t oy0 = 0; oy0 < g.oh; oy0 += rows) {
    const std::ptrdiff_t oy1 = min_of(oy0 + rows, g.oh), cols_n = (oy1 - oy0) * g.ow, cld = cols_ld(cols_n);
    float* cols = t_cols.get(static_cast<std::size_t>(g.c * g.kh * g.kw * cld));
    if (cols == nullptr) return Status::kOutOfMemory;
    pack_band(g, x, i, oy0, oy1, cols, cld, par);
    const Status st = fn(oy0, cols, cld, cols_n);
    if (st != Status::kOk) return st;
  }
  return Status::kOk;
}

// y = conv(x, w) + bias.
Status forward_core(const Conv2dGeom& g, const float* x, const float* w, const float* bias, float* y) noexcept {
  const std::ptrdiff_t l = g.oh * g.ow, cg = g.c / g.groups, og = g.o / g.groups, ck = cg * g.kh * g.kw;
  const bool pointwise = is_pointwise(g);
  const Blocking b = blocking_of(g);
  PackedWeights packed;
  if (const std::ptrdiff_t rows = band_rows_of(g, b); rows > 0) {
    if (!packed.pack(g, w, min_of(rows, g.oh) * g.ow)) return Status::kOutOfMemory;
    return for_blocks(b, [&](std::ptrdiff_t i, bool par) -> Status {
      float* out = y + i * g.o * l;
      const Status st = for_bands(g, x, i, rows, par, [&](std::ptrdiff_t oy0, const float* cols, std::ptrdiff_t cld,
                                                           std::ptrdiff_t cols_n) -> Status {
        for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
          const Status s = gemm(false, false, og, cols_n, ck, w + gr * og * ck, ck, cols + gr * ck * cld, cld, 0.0f,
                                out + gr * og * l + oy0 * g.ow, l, packed.of(gr));
          if (s != Status::kOk) return s;
        }
        return Status::kOk;
      });
      if (st != Status::kOk) return st;
      bias_add(out, bias, 1, g.o, l);
      return Status::kOk;
    });
  }
  if (b.blocks > 1 && !packed.pack(g, w, min_of(b.nb, g.n) * l)) return Status::kOutOfMemory;
  return for_blocks(b, [&](std::ptrdiff_t blk, bool par) -> Status {
    const std::ptrdiff_t i0 = blk * b.nb, nb = block_images(b, blk, g.n), ld = nb * l;
    const float* cols = x + i0 * g.c * l;  // pointwise with one image: the input is its columns
    std::ptrdiff_t cld = ld;
    if (!pointwise || nb > 1) {
      cld = cols_ld(ld);
      float* buf = t_cols.get(static_cast<std::size_t>(g.c * g.kh * g.kw * cld));
      if (buf == nullptr) return Status::kOutOfMemory;
      pack_block(g, x, i0, nb, buf, cld, par);
      cols = buf;
    }
    float* out = y + i0 * g.o * l;
    if (nb > 1) {
      out = t_rows.get(static_cast<std::size_t>(g.o * ld));
      if (out == nullptr) return Status::kOutOfMemory;
    }
    for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
      const Status st = gemm(false, false, og, ld, ck, w + gr * og * ck, ck, cols + gr * ck * cld, cld, 0.0f,
                             out + gr * og * ld, ld, packed.of(gr));
      if (st != Status::kOk) return st;
    }
    if (nb > 1) {
      scatter_rows(out, bias, i0, nb, g.o, l, y);
    } else {
      bias_add(out, bias, 1, g.o, l);
    }
    return Status::kOk;
  });
}

// The gradients of conv(x, w) for dy, in one pass over the image blocks so that a
// block's gathered dy serves both: dx (when not null) = the input gradient, and dw
// (when not null) = sum over images of dy_i col(x_i)^T per group, one GEMM per block
// (its images summed along K), then the blocks' partial sums added in block order.
Status backward_core(const Conv2dGeom& g, const float* x, const float* w, const float* dy, float* dx,
                     float* dw) noexcept {
  const std::ptrdiff_t l = g.oh * g.ow, cg = g.c / g.groups, og = g.o / g.groups, ck = cg * g.kh * g.kw;
  const std::ptrdiff_t wlen = g.o * ck;
  const bool pointwise = is_pointwise(g);
  if (dw != nullptr && g.n == 0) {
    for (std::ptrdiff_t i = 0; i < wlen; ++i) dw[i] = 0.0f;
  }
  const Blocking b = blocking_of(g);
  const std::ptrdiff_t band_rows = band_rows_of(g, b);
  Scratch part;
  const bool partial = dw != nullptr && b.blocks > 1;
  if (partial && !part.alloc(b.blocks * wlen)) return Status::kOutOfMemory;
  const Status st = for_blocks(b, [&](std::ptrdiff_t blk, bool par) -> Status {
    const std::ptrdiff_t i0 = blk * b.nb, nb = block_images(b, blk, g.n), ld = nb * l;
    const float* rows = dy + i0 * g.o * l;
    if (nb > 1) {
      float* buf = t_rows.get(static_cast<std::size_t>(g.o * ld));
      if (buf == nullptr) return Status::kOutOfMemory;
      gather_rows(dy, i0, nb, g.o, l, buf);
      rows = buf;
    }
    if (dx != nullptr) {
      const bool direct = pointwise && nb == 1;  // the columns' gradient is dx itself
      const std::ptrdiff_t cld = direct ? ld : cols_ld(ld);
      float* dcols = direct ? dx + i0 * g.c * l
                            : t_cols.get(static_cast<std::size_t>(g.c * g.kh * g.kw * cld));
      if (dcols == nullptr) return Status::kOutOfMemory;
      for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
        const Status s = gemm(true, false, ck, ld, og, w + gr * og * ck, ck, rows + gr * og * ld, ld, 0.0f,
                              dcols + gr * ck * cld, cld);
        if (s != Status::kOk) return s;
      }
      if (!direct) unpack_block(g, dcols, cld, i0, nb, dx, par);
    }
    if (dw != nullptr && band_rows > 0) {
      // One image (nb = 1): its weight gradient summed band by band along K.
      float* out = partial ? part.p + blk * wlen : dw;
      const Status bst = for_bands(g, x, i0, band_rows, par, [&](std::ptrdiff_t oy0, const float* cols, std::ptrdiff_t cld,
                                                                std::ptrdiff_t cols_n) -> Status {
        for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
          const Status s = gemm(false, true, og, ck, cols_n, rows + gr * og * ld + oy0 * g.ow, ld, cols + gr * ck * cld,
                                cld, oy0 == 0 ? 0.0f : 1.0f, out + gr * og * ck, ck);
          if (s != Status::kOk) return s;
        }
        return Status::kOk;
      });
      if (bst != Status::kOk) return bst;
    } else if (dw != nullptr) {
      const float* cols = x + i0 * g.c * l;
      std::ptrdiff_t cld = ld;
      if (!pointwise || nb > 1) {
        cld = cols_ld(ld);
        float* buf = t_cols.get(static_cast<std::size_t>(g.c * g.kh * g.kw * cld));
        if (buf == nullptr) return Status::kOutOfMemory;
        pack_block(g, x, i0, nb, buf, cld, par);
        cols = buf;
      }
      float* out = partial ? part.p + blk * wlen : dw;
      for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
        const Status s = gemm(false, true, og, ck, ld, rows + gr * og * ld, ld, cols + gr * ck * cld, cld, 0.0f,
                              out + gr * og * ck, ck);
        if (s != Status::kOk) return s;
      }
    }
    return Status::kOk;
  });
  if (st != Status::kOk || !partial) return st;
  for_rows(wlen, b.blocks, [&](std::ptrdiff_t k) {
    float s = part.p[k];
    for (std::ptrdiff_t blk = 1; blk < b.blocks; ++blk) s += part.p[blk * wlen + k];
    dw[k] = s;
  });
  return Status::kOk;
}

}  // namespace

std::ptrdiff_t conv_output_size(std::ptrdiff_t in, std::ptrdiff_t k, std::ptrdiff_t s, std::ptrdiff_t p,
                                std::ptrdiff_t d) noexcept {
  const std::ptrdiff_t span = in + 2 * p - d * (k - 1) - 1;
  if (span < 0) return -1;
  return span / s + 1;
}

std::ptrdiff_t pool_output_size(std::ptrdiff_t in, std::ptrdiff_t k, std::ptrdiff_t s, std::ptrdiff_t p,
                                std::ptrdiff_t d, bool ceil_mode) noexcept {
  std::ptrdiff_t num = in + 2 * p - d * (k - 1) - 1 + (ceil_mode ? s - 1 : 0);
  // division rounding toward negative infinity
  std::ptrdiff_t q = num / s;
  if (num % s != 0 && num < 0) --q;
  std::ptrdiff_t out = q + 1;
  if (ceil_mode && (out - 1) * s >= in + p) --out;
  return out;
}

void conv_band_floats_for_testing(std::ptrdiff_t floats) noexcept {
  __atomic_store_n(&g_band_floats_override, floats, __ATOMIC_RELAXED);
}

Status conv2d_plan(Conv2dGeom* g) noexcept {
  if (g->n < 0 || g->c < 0 || g->h < 0 || g->w < 0 || g->o < 0 || g->kh < 1 || g->kw < 1 || g->sh < 1 ||
      g->sw < 1 || g->ph < 0 || g->pw < 0 || g->dh < 1 || g->dw < 1 || g->groups < 1 || g->c % g->groups != 0 ||
      g->o % g->groups != 0)
    return Status::kInvalidArgument;
  g->oh = conv_output_size(g->h, g->kh, g->sh, g->ph, g->dh);
  g->ow = conv_output_size(g->w, g->kw, g->sw, g->pw, g->dw);
  if (g->oh < 1 || g->ow < 1) return Status::kInvalidArgument;
  return Status::kOk;
}

Status conv2d_fwd(const Conv2dGeom& g, const float* x, const float* weight, const float* bias, float* y) noexcept {
  return forward_core(g, x, weight, bias, y);
}

namespace {

// For stride 1 the input gradient is itself a convolution: dy (padded by d(k-1) - p)
// with the kernel flipped in space and its in/out channels swapped per group, whose
// geometry this is. Needs p <= d(k-1) on both axes (the padding is not negative).
Conv2dGeom transposed_geom(const Conv2dGeom& g) noexcept {
  Conv2dGeom t;
  t.n = g.n; t.c = g.o; t.h = g.oh; t.w = g.ow; t.o = g.c;
  t.kh = g.kh; t.kw = g.kw; t.dh = g.dh; t.dw = g.dw; t.groups = g.groups;
  t.ph = g.dh * (g.kh - 1) - g.ph;
  t.pw = g.dw * (g.kw - 1) - g.pw;
  t.oh = g.h;
  t.ow = g.w;
  return t;
}

// Taken where that convolution runs in bands (large planes: the forward's bands beat
// a whole image's column gradient plus col2im, measured on 3x3 64-channel 32x32) and
// has enough output channels to fill the GEMM's rows (a 1-channel input's gradient
// would be a one-row product; LeNet-sized planes measure faster the direct way).
bool dx_as_forward(const Conv2dGeom& g) noexcept {
  if (g.sh != 1 || g.sw != 1 || g.ph > g.dh * (g.kh - 1) || g.pw > g.dw * (g.kw - 1) || g.c / g.groups < 16) return false;
  const Conv2dGeom t = transposed_geom(g);
  return band_rows_of(t, blocking_of(t)) > 0;
}

Status dx_by_forward(const Conv2dGeom& g, const float* weight, const float* dy, float* dx) noexcept {
  const std::ptrdiff_t cg = g.c / g.groups, og = g.o / g.groups, kk = g.kh * g.kw;
  Scratch flipped;
  if (!flipped.alloc(g.c * og * kk)) return Status::kOutOfMemory;
  // flipped[gr*cg + ci][oi][a][b] = weight[gr*og + oi][ci][kh-1-a][kw-1-b]
  for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr)
    for (std::ptrdiff_t oi = 0; oi < og; ++oi)
      for (std::ptrdiff_t ci = 0; ci < cg; ++ci) {
        const float* src = weight + ((gr * og + oi) * cg + ci) * kk;
        float* dst = flipped.p + ((gr * cg + ci) * og + oi) * kk;
        for (std::ptrdiff_t e = 0; e < kk; ++e) dst[e] = src[kk - 1 - e];
      }
  return forward_core(transposed_geom(g), dy, flipped.p, nullptr, dx);
}

}  // namespace

Status conv2d_bwd(const Conv2dGeom& g, const float* x, const float* weight, const float* dy, float* dx,
                  float* dweight, float* dbias) noexcept {
  if (dx != nullptr && dx_as_forward(g)) {
    const Status st = dx_by_forward(g, weight, dy, dx);
    if (st != Status::kOk) return st;
    dx = nullptr;
  }
  if (dx != nullptr || dweight != nullptr) {
    const Status st = backward_core(g, x, weight, dy, dx, dweight);
    if (st != Status::kOk) return st;
  }
  if (dbias != nullptr) channel_sums(dy, dbias, g.n, g.o, g.oh * g.ow);
  return Status::kOk;
}

namespace {

// Planes of xh x xw copied into the top-left of oh x ow planes (zeros elsewhere), or back.
void embed_planes(const float* src, float* dst, std::ptrdiff_t planes, std::ptrdiff_t xh, std::ptrdiff_t xw,
                  std::ptrdiff_t oh, std::ptrdiff_t ow) noexcept {
  for_rows(planes, oh * ow, [&](std::ptrdiff_t p) {
    float* d = dst + p * oh * ow;
    for (std::ptrdiff_t i = 0; i < oh * ow; ++i) d[i] = 0.0f;
    for (std::ptrdiff_t r = 0; r < xh; ++r)
      for (std::ptrdiff_t c = 0; c < xw; ++c) d[r * ow + c] = src[(p * xh + r) * xw + c];
  });
}
void crop_planes(const float* src, float* dst, std::ptrdiff_t planes, std::ptrdiff_t xh, std::ptrdiff_t xw,
                 std::ptrdiff_t oh, std::ptrdiff_t ow) noexcept {
  for_rows(planes, xh * xw, [&](std::ptrdiff_t p) {
    for (std::ptrdiff_t r = 0; r < xh; ++r)
      for (std::ptrdiff_t c = 0; c < xw; ++c) dst[(p * xh + r) * xw + c] = src[(p * oh + r) * ow + c];
  });
}

}  // namespace

Status conv_transpose2d_fwd(const Conv2dGeom& g, std::ptrdiff_t xh, std::ptrdiff_t xw, const float* x,
                            const float* weight, const float* bias, float* y) noexcept {
  if (xh > g.oh || xw > g.ow || xh < 0 || xw < 0) return Status::kInvalidArgument;
  Scratch padded;
  if (xh != g.oh || xw != g.ow) {
    if (!padded.alloc(g.n * g.o * g.oh * g.ow)) return Status::kOutOfMemory;
    embed_planes(x, padded.p, g.n * g.o, xh, xw, g.oh, g.ow);
    x = padded.p;
  }
  const Status st =
      dx_as_forward(g) ? dx_by_forward(g, weight, x, y) : backward_core(g, nullptr, weight, x, y, nullptr);
  if (st != Status::kOk) return st;
  bias_add(y, bias, g.n, g.c, g.h * g.w);
  return Status::kOk;
}

Status conv_transpose2d_bwd(const Conv2dGeom& g, std::ptrdiff_t xh, std::ptrdiff_t xw, const float* x,
                            const float* weight, const float* dy, float* dx, float* dweight, float* dbias) noexcept {
  if (xh > g.oh || xw > g.ow || xh < 0 || xw < 0) return Status::kInvalidArgument;
  const bool pad = xh != g.oh || xw != g.ow;
  Scratch big;
  if (pad && !big.alloc(g.n * g.o * g.oh * g.ow)) return Status::kOutOfMemory;
  if (dx != nullptr) {
    const Status st = forward_core(g, dy, weight, nullptr, pad ? big.p : dx);
    if (st != Status::kOk) return st;
    if (pad) crop_planes(big.p, dx, g.n * g.o, xh, xw, g.oh, g.ow);
  }
  if (dweight != nullptr) {
    if (pad) {
      embed_planes(x, big.p, g.n * g.o, xh, xw, g.oh, g.ow);
      x = big.p;
    }
    const Status st = backward_core(g, dy, nullptr, x, nullptr, dweight);
    if (st != Status::kOk) return st;
  }
  if (dbias != nullptr) channel_sums(dy, dbias, g.n, g.c, g.h * g.w);
  return Status::kOk;
}

namespace {

// Elements a pooling window visits, capped: only sizes the tasks (no overflow for absurd kernels).
std::ptrdiff_t window_cost(const PlaneGeom& g) noexcept {
  const std::ptrdiff_t a = g.kh < g.h ? g.kh : g.h, b = g.kw < g.w ? g.kw : g.w;
  return a > 64 || b > 64 || a * b > 64 ? 64 : a * b;
}

}  // namespace

Status maxpool2d_fwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* x, float* y, std::int32_t* idx) noexcept {
  const MaxPoolFwdFn fn = kernels().conv->maxpool_fwd;
  const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
  for_rows(planes, in + out * window_cost(g), [&](std::ptrdiff_t p) { fn(x + p * in, y + p * out, idx + p * out, g); });
  return Status::kOk;
}

Status maxpool2d_bwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* dy, const std::int32_t* idx,
                     float* dx) noexcept {
  const MaxPoolBwdFn fn = kernels().conv->maxpool_bwd;
  const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
  for_rows(planes, in + out, [&](std::ptrdiff_t p) { fn(dy + p * out, idx + p * out, dx + p * in, g); });
  return Status::kOk;
}

Status avgpool2d_fwd(std::ptrdiff_t planes, const PlaneGeom& g, AvgPoolParams prm, const float* x, float* y) noexcept {
  const AvgPoolFwdFn fn = kernels().conv->avgpool_fwd;
  const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
  for_rows(planes, in + out * window_cost(g), [&](std::ptrdiff_t p) { fn(x + p * in, y + p * out, g, prm); });
  return Status::kOk;
}

Status avgpool2d_bwd(std::ptrdiff_t planes, const PlaneGeom& g, AvgPoolParams prm, const float* dy, float* dx) noexcept {
  const AvgPoolBwdFn fn = kernels().conv->avgpool_bwd;
  const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
  for_rows(planes, in + out * window_cost(g), [&](std::ptrdiff_t p) { fn(dy + p * out, dx + p * in, g, prm); });
  return Status::kOk;
}

Status adaptive_avgpool2d_fwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* x, float* y) noexcept {
  const AdaptiveAvgFwdFn fn = kernels().conv->adaptive_avgpool_fwd;
  const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
  for_rows(planes, in + out, [&](std::ptrdiff_t p) { fn(x + p * in, y + p * out, g); });
  return Status::kOk;
}

Status adaptive_avgpool2d_bwd(std::ptrdiff_t planes, const PlaneGeom& g, const float* dy, float* dx) noexcept {
  const AdaptiveAvgBwdFn fn = kernels().conv->adaptive_avgpool_bwd;
  const std::ptrdiff_t in = g.h * g.w, out = g.oh * g.ow;
  for_rows(planes, in + out, [&](std::ptrdiff_t p) { fn(dy + p * out, dx + p * in, g); });
  return Status::kOk;
}

}  // namespace axonal
