// Normalization drivers: statistics in double (moments about a sample of the data),
// tasks split by size only, partial sums combined in task order.
#include "axonal/norm.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "axonal/dispatch.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::ptrdiff_t kGrain = 1 << 14;  // elements per row block

std::ptrdiff_t rows_per_block(std::ptrdiff_t cols) noexcept {
  const std::ptrdiff_t r = kGrain / (cols > 0 ? cols : 1);
  return r < 1 ? 1 : r;
}

// Owned scratch, freed on scope exit.
template <class T>
struct Scratch {
  T* p = nullptr;
  explicit Scratch(std::ptrdiff_t count) noexcept {
    if (count > 0) p = static_cast<T*>(std::calloc(static_cast<std::size_t>(count), sizeof(T)));
  }
  ~Scratch() { std::free(p); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

// mean and biased variance from moments about `shift` over m values.
inline void finish_moments(double s1, double s2, std::ptrdiff_t m, float shift, double* mean, double* var) noexcept {
  const double inv = 1.0 / static_cast<double>(m);
  const double d = s1 * inv;
  double v = s2 * inv - d * d;
  *mean = static_cast<double>(shift) + d;
  *var = v > 0.0 ? v : 0.0;
}

inline float rstd_of(double var, float eps) noexcept {
  return static_cast<float>(1.0 / std::sqrt(var + static_cast<double>(eps)));
}

// Sums per-column partials of `blocks` row blocks (each 2*cols doubles: first, second)
// in block order into out1 / out2.
void combine_blocks(const double* part, std::ptrdiff_t blocks, std::ptrdiff_t cols, double* out1,
                    double* out2) noexcept {
  for (std::ptrdiff_t j = 0; j < cols; ++j) {
    out1[j] = 0.0;
    out2[j] = 0.0;
  }
  for (std::ptrdiff_t b = 0; b < blocks; ++b) {
    const double* p = part + b * 2 * cols;
    for (std::ptrdiff_t j = 0; j < cols; ++j) {
      out1[j] += p[j];
      out2[j] += p[cols + j];
    }
  }
}

void update_running(float* rm, float* rv, double mean, double var, std::ptrdiff_t m, float momentum) noexcept {
  if (rm == nullptr || rv == nullptr) return;
  const double unbiased = m > 1 ? var * static_cast<double>(m) / static_cast<double>(m - 1) : var;
  *rm = static_cast<float>((1.0 - momentum) * static_cast<double>(*rm) + momentum * mean);
  *rv = static_cast<float>((1.0 - momentum) * static_cast<double>(*rv) + momentum * unbiased);
}

}  // namespace

Status batch_norm_fwd(const float* x, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s, const float* weight,
                      const float* bias, float* running_mean, float* running_var, bool use_batch_stats,
                      float momentum, float eps, float* y, float* save_mean, float* save_rstd) noexcept {
  if (n < 0 || c < 0 || s < 0) return Status::kInvalidArgument;
  const std::ptrdiff_t m = n * s;
  if (use_batch_stats && m < 1 && c > 0) return Status::kInvalidArgument;
  if (!use_batch_stats && (running_mean == nullptr || running_var == nullptr)) return Status::kInvalidArgument;
  if (c == 0) return Status::kOk;
  const NormKernels& k = *kernels().norm;
  const std::ptrdiff_t cs = c * s;

  if (s == 1) {
    // [n, c]: per-column statistics over row blocks, then one scale-shift pass.
    Scratch<float> ab(2 * c);
    if (ab.p == nullptr) return Status::kOutOfMemory;
    float* a = ab.p;
    float* b = ab.p + c;
    const std::ptrdiff_t rpb = rows_per_block(c);
    const std::ptrdiff_t blocks = (n + rpb - 1) / rpb;
    if (use_batch_stats) {
      Scratch<double> part(blocks * 2 * c + 2 * c);
      if (part.p == nullptr) return Status::kOutOfMemory;
      const float* shift = x;  // row 0
      parallel_for(blocks, [&](std::ptrdiff_t blk) {
        const std::ptrdiff_t r0 = blk * rpb;
        const std::ptrdiff_t r1 = r0 + rpb < n ? r0 + rpb : n;
        double* p = part.p + blk * 2 * c;
        k.col_moments(x + r0 * c, r1 - r0, c, shift, p, p + c);
      });
      double* s1 = part.p + blocks * 2 * c;
      double* s2 = s1 + c;
      combine_blocks(part.p, blocks, c, s1, s2);
      for (std::ptrdiff_t j = 0; j < c; ++j) {
        double mean, var;
        finish_moments(s1[j], s2[j], m, shift[j], &mean, &var);
        save_mean[j] = static_cast<float>(mean);
        save_rstd[j] = rstd_of(var, eps);
        update_running(running_mean ? running_mean + j : nullptr, running_var ? running_var + j : nullptr, mean, var,
                       m, momentum);
      }
    } else {
      for (std::ptrdiff_t j = 0; j < c; ++j) {
        save_mean[j] = running_mean[j];
        save_rstd[j] = rstd_of(static_cast<double>(running_var[j]), eps);
      }
    }
    for (std::ptrdiff_t j = 0; j < c; ++j) {
      a[j] = weight ? save_rstd[j] * weight[j] : save_rstd[j];
      b[j] = bias ? bias[j] : 0.0f;
    }
    parallel_for(blocks, [&](std::ptrdiff_t blk) {
      const std::ptrdiff_t r0 = blk * rpb;
      const std::ptrdiff_t r1 = r0 + rpb < n ? r0 + rpb : n;
      k.col_scale_shift(x + r0 * c, y + r0 * c, r1 - r0, c, save_mean, a, b);
    });
    return Status::kOk;
  }

  // [n, c, s]: one task per channel, statistics over its n segments in order.
  parallel_for(c, [&](std::ptrdiff_t ch) {
    float mean_f, rstd_f;
    if (use_batch_stats) {
      const float shift = x[ch * s];
      double s1 = 0.0, s2 = 0.0;
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        double t1, t2;
        k.moments(x + i * cs + ch * s, s, shift, &t1, &t2);
        s1 += t1;
        s2 += t2;
      }
      double mean, var;
      finish_moments(s1, s2, m, shift, &mean, &var);
      mean_f = static_cast<float>(mean);
      rstd_f = rstd_of(var, eps);
      update_running(running_mean ? running_mean + ch : nullptr, running_var ? running_var + ch : nullptr, mean, var,
                     m, momentum);
    } else {
      mean_f = running_mean[ch];
      rstd_f = rstd_of(static_cast<double>(running_var[ch]), eps);
    }
    save_mean[ch] = mean_f;
    save_rstd[ch] = rstd_f;
    const float a = weight ? rstd_f * weight[ch] : rstd_f;
    const float b = bias ? bias[ch] : 0.0f;
    for (std::ptrdiff_t i = 0; i < n; ++i) k.scale_shift(x + i * cs + ch * s, y + i * cs + ch * s, s, mean_f, a, b);
  });
  return Status::kOk;
}

namespace {

// Coefficients of dx = a dy + b (x - mean) + cc for one channel of batch norm.
inline void bn_coeffs(double sg, double sgx, std::ptrdiff_t m, float w, float rstd, bool batch, float* a, float* b,
                      float* cc) noexcept {
  const double wr = static_cast<double>(w) * static_cast<double>(rstd);
  *a = static_cast<float>(wr);
  if (batch && m > 0) {
    const double inv = 1.0 / static_cast<double>(m);
    const double r2 = static_cast<double>(rstd) * static_cast<double>(rstd);
    *b = static_cast<float>(-wr * r2 * sgx * inv);
    *cc = static_cast<float>(-wr * sg * inv);
  } else {
    *b = 0.0f;
    *cc = 0.0f;
  }
}

}  // namespace

Status batch_norm_bwd(const float* x, const float* dy, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s,
                      const float* weight, const float* mean, const float* rstd, bool use_batch_stats, float* dx,
                      float* dweight, float* dbias) noexcept {
  if (n < 0 || c < 0 || s < 0) return Status::kInvalidArgument;
  if (c == 0) return Status::kOk;
  const NormKernels& k = *kernels().norm;
  const std::ptrdiff_t m = n * s;
  const std::ptrdiff_t cs = c * s;

  if (s == 1) {
    const std::ptrdiff_t rpb = rows_per_block(c);
    const std::ptrdiff_t blocks = (n + rpb - 1) / rpb;
    Scratch<double> part(blocks * 2 * c + 2 * c);
    Scratch<float> abc(3 * c);
    if (part.p == nullptr || abc.p == nullptr) return Status::kOutOfMemory;
    parallel_for(blocks, [&](std::ptrdiff_t blk) {
      const std::ptrdiff_t r0 = blk * rpb;
      const std::ptrdiff_t r1 = r0 + rpb < n ? r0 + rpb : n;
      double* p = part.p + blk * 2 * c;
      k.col_dot(x + r0 * c, dy + r0 * c, r1 - r0, c, mean, p, p + c);
    });
    double* sg = part.p + blocks * 2 * c;
    double* sgx = sg + c;
    combine_blocks(part.p, blocks, c, sg, sgx);
    float* a = abc.p;
    float* b = a + c;
    float* cc = b + c;
    for (std::ptrdiff_t j = 0; j < c; ++j) {
      if (dweight) dweight[j] = static_cast<float>(sgx[j] * static_cast<double>(rstd[j]));
      if (dbias) dbias[j] = static_cast<float>(sg[j]);
      bn_coeffs(sg[j], sgx[j], m, weight ? weight[j] : 1.0f, rstd[j], use_batch_stats, a + j, b + j, cc + j);
    }
    if (dx) {
      parallel_for(blocks, [&](std::ptrdiff_t blk) {
        const std::ptrdiff_t r0 = blk * rpb;
        const std::ptrdiff_t r1 = r0 + rpb < n ? r0 + rpb : n;
        k.col_bwd(x + r0 * c, dy + r0 * c, dx + r0 * c, r1 - r0, c, mean, a, b, cc);
      });
    }
    return Status::kOk;
  }

  parallel_for(c, [&](std::ptrdiff_t ch) {
    double sg = 0.0, sgx = 0.0;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      double t1, t2;
      k.dot(x + i * cs + ch * s, dy + i * cs + ch * s, nullptr, s, mean[ch], &t1, &t2);
      sg += t1;
      sgx += t2;
    }
    if (dweight) dweight[ch] = static_cast<float>(sgx * static_cast<double>(rstd[ch]));
    if (dbias) dbias[ch] = static_cast<float>(sg);
    if (dx) {
      float a, b, cc;
      bn_coeffs(sg, sgx, m, weight ? weight[ch] : 1.0f, rstd[ch], use_batch_stats, &a, &b, &cc);
      for (std::ptrdiff_t i = 0; i < n; ++i)
        k.bwd(x + i * cs + ch * s, dy + i * cs + ch * s, nullptr, dx + i * cs + ch * s, s, mean[ch], a, b, cc);
    }
  });
  return Status::kOk;
}

Status layer_norm_fwd(const float* x, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* weight,
                      const float* bias, float eps, float* y, float* save_mean, float* save_rstd) noexcept {
  if (rows < 0 || cols < 1) return Status::kInvalidArgument;
  const NormKernels& k = *kernels().norm;
  const std::ptrdiff_t rpb = rows_per_block(cols);
  parallel_for((rows + rpb - 1) / rpb, [&](std::ptrdiff_t blk) {
    const std::ptrdiff_t r0 = blk * rpb;
    const std::ptrdiff_t r1 = r0 + rpb < rows ? r0 + rpb : rows;
    for (std::ptrdiff_t r = r0; r < r1; ++r) {
      const float* xr = x + r * cols;
      double s1, s2, mean, var;
      k.moments(xr, cols, xr[0], &s1, &s2);
      finish_moments(s1, s2, cols, xr[0], &mean, &var);
      save_mean[r] = static_cast<float>(mean);
      save_rstd[r] = rstd_of(var, eps);
      k.affine(xr, y + r * cols, cols, save_mean[r], save_rstd[r], weight, bias);
    }
  });
  return Status::kOk;
}

Status layer_norm_bwd(const float* x, const float* dy, std::ptrdiff_t rows, std::ptrdiff_t cols, const float* weight,
                      const float* mean, const float* rstd, float* dx, float* dweight, float* dbias) noexcept {
  if (rows < 0 || cols < 1) return Status::kInvalidArgument;
  const NormKernels& k = *kernels().norm;
  const std::ptrdiff_t rpb = rows_per_block(cols);
  const std::ptrdiff_t blocks = (rows + rpb - 1) / rpb;
  const bool params = dweight != nullptr || dbias != nullptr;
  Scratch<double> part(params ? blocks * 2 * cols + 2 * cols : 0);
  if (params && part.p == nullptr) return Status::kOutOfMemory;
  const double inv = 1.0 / static_cast<double>(cols);
  parallel_for(blocks, [&](std::ptrdiff_t blk) {
    const std::ptrdiff_t r0 = blk * rpb;
    const std::ptrdiff_t r1 = r0 + rpb < rows ? r0 + rpb : rows;
    if (dx) {
      for (std::ptrdiff_t r = r0; r < r1; ++r) {
        double sg, sgx;
        k.dot(x + r * cols, dy + r * cols, weight, cols, mean[r], &sg, &sgx);
        const double rs = rstd[r];
        const float a = static_cast<float>(rs);
        const float b = static_cast<float>(-rs * rs * rs * sgx * inv);
        const float cc = static_cast<float>(-rs * sg * inv);
        k.bwd(x + r * cols, dy + r * cols, weight, dx + r * cols, cols, mean[r], a, b, cc);
      }
    }
    if (params) {
      double* p = part.p + blk * 2 * cols;
      k.col_affine_grad(x + r0 * cols, dy + r0 * cols, r1 - r0, cols, mean + r0, rstd + r0, p, p + cols);
    }
  });
  if (params) {
    double* dg = part.p + blocks * 2 * cols;
    double* db = dg + cols;
    combine_blocks(part.p, blocks, cols, dg, db);
    for (std::ptrdiff_t j = 0; j < cols; ++j) {
      if (dweight) dweight[j] = static_cast<float>(dg[j]);
      if (dbias) dbias[j] = static_cast<float>(db[j]);
    }
  }
  return Status::kOk;
}

Status group_norm_fwd(const float* x, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s, std::ptrdiff_t groups,
                      const float* weight, const float* bias, float eps, float* y, float* save_mean,
                      float* save_rstd) noexcept {
  if (n < 0 || c < 0 || s < 0 || groups < 1 || c % groups != 0) return Status::kInvalidArgument;
  const std::ptrdiff_t cg = c / groups;
  const std::ptrdiff_t len = cg * s;
  if (len == 0) {
    for (std::ptrdiff_t i = 0; i < n * groups; ++i) {
      save_mean[i] = 0.0f;
      save_rstd[i] = rstd_of(0.0, eps);
    }
    return Status::kOk;
  }
  const NormKernels& k = *kernels().norm;
  const std::ptrdiff_t rpb = rows_per_block(len);
  const std::ptrdiff_t rows = n * groups;
  parallel_for((rows + rpb - 1) / rpb, [&](std::ptrdiff_t blk) {
    const std::ptrdiff_t r0 = blk * rpb;
    const std::ptrdiff_t r1 = r0 + rpb < rows ? r0 + rpb : rows;
    for (std::ptrdiff_t r = r0; r < r1; ++r) {
      const float* xr = x + r * len;
      double s1, s2, mean, var;
      k.moments(xr, len, xr[0], &s1, &s2);
      finish_moments(s1, s2, len, xr[0], &mean, &var);
      const float mf = static_cast<float>(mean);
      const float rf = rstd_of(var, eps);
      save_mean[r] = mf;
      save_rstd[r] = rf;
      const std::ptrdiff_t c0 = (r % groups) * cg;
      for (std::ptrdiff_t j = 0; j < cg; ++j) {
        const float a = weight ? rf * weight[c0 + j] : rf;
        const float b = bias ? bias[c0 + j] : 0.0f;
        k.scale_shift(xr + j * s, y + r * len + j * s, s, mf, a, b);
      }
    }
  });
  return Status::kOk;
}

Status group_norm_bwd(const float* x, const float* dy, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t s,
                      std::ptrdiff_t groups, const float* weight, const float* mean, const float* rstd, float* dx,
                      float* dweight, float* dbias) noexcept {
  if (n < 0 || c < 0 || s < 0 || groups < 1 || c % groups != 0) return Status::kInvalidArgument;
  const std::ptrdiff_t cg = c / groups;
  const std::ptrdiff_t len = cg * s;
  if (len == 0) {
    for (std::ptrdiff_t j = 0; j < c; ++j) {
      if (dweight) dweight[j] = 0.0f;
      if (dbias) dbias[j] = 0.0f;
    }
    return Status::kOk;
  }
  const NormKernels& k = *kernels().norm;
  // Per (sample, channel): sum dy and sum dy (x - mean), kept for the parameter grads.
  Scratch<double> part(2 * n * c);
  if (n * c > 0 && part.p == nullptr) return Status::kOutOfMemory;
  const std::ptrdiff_t rpb = rows_per_block(len);
  const std::ptrdiff_t rows = n * groups;
  const double inv = 1.0 / static_cast<double>(len);
  parallel_for((rows + rpb - 1) / rpb, [&](std::ptrdiff_t blk) {
    const std::ptrdiff_t r0 = blk * rpb;
    const std::ptrdiff_t r1 = r0 + rpb < rows ? r0 + rpb : rows;
    for (std::ptrdiff_t r = r0; r < r1; ++r) {
      const std::ptrdiff_t c0 = (r % groups) * cg;
      double* pg = part.p + 2 * r * cg;  // (n*c + c0) == r*cg
      double gsum = 0.0, gxsum = 0.0;
      for (std::ptrdiff_t j = 0; j < cg; ++j) {
        double sg, sgx;
        k.dot(x + r * len + j * s, dy + r * len + j * s, nullptr, s, mean[r], &sg, &sgx);
        pg[2 * j] = sg;
        pg[2 * j + 1] = sgx;
        const double w = weight ? static_cast<double>(weight[c0 + j]) : 1.0;
        gsum += w * sg;
        gxsum += w * sgx;
      }
      if (dx) {
        const double rs = rstd[r];
        const float b = static_cast<float>(-rs * rs * rs * gxsum * inv);
        const float cc = static_cast<float>(-rs * gsum * inv);
        for (std::ptrdiff_t j = 0; j < cg; ++j) {
          const double w = weight ? static_cast<double>(weight[c0 + j]) : 1.0;
          k.bwd(x + r * len + j * s, dy + r * len + j * s, nullptr, dx + r * len + j * s, s, mean[r],
                static_cast<float>(w * rs), b, cc);
        }
      }
    }
  });
  if (dweight || dbias) {
    for (std::ptrdiff_t j = 0; j < c; ++j) {
      double dg = 0.0, db = 0.0;
      const std::ptrdiff_t g = j / cg;
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        const double* p = part.p + 2 * (i * c + j);
        db += p[0];
        dg += p[1] * static_cast<double>(rstd[i * groups + g]);
      }
      if (dweight) dweight[j] = static_cast<float>(dg);
      if (dbias) dbias[j] = static_cast<float>(db);
    }
  }
  return Status::kOk;
}

}  // namespace axonal
