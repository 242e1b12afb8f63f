// JS entry points for the norm kernels: argument checks, then one native call.
//   batchNormForward (x, n, c, s, weight, bias, runningMean, runningVar, useBatchStats, momentum, eps,
//                     y, saveMean, saveRstd)
//   batchNormBackward (x, dy, n, c, s, weight, mean, rstd, useBatchStats, dx, dweight, dbias)
//   layerNormForward (x, rows, cols, weight, bias, eps, y, saveMean, saveRstd)
//   layerNormBackward (x, dy, rows, cols, weight, mean, rstd, dx, dweight, dbias)
//   groupNormForward (x, n, c, s, groups, weight, bias, eps, y, saveMean, saveRstd)
//   groupNormBackward (x, dy, n, c, s, groups, weight, mean, rstd, dx, dweight, dbias)
// Optional buffers (weight, bias, running statistics, and the backward outputs
// dx / dweight / dbias) are empty Float32Arrays for "none" / "not wanted".
// Outputs (and the running statistics, updated in place) must not share memory
// with any other buffer.
#include <initializer_list>
#include <string>

#include "axonal/norm.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

struct Named {
  const char* name;
  const F32Arg* arg;
  bool out;
};

bool status_ok(const Args& args, axonal::Status st) {
  if (st == axonal::Status::kOk) return true;
  throw_native_error(args.env(), args.prefix() + axonal::status_name(st));
  return false;
}

// Every output is disjoint from every other buffer.
bool check_aliasing(const Args& args, std::initializer_list<Named> bufs) {
  for (const Named& o : bufs) {
    if (!o.out) continue;
    for (const Named& b : bufs) {
      if (&b == &o) continue;
      if (!args.disjoint(o.name, *o.arg, b.name, *b.arg)) return false;
    }
  }
  return true;
}

// An optional buffer: empty, or exactly `len` elements.
bool optional_len(const Args& args, const char* name, const F32Arg& a, std::int64_t len, const std::string& what) {
  if (a.length == 0) return true;
  if (a.length == len) return true;
  throw_range_error(args.env(),
                    args.prefix() + name + " must be empty (none) or have " + std::to_string(len) + " elements for " +
                        what + ", but has " + std::to_string(a.length),
                    kCodeShape);
  return false;
}

// n * c * s without overflow, as the element count of x.
bool volume(const Args& args, std::int64_t n, std::int64_t c, std::int64_t s, std::int64_t* out) {
  std::int64_t t = 0;
  if (checked_mul(n, c, &t) && checked_mul(t, s, out)) return true;
  throw_range_error(args.env(), args.prefix() + "the shape [" + std::to_string(n) + ", " + std::to_string(c) + ", " +
                                    std::to_string(s) + "] is too large",
                    kCodeShape);
  return false;
}

std::string shape3(std::int64_t n, std::int64_t c, std::int64_t s) {
  return "shape [" + std::to_string(n) + ", " + std::to_string(c) + ", " + std::to_string(s) + "]";
}

bool eps_arg(const Args& args, std::size_t i, double* eps) {
  if (!args.finite(i, "eps", eps)) return false;
  if (*eps >= 0) return true;
  throw_range_error(args.env(), args.prefix() + "eps must be >= 0, but received " + std::to_string(*eps));
  return false;
}

inline const float* opt(const F32Arg& a) { return a.length ? a.data : nullptr; }
inline float* opt_out(const F32Arg& a) { return a.length ? a.data : nullptr; }

// The sizes every norm's buffers are checked against: the activations (total
// elements), the affine parameters (one per channel or normalized element) and the
// saved statistics (one per channel, row or sample x group).
struct NormSizes {
  std::int64_t total;
  std::string what;
  std::int64_t params;
  std::string per_param;
  std::int64_t stats;
  std::string per_stat;
};

// Lengths and aliasing of a forward's x, weight, bias, y, saveMean, saveRstd.
bool check_forward(const Args& args, const NormSizes& z, const F32Arg& x, const F32Arg& w, const F32Arg& b,
                   const F32Arg& y, const F32Arg& sm, const F32Arg& sr) {
  return args.exact_length("x", x, z.total, z.what) && args.exact_length("y", y, z.total, z.what) &&
         optional_len(args, "weight", w, z.params, z.per_param) && optional_len(args, "bias", b, z.params, z.per_param) &&
         args.exact_length("saveMean", sm, z.stats, z.per_stat) && args.exact_length("saveRstd", sr, z.stats, z.per_stat) &&
         check_aliasing(args, {{"x", &x, false},
                               {"weight", &w, false},
                               {"bias", &b, false},
                               {"y", &y, true},
                               {"saveMean", &sm, true},
                               {"saveRstd", &sr, true}});
}

// Lengths and aliasing of a backward's x, dy, weight, mean, rstd and its (optional) outputs.
bool check_backward(const Args& args, const NormSizes& z, const F32Arg& x, const F32Arg& dy, const F32Arg& w,
                    const F32Arg& mean, const F32Arg& rstd, const F32Arg& dx, const F32Arg& dw, const F32Arg& db) {
  return args.exact_length("x", x, z.total, z.what) && args.exact_length("dy", dy, z.total, z.what) &&
         optional_len(args, "weight", w, z.params, z.per_param) &&
         args.exact_length("mean", mean, z.stats, z.per_stat) && args.exact_length("rstd", rstd, z.stats, z.per_stat) &&
         optional_len(args, "dx", dx, z.total, z.what) && optional_len(args, "dweight", dw, z.params, z.per_param) &&
         optional_len(args, "dbias", db, z.params, z.per_param) &&
         check_aliasing(args, {{"x", &x, false},
                               {"dy", &dy, false},
                               {"weight", &w, false},
                               {"mean", &mean, false},
                               {"rstd", &rstd, false},
                               {"dx", &dx, true},
                               {"dweight", &dw, true},
                               {"dbias", &db, true}});
}

Napi::Value BatchNormForward(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormForward");
  F32Arg x, w, b, rm, rv, y, sm, sr;
  std::int64_t n = 0, c = 0, s = 0, total = 0;
  bool batch = false;
  double momentum = 0, eps = 0;
  AXONAL_CHECK(args.count(14));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.dim(1, "n", &n));
  AXONAL_CHECK(args.dim(2, "c", &c));
  AXONAL_CHECK(args.dim(3, "s", &s));
  AXONAL_CHECK(args.f32(4, "weight", &w));
  AXONAL_CHECK(args.f32(5, "bias", &b));
  AXONAL_CHECK(args.f32(6, "runningMean", &rm));
  AXONAL_CHECK(args.f32(7, "runningVar", &rv));
  AXONAL_CHECK(args.boolean(8, "useBatchStats", &batch));
  AXONAL_CHECK(args.finite(9, "momentum", &momentum));
  AXONAL_CHECK(eps_arg(args, 10, &eps));
  AXONAL_CHECK(args.f32(11, "y", &y));
  AXONAL_CHECK(args.f32(12, "saveMean", &sm));
  AXONAL_CHECK(args.f32(13, "saveRstd", &sr));
  AXONAL_CHECK(volume(args, n, c, s, &total));
  const std::string what = shape3(n, c, s);
  const std::string per = std::to_string(c) + " channels";
  AXONAL_CHECK(args.exact_length("x", x, total, what));
  AXONAL_CHECK(args.exact_length("y", y, total, what));
  AXONAL_CHECK(optional_len(args, "weight", w, c, per));
  AXONAL_CHECK(optional_len(args, "bias", b, c, per));
  AXONAL_CHECK(optional_len(args, "runningMean", rm, c, per));
  AXONAL_CHECK(optional_len(args, "runningVar", rv, c, per));
  AXONAL_CHECK(args.exact_length("saveMean", sm, c, per));
  AXONAL_CHECK(args.exact_length("saveRstd", sr, c, per));
  if ((rm.length == 0) != (rv.length == 0)) {
    throw_range_error(info.Env(), "batchNormForward: runningMean and runningVar must both be given or both be empty",
                      kCodeShape);
    return Napi::Value();
  }
  if (!batch && rm.length == 0 && c > 0) {
    throw_range_error(info.Env(),
                      "batchNormForward: useBatchStats false needs runningMean and runningVar, but both are empty");
    return Napi::Value();
  }
  if (batch && c > 0 && n * s < 1) {
    throw_range_error(info.Env(), "batchNormForward: batch statistics need at least 1 value per channel, but " + what +
                                      " has none",
                      kCodeShape);
    return Napi::Value();
  }
  AXONAL_CHECK(check_aliasing(args, {{"x", &x, false},
                                     {"weight", &w, false},
                                     {"bias", &b, false},
                                     {"runningMean", &rm, true},
                                     {"runningVar", &rv, true},
                                     {"y", &y, true},
                                     {"saveMean", &sm, true},
                                     {"saveRstd", &sr, true}}));
  AXONAL_CHECK(status_ok(args, axonal::batch_norm_fwd(x.data, n, c, s, opt(w), opt(b), opt_out(rm), opt_out(rv), batch,
                                                      static_cast<float>(momentum), static_cast<float>(eps), y.data,
                                                      sm.data, sr.data)));
  return info.Env().Undefined();
}

Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormBackward");
  F32Arg x, dy, w, mean, rstd, dx, dw, db;
  std::int64_t n = 0, c = 0, s = 0, total = 0;
  bool batch = false;
  AXONAL_CHECK(args.count(12));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "dy", &dy));
  AXONAL_CHECK(args.dim(2, "n", &n));
  AXONAL_CHECK(args.dim(3, "c", &c));
  AXONAL_CHECK(args.dim(4, "s", &s));
  AXONAL_CHECK(args.f32(5, "weight", &w));
  AXONAL_CHECK(args.f32(6, "mean", &mean));
  AXONAL_CHECK(args.f32(7, "rstd", &rstd));
  AXONAL_CHECK(args.boolean(8, "useBatchStats", &batch));
  AXONAL_CHECK(args.f32(9, "dx", &dx));
  AXONAL_CHECK(args.f32(10, "dweight", &dw));
  AXONAL_CHECK(args.f32(11, "dbias", &db));
  AXONAL_CHECK(volume(args, n, c, s, &total));
  const std::string what = shape3(n, c, s);
  const std::string per = std::to_string(c) + " channels";
  AXONAL_CHECK(check_backward(args, {total, what, c, per, c, per}, x, dy, w, mean, rstd, dx, dw, db));
  // With no values (s = 0) the per-channel sums are over nothing whatever n is: n = 0
  // gives the same result without the kernel visiting n empty samples per channel
  // (n = 2^31 - 1 with s = 0 ran for 20 s).
  if (total == 0) n = 0;
  AXONAL_CHECK(status_ok(args, axonal::batch_norm_bwd(x.data, dy.data, n, c, s, opt(w), mean.data, rstd.data, batch,
                                                      opt_out(dx), opt_out(dw), opt_out(db))));
  return info.Env().Undefined();
}

bool rows_cols(const Args& args, std::int64_t rows, std::int64_t cols, std::int64_t* total) {
  if (cols < 1) {
    throw_range_error(args.env(), args.prefix() + "cols must be >= 1, but received " + std::to_string(cols), kCodeShape);
    return false;
  }
  if (checked_mul(rows, cols, total)) return true;
  throw_range_error(args.env(), args.prefix() + "the shape [" + std::to_string(rows) + ", " + std::to_string(cols) +
                                    "] is too large",
                    kCodeShape);
  return false;
}

Napi::Value LayerNormForward(const Napi::CallbackInfo& info) {
  Args args(info, "layerNormForward");
  F32Arg x, w, b, y, sm, sr;
  std::int64_t rows = 0, cols = 0, total = 0;
  double eps = 0;
  AXONAL_CHECK(args.count(9));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.dim(1, "rows", &rows));
  AXONAL_CHECK(args.dim(2, "cols", &cols));
  AXONAL_CHECK(args.f32(3, "weight", &w));
  AXONAL_CHECK(args.f32(4, "bias", &b));
  AXONAL_CHECK(eps_arg(args, 5, &eps));
  AXONAL_CHECK(args.f32(6, "y", &y));
  AXONAL_CHECK(args.f32(7, "saveMean", &sm));
  AXONAL_CHECK(args.f32(8, "saveRstd", &sr));
  AXONAL_CHECK(rows_cols(args, rows, cols, &total));
  const std::string what = "shape [" + std::to_string(rows) + ", " + std::to_string(cols) + "]";
  const std::string per_col = std::to_string(cols) + " normalized elements";
  const std::string per_row = std::to_string(rows) + " rows";
  AXONAL_CHECK(check_forward(args, {total, what, cols, per_col, rows, per_row}, x, w, b, y, sm, sr));
  AXONAL_CHECK(status_ok(args, axonal::layer_norm_fwd(x.data, rows, cols, opt(w), opt(b), static_cast<float>(eps),
                                                      y.data, sm.data, sr.data)));
  return info.Env().Undefined();
}

Napi::Value LayerNormBackward(const Napi::CallbackInfo& info) {
  Args args(info, "layerNormBackward");
  F32Arg x, dy, w, mean, rstd, dx, dw, db;
  std::int64_t rows = 0, cols = 0, total = 0;
  AXONAL_CHECK(args.count(10));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "dy", &dy));
  AXONAL_CHECK(args.dim(2, "rows", &rows));
  AXONAL_CHECK(args.dim(3, "cols", &cols));
  AXONAL_CHECK(args.f32(4, "weight", &w));
  AXONAL_CHECK(args.f32(5, "mean", &mean));
  AXONAL_CHECK(args.f32(6, "rstd", &rstd));
  AXONAL_CHECK(args.f32(7, "dx", &dx));
  AXONAL_CHECK(args.f32(8, "dweight", &dw));
  AXONAL_CHECK(args.f32(9, "dbias", &db));
  AXONAL_CHECK(rows_cols(args, rows, cols, &total));
  const std::string what = "shape [" + std::to_string(rows) + ", " + std::to_string(cols) + "]";
  const std::string per_col = std::to_string(cols) + " normalized elements";
  const std::string per_row = std::to_string(rows) + " rows";
  AXONAL_CHECK(check_backward(args, {total, what, cols, per_col, rows, per_row}, x, dy, w, mean, rstd, dx, dw, db));
  AXONAL_CHECK(status_ok(args, axonal::layer_norm_bwd(x.data, dy.data, rows, cols, opt(w), mean.data, rstd.data,
                                                      opt_out(dx), opt_out(dw), opt_out(db))));
  return info.Env().Undefined();
}

bool groups_arg(const Args& args, std::size_t i, std::int64_t c, std::int64_t* groups) {
  if (!args.dim(i, "groups", groups)) return false;
  if (*groups >= 1 && c % *groups == 0) return true;
  throw_range_error(args.env(),
                    args.prefix() + "groups must be >= 1 and divide c (" + std::to_string(c) + "), but received " +
                        std::to_string(*groups),
                    kCodeShape);
  return false;
}

Napi::Value GroupNormForward(const Napi::CallbackInfo& info) {
  Args args(info, "groupNormForward");
  F32Arg x, w, b, y, sm, sr;
  std::int64_t n = 0, c = 0, s = 0, groups = 0, total = 0, ng = 0;
  double eps = 0;
  AXONAL_CHECK(args.count(11));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.dim(1, "n", &n));
  AXONAL_CHECK(args.dim(2, "c", &c));
  AXONAL_CHECK(args.dim(3, "s", &s));
  AXONAL_CHECK(groups_arg(args, 4, c, &groups));
  AXONAL_CHECK(args.f32(5, "weight", &w));
  AXONAL_CHECK(args.f32(6, "bias", &b));
  AXONAL_CHECK(eps_arg(args, 7, &eps));
  AXONAL_CHECK(args.f32(8, "y", &y));
  AXONAL_CHECK(args.f32(9, "saveMean", &sm));
  AXONAL_CHECK(args.f32(10, "saveRstd", &sr));
  AXONAL_CHECK(volume(args, n, c, s, &total));
  AXONAL_CHECK(volume(args, n, groups, 1, &ng));
  const std::string what = shape3(n, c, s);
  const std::string per = std::to_string(c) + " channels";
  const std::string per_group = std::to_string(n) + " samples x " + std::to_string(groups) + " groups";
  AXONAL_CHECK(check_forward(args, {total, what, c, per, ng, per_group}, x, w, b, y, sm, sr));
  AXONAL_CHECK(status_ok(args, axonal::group_norm_fwd(x.data, n, c, s, groups, opt(w), opt(b), static_cast<float>(eps),
                                                      y.data, sm.data, sr.data)));
  return info.Env().Undefined();
}

Napi::Value GroupNormBackward(const Napi::CallbackInfo& info) {
  Args args(info, "groupNormBackward");
  F32Arg x, dy, w, mean, rstd, dx, dw, db;
  std::int64_t n = 0, c = 0, s = 0, groups = 0, total = 0, ng = 0;
  AXONAL_CHECK(args.count(12));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "dy", &dy));
  AXONAL_CHECK(args.dim(2, "n", &n));
  AXONAL_CHECK(args.dim(3, "c", &c));
  AXONAL_CHECK(args.dim(4, "s", &s));
  AXONAL_CHECK(groups_arg(args, 5, c, &groups));
  AXONAL_CHECK(args.f32(6, "weight", &w));
  AXONAL_CHECK(args.f32(7, "mean", &mean));
  AXONAL_CHECK(args.f32(8, "rstd", &rstd));
  AXONAL_CHECK(args.f32(9, "dx", &dx));
  AXONAL_CHECK(args.f32(10, "dweight", &dw));
  AXONAL_CHECK(args.f32(11, "dbias", &db));
  AXONAL_CHECK(volume(args, n, c, s, &total));
  AXONAL_CHECK(volume(args, n, groups, 1, &ng));
  const std::string what = shape3(n, c, s);
  const std::string per = std::to_string(c) + " channels";
  const std::string per_group = std::to_string(n) + " samples x " + std::to_string(groups) + " groups";
  AXONAL_CHECK(check_backward(args, {total, what, c, per, ng, per_group}, x, dy, w, mean, rstd, dx, dw, db));
  AXONAL_CHECK(status_ok(args, axonal::group_norm_bwd(x.data, dy.data, n, c, s, groups, opt(w), mean.data, rstd.data,
                                                      opt_out(dx), opt_out(dw), opt_out(db))));
  return info.Env().Undefined();
}

}  // namespace

void register_norm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormForward", Napi::Function::New(env, BatchNormForward, "batchNormForward"));
  exports.Set("batchNormBackward", Napi::Function::New(env, BatchNormBackward, "batchNormBackward"));
  exports.Set("layerNormForward", Napi::Function::New(env, LayerNormForward, "layerNormForward"));
  exports.Set("layerNormBackward", Napi::Function::New(env, LayerNormBackward, "layerNormBackward"));
  exports.Set("groupNormForward", Napi::Function::New(env, GroupNormForward, "groupNormForward"));
  exports.Set("groupNormBackward", Napi::Function::New(env, GroupNormBackward, "groupNormBackward"));
}

}  // namespace axonal_binding
