// Convolution and pooling drivers: im2col + sgemm per image and group, col2im for
// the input gradient, per-plane pooling kernels. Task boundaries are channels or
// planes (and blocks of them), never thread counts; reductions over images run in
// image order, so results are identical for any thread count.
#include "axonal/conv.h"

#include <cstdlib>

#include "axonal/dispatch.h"
#include "axonal/gemm.h"
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

// out[c] = sum over images and the plane of t[n][c], in double, image order.
void channel_sums(const float* t, float* out, std::ptrdiff_t n, std::ptrdiff_t ch, std::ptrdiff_t plane) noexcept {
  for_rows(ch, n * plane, [&](std::ptrdiff_t c) {
    double s = 0.0;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const float* row = t + (i * ch + c) * plane;
      for (std::ptrdiff_t k = 0; k < plane; ++k) s += row[k];
    }
    out[c] = static_cast<float>(s);
  });
}

Status gemm(bool ta, bool tb, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, const float* a, std::ptrdiff_t lda,
            const float* b, std::ptrdiff_t ldb, float beta, float* c, std::ptrdiff_t ldc) noexcept {
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
  return sgemm(s);
}

// Columns of image x (c planes) into col (c*kh*kw rows of oh*ow).
void pack_columns(const Conv2dGeom& g, const float* x, float* col) noexcept {
  const PlaneGeom p = plane_of(g);
  const std::ptrdiff_t in_plane = g.h * g.w, rows = g.kh * g.kw * g.oh * g.ow;
  const Im2colFn fn = kernels().conv->im2col;
  for_rows(g.c, rows, [&](std::ptrdiff_t c) { fn(x + c * in_plane, col + c * rows, p); });
}

void unpack_columns(const Conv2dGeom& g, const float* col, float* x) noexcept {
  const PlaneGeom p = plane_of(g);
  const std::ptrdiff_t in_plane = g.h * g.w, rows = g.kh * g.kw * g.oh * g.ow;
  const Col2imFn fn = kernels().conv->col2im;
  for_rows(g.c, rows, [&](std::ptrdiff_t c) { fn(col + c * rows, x + c * in_plane, p); });
}

// Columns of image x (c planes) into col (c*kh*kw rows of oh*ow), on the calling thread.
void pack_serial(const Conv2dGeom& g, const float* x, float* col) noexcept {
  const PlaneGeom p = plane_of(g);
  const std::ptrdiff_t in_plane = g.h * g.w, rows = g.kh * g.kw * g.oh * g.ow;
  const Im2colFn fn = kernels().conv->im2col;
  for (std::ptrdiff_t c = 0; c < g.c; ++c) fn(x + c * in_plane, col + c * rows, p);
}

void unpack_serial(const Conv2dGeom& g, const float* col, float* x) noexcept {
  const PlaneGeom p = plane_of(g);
  const std::ptrdiff_t in_plane = g.h * g.w, rows = g.kh * g.kw * g.oh * g.ow;
  const Col2imFn fn = kernels().conv->col2im;
  for (std::ptrdiff_t c = 0; c < g.c; ++c) fn(col + c * rows, x + c * in_plane, p);
}

// Batches of at least this many images run one task per block of images (each
// task packs and multiplies its own images, the GEMMs inside run on the task's
// thread); smaller batches parallelise inside each image instead. The choice and
// the blocks depend only on the batch size, so results do not depend on threads.
constexpr std::ptrdiff_t kImageParallelMin = 4;
constexpr std::ptrdiff_t kImageBlocks = 8;

std::ptrdiff_t image_blocks(std::ptrdiff_t n) noexcept { return n < kImageBlocks ? n : kImageBlocks; }
std::ptrdiff_t block_begin(std::ptrdiff_t b, std::ptrdiff_t blocks, std::ptrdiff_t n) noexcept {
  return b * n / blocks;
}

// Records the first failure of any task.
struct SharedStatus {
  int code = 0;
  void set(Status st) noexcept {
    int expected = 0;
    if (st != Status::kOk) __atomic_compare_exchange_n(&code, &expected, static_cast<int>(st), false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
  }
  Status get() const noexcept { return static_cast<Status>(__atomic_load_n(&code, __ATOMIC_RELAXED)); }
};

// y_i = conv(x_i, w) for one image; cols is x_i's columns.
Status image_forward(const Conv2dGeom& g, const float* w, const float* cols, float* yi) noexcept {
  const std::ptrdiff_t cg = g.c / g.groups, og = g.o / g.groups, ck = cg * g.kh * g.kw, l = g.oh * g.ow;
  for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
    const Status st = gemm(false, false, og, l, ck, w + gr * og * ck, ck, cols + gr * ck * l, l, 0.0f, yi + gr * og * l, l);
    if (st != Status::kOk) return st;
  }
  return Status::kOk;
}

// dcols = w^T dy_i per group for one image.
Status image_data_grad(const Conv2dGeom& g, const float* w, const float* dyi, float* dcols) noexcept {
  const std::ptrdiff_t cg = g.c / g.groups, og = g.o / g.groups, ck = cg * g.kh * g.kw, l = g.oh * g.ow;
  for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
    const Status st = gemm(true, false, ck, l, og, w + gr * og * ck, ck, dyi + gr * og * l, l, 0.0f, dcols + gr * ck * l, l);
    if (st != Status::kOk) return st;
  }
  return Status::kOk;
}

// dw (+)= dy_i cols^T per group for one image (beta 0: overwrite, 1: accumulate).
Status image_weight_grad(const Conv2dGeom& g, const float* cols, const float* dyi, float beta, float* dw) noexcept {
  const std::ptrdiff_t cg = g.c / g.groups, og = g.o / g.groups, ck = cg * g.kh * g.kw, l = g.oh * g.ow;
  for (std::ptrdiff_t gr = 0; gr < g.groups; ++gr) {
    const Status st = gemm(false, true, og, ck, l, dyi + gr * og * l, l, cols + gr * ck * l, l, beta, dw + gr * og * ck, ck);
    if (st != Status::kOk) return st;
  }
  return Status::kOk;
}

// y = conv(x, w) without bias.
Status forward_core(const Conv2dGeom& g, const float* x, const float* w, float* y) noexcept {
  const std::ptrdiff_t l = g.oh * g.ow, in = g.c * g.h * g.w, cols_len = g.c * g.kh * g.kw * l;
  const bool pointwise = is_pointwise(g);
  if (g.n >= kImageParallelMin) {
    const std::ptrdiff_t blocks = image_blocks(g.n);
    SharedStatus status;
    parallel_for(blocks, [&](std::ptrdiff_t b) {
      Scratch col;
      if (!pointwise && !col.alloc(cols_len)) return status.set(Status::kOutOfMemory);
      for (std::ptrdiff_t i = block_begin(b, blocks, g.n); i < block_begin(b + 1, blocks, g.n); ++i) {
        const float* xi = x + i * in;
        if (!pointwise) pack_serial(g, xi, col.p);
        status.set(image_forward(g, w, pointwise ? xi : col.p, y + i * g.o * l));
      }
    });
    return status.get();
  }
  Scratch col;
  if (!pointwise && !col.alloc(cols_len)) return Status::kOutOfMemory;
  for (std::ptrdiff_t i = 0; i < g.n; ++i) {
    const float* xi = x + i * in;
    if (!pointwise) pack_columns(g, xi, col.p);
    const Status st = image_forward(g, w, pointwise ? xi : col.p, y + i * g.o * l);
    if (st != Status::kOk) return st;
  }
  return Status::kOk;
}

// dx = conv's input gradient of dy.
Status data_grad(const Conv2dGeom& g, const float* w, const float* dy, float* dx) noexcept {
  const std::ptrdiff_t l = g.oh * g.ow, in = g.c * g.h * g.w, cols_len = g.c * g.kh * g.kw * l;
  const bool pointwise = is_pointwise(g);
  if (g.n >= kImageParallelMin) {
    const std::ptrdiff_t blocks = image_blocks(g.n);
    SharedStatus status;
    parallel_for(blocks, [&](std::ptrdiff_t b) {
      Scratch col;
      if (!pointwise && !col.alloc(cols_len)) return status.set(Status::kOutOfMemory);
      for (std::ptrdiff_t i = block_begin(b, blocks, g.n); i < block_begin(b + 1, blocks, g.n); ++i) {
        float* dxi = dx + i * in;
        status.set(image_data_grad(g, w, dy + i * g.o * l, pointwise ? dxi : col.p));
        if (!pointwise) unpack_serial(g, col.p, dxi);
      }
    });
    return status.get();
  }
  Scratch col;
  if (!pointwise && !col.alloc(cols_len)) return Status::kOutOfMemory;
  for (std::ptrdiff_t i = 0; i < g.n; ++i) {
    float* dxi = dx + i * in;
    const Status st = image_data_grad(g, w, dy + i * g.o * l, pointwise ? dxi : col.p);
    if (st != Status::kOk) return st;
    if (!pointwise) unpack_columns(g, col.p, dxi);
  }
  return Status::kOk;
}

// dw = sum over images of dy_i col(x_i)^T, per group. Large batches: per-block
// partial sums (images in order within a block), then the blocks added in order.
Status weight_grad(const Conv2dGeom& g, const float* x, const float* dy, float* dw) noexcept {
  const std::ptrdiff_t l = g.oh * g.ow, in = g.c * g.h * g.w, cols_len = g.c * g.kh * g.kw * l;
  const std::ptrdiff_t wlen = g.o * (g.c / g.groups) * g.kh * g.kw;
  const bool pointwise = is_pointwise(g);
  if (g.n == 0) {
    for (std::ptrdiff_t i = 0; i < wlen; ++i) dw[i] = 0.0f;
    return Status::kOk;
  }
  if (g.n >= kImageParallelMin) {
    const std::ptrdiff_t blocks = image_blocks(g.n);
    Scratch part;
    if (!part.alloc(blocks * wlen)) return Status::kOutOfMemory;
    SharedStatus status;
    parallel_for(blocks, [&](std::ptrdiff_t b) {
      Scratch col;
      if (!pointwise && !col.alloc(cols_len)) return status.set(Status::kOutOfMemory);
      const std::ptrdiff_t i0 = block_begin(b, blocks, g.n);
      for (std::ptrdiff_t i = i0; i < block_begin(b + 1, blocks, g.n); ++i) {
        const float* xi = x + i * in;
        if (!pointwise) pack_serial(g, xi, col.p);
        status.set(image_weight_grad(g, pointwise ? xi : col.p, dy + i * g.o * l, i == i0 ? 0.0f : 1.0f, part.p + b * wlen));
      }
    });
    if (status.get() != Status::kOk) return status.get();
    for_rows(wlen, blocks, [&](std::ptrdiff_t k) {
      float s = part.p[k];
      for (std::ptrdiff_t b = 1; b < blocks; ++b) s += part.p[b * wlen + k];
      dw[k] = s;
    });
    return Status::kOk;
  }
  Scratch col;
  if (!pointwise && !col.alloc(cols_len)) return Status::kOutOfMemory;
  for (std::ptrdiff_t i = 0; i < g.n; ++i) {
    const float* xi = x + i * in;
    if (!pointwise) pack_columns(g, xi, col.p);
    const Status st = image_weight_grad(g, pointwise ? xi : col.p, dy + i * g.o * l, i == 0 ? 0.0f : 1.0f, dw);
    if (st != Status::kOk) return st;
  }
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
  const Status st = forward_core(g, x, weight, y);
  if (st != Status::kOk) return st;
  bias_add(y, bias, g.n, g.o, g.oh * g.ow);
  return Status::kOk;
}

Status conv2d_bwd(const Conv2dGeom& g, const float* x, const float* weight, const float* dy, float* dx,
                  float* dweight, float* dbias) noexcept {
  if (dx != nullptr) {
    const Status st = data_grad(g, weight, dy, dx);
    if (st != Status::kOk) return st;
  }
  if (dweight != nullptr) {
    const Status st = weight_grad(g, x, dy, dweight);
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
  const Status st = data_grad(g, weight, x, y);
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
    const Status st = forward_core(g, dy, weight, pad ? big.p : dx);
    if (st != Status::kOk) return st;
    if (pad) crop_planes(big.p, dx, g.n * g.o, xh, xw, g.oh, g.ow);
  }
  if (dweight != nullptr) {
    if (pad) {
      embed_planes(x, big.p, g.n * g.o, xh, xw, g.oh, g.ow);
      x = big.p;
    }
    const Status st = weight_grad(g, dy, x, dweight);
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
