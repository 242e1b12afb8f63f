// JS entry points for the loss kernels: argument checks, then one fused native call
// that writes the gradient and returns the reduced loss (a number; for reduction
// 'none' the per-element losses go to `out` and the sum of them is returned).
//   mseLoss / l1Loss / bceLoss (input, target, grad, out, reduction)
//   huberLoss (input, target, grad, out, reduction, delta)
//   smoothL1Loss (input, target, grad, out, reduction, beta)
//   bceWithLogitsLoss (input, target, posWeight, grad, out, reduction, cols)
//   klDivLoss (input, target, grad, out, reduction, logTarget)
//   crossEntropyLoss (logits, rows, cols, target, weight, ignoreIndex, labelSmoothing, grad, out, reduction)
//   nllLoss (logProbs, rows, cols, target, weight, ignoreIndex, grad, out, reduction)
// `out` must hold the per-element (per-row) losses for 'none' and is ignored (any
// length, e.g. empty) otherwise. `weight` / `posWeight`: empty means none.
// Class indices: an Int32Array, or a Float32Array of integer values.
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <utility>
#include <vector>

#include "axonal/loss.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

using axonal::PointLoss;
using axonal::Reduction;

bool reduction_arg(const Napi::CallbackInfo& info, const Args& args, std::size_t i, Reduction* out) {
  Napi::Value v = info[i];
  if (v.IsString()) {
    const std::string s = v.As<Napi::String>().Utf8Value();
    if (s == "none") *out = Reduction::kNone;
    else if (s == "mean") *out = Reduction::kMean;
    else if (s == "sum") *out = Reduction::kSum;
    else {
      throw_range_error(args.env(), args.prefix() + "reduction must be 'none', 'mean' or 'sum', but received '" + s + "'");
      return false;
    }
    return true;
  }
  throw_type_error(args.env(), args.prefix() + "reduction must be 'none', 'mean' or 'sum', but received " + describe(v));
  return false;
}

bool disjoint_from_all(const Args& args, const char* out_name, const F32Arg& out,
                       std::initializer_list<std::pair<const char*, const F32Arg*>> ins) {
  for (const auto& in : ins) {
    if (!args.disjoint(out_name, out, in.first, *in.second)) return false;
  }
  return true;
}

bool status_ok(const Args& args, axonal::Status st) {
  if (st == axonal::Status::kOk) return true;
  throw_native_error(args.env(), args.prefix() + axonal::status_name(st));
  return false;
}

// Shared checks of (input, target, grad, out, reduction): lengths, aliasing.
bool read_point(const Napi::CallbackInfo& info, const Args& args, std::size_t i_in, std::size_t i_t, std::size_t i_grad, std::size_t i_out,
                std::size_t i_red, F32Arg* x, F32Arg* t, F32Arg* grad, F32Arg* out, Reduction* red) {
  if (!args.f32(i_in, "input", x) || !args.f32(i_t, "target", t) || !args.f32(i_grad, "grad", grad) ||
      !args.f32(i_out, "out", out) || !reduction_arg(info, args, i_red, red))
    return false;
  const std::string what = "input of " + std::to_string(x->length) + " elements";
  if (!args.exact_length("target", *t, x->length, what) || !args.exact_length("grad", *grad, x->length, what))
    return false;
  if (*red == Reduction::kNone && !args.exact_length("out", *out, x->length, what + " (reduction 'none')")) return false;
  if (!disjoint_from_all(args, "grad", *grad, {{"input", x}, {"target", t}})) return false;
  if (*red == Reduction::kNone &&
      !disjoint_from_all(args, "out", *out, {{"input", x}, {"target", t}, {"grad", grad}}))
    return false;
  return true;
}

Napi::Value finish(const Args& args, PointLoss op, const F32Arg& x, const F32Arg& t, const float* pw,
                   std::int64_t cols, const F32Arg& grad, const F32Arg& out, Reduction red, double a) {
  double value = 0;
  if (!status_ok(args, axonal::point_loss(op, x.data, t.data, pw, cols, grad.data,
                                          red == Reduction::kNone ? out.data : nullptr, x.length,
                                          static_cast<float>(a), red, &value)))
    return Napi::Value();
  return Napi::Number::New(args.env(), value);
}

template <PointLoss kOp>
Napi::Value Simple(const Napi::CallbackInfo& info) {
  Args args(info, kOp == PointLoss::kMse ? "mseLoss" : kOp == PointLoss::kL1 ? "l1Loss" : "bceLoss");
  F32Arg x, t, grad, out;
  Reduction red;
  AXONAL_CHECK(args.count(5));
  AXONAL_CHECK(read_point(info, args, 0, 1, 2, 3, 4, &x, &t, &grad, &out, &red));
  if (kOp == PointLoss::kBce) {
    for (std::int64_t i = 0; i < x.length; ++i) {
      if (!(x.data[i] >= 0.0f && x.data[i] <= 1.0f)) {
        throw_range_error(info.Env(), "bceLoss: every input must be between 0 and 1, but input[" + std::to_string(i) +
                                          "] is " + std::to_string(x.data[i]));
        return Napi::Value();
      }
    }
  }
  return finish(args, kOp, x, t, nullptr, 0, grad, out, red, 0);
}

template <PointLoss kOp>
Napi::Value WithParam(const Napi::CallbackInfo& info) {
  const bool huber = kOp == PointLoss::kHuber;
  Args args(info, huber ? "huberLoss" : "smoothL1Loss");
  F32Arg x, t, grad, out;
  Reduction red;
  double a = 0;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(read_point(info, args, 0, 1, 2, 3, 4, &x, &t, &grad, &out, &red));
  AXONAL_CHECK(args.finite(5, huber ? "delta" : "beta", &a));
  if (huber ? !(a > 0) : !(a >= 0)) {
    throw_range_error(info.Env(), args.prefix() + (huber ? "delta must be > 0" : "beta must be >= 0") +
                                      ", but received " + std::to_string(a));
    return Napi::Value();
  }
  return finish(args, kOp, x, t, nullptr, 0, grad, out, red, a);
}

Napi::Value KlDiv(const Napi::CallbackInfo& info) {
  Args args(info, "klDivLoss");
  F32Arg x, t, grad, out;
  Reduction red;
  bool log_target = false;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(read_point(info, args, 0, 1, 2, 3, 4, &x, &t, &grad, &out, &red));
  AXONAL_CHECK(args.boolean(5, "logTarget", &log_target));
  return finish(args, PointLoss::kKlDiv, x, t, nullptr, 0, grad, out, red, log_target ? 1.0 : 0.0);
}

Napi::Value BceWithLogits(const Napi::CallbackInfo& info) {
  Args args(info, "bceWithLogitsLoss");
  F32Arg x, t, pw, grad, out;
  Reduction red;
  std::int64_t cols = 0;
  AXONAL_CHECK(args.count(7));
  AXONAL_CHECK(args.f32(2, "posWeight", &pw));
  AXONAL_CHECK(read_point(info, args, 0, 1, 3, 4, 5, &x, &t, &grad, &out, &red));
  AXONAL_CHECK(args.dim(6, "cols", &cols));
  if (cols < 1 || x.length % cols != 0) {
    throw_range_error(info.Env(), "bceWithLogitsLoss: cols must be >= 1 and divide the input's " +
                                      std::to_string(x.length) + " elements, but received " + std::to_string(cols),
                      kCodeShape);
    return Napi::Value();
  }
  if (pw.length != 0) {
    AXONAL_CHECK(args.exact_length("posWeight", pw, cols, "cols " + std::to_string(cols) + " (or 0 for none)"));
    AXONAL_CHECK(args.disjoint("grad", grad, "posWeight", pw));
    if (red == Reduction::kNone) AXONAL_CHECK(args.disjoint("out", out, "posWeight", pw));
  }
  return finish(args, PointLoss::kBceWithLogits, x, t, pw.length ? pw.data : nullptr, cols, grad, out, red, 0);
}

// Class indices: Int32Array or Float32Array of integers, each in [0, cols) or ignore_index.
struct Targets {
  F32Arg where;                          // the caller's array, for the aliasing checks
  IndexArg i32;                          // an Int32Array's (read in place unless shared)
  std::vector<std::int32_t> from_f32;    // a Float32Array's, converted
  const std::int32_t* values = nullptr;  // what the kernel reads
};

bool read_targets(const Napi::CallbackInfo& info, const Args& args, std::size_t i, std::int64_t rows, std::int64_t cols,
                  std::int64_t ignore_index, Targets* t) {
  Napi::Value v = info[i];
  const bool is_i32 = v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array;
  const bool is_f32 = v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array;
  if (!is_i32 && !is_f32) {
    throw_type_error(args.env(), args.prefix() +
                                     "target must be an Int32Array or a Float32Array of class indices, but received " +
                                     describe(v));
    return false;
  }
  const std::int32_t* iv = nullptr;
  const float* fv = nullptr;
  std::int64_t len = 0;
  if (is_i32) {
    if (!args.indices(i, "target", &t->i32)) return false;
    iv = t->i32.read.data;
    len = t->i32.read.length;
    t->where.data = reinterpret_cast<float*>(t->i32.where.data);
  } else {
    if (!args.f32(i, "target", &t->where)) return false;
    fv = t->where.data;
    len = t->where.length;
  }
  t->where.length = len;
  if (len != rows) {
    throw_range_error(args.env(), args.prefix() + "target must have " + std::to_string(rows) +
                                      " elements (one class index per row), but has " + std::to_string(len),
                      kCodeShape);
    return false;
  }
  if (is_f32) t->from_f32.resize(static_cast<std::size_t>(rows));
  for (std::int64_t r = 0; r < rows; ++r) {
    double c = is_i32 ? static_cast<double>(iv[r]) : static_cast<double>(fv[r]);
    const bool integral = std::isfinite(c) && c == std::floor(c);
    if (!integral || (c != static_cast<double>(ignore_index) && (c < 0 || c >= static_cast<double>(cols)))) {
      char num[64];
      std::snprintf(num, sizeof num, "%.9g", c);
      throw_range_error(args.env(), args.prefix() + "target[" + std::to_string(r) + "] must be a class index in [0, " +
                                        std::to_string(cols) + ") or ignoreIndex (" + std::to_string(ignore_index) +
                                        "), but is " + num);
      return false;
    }
    if (is_f32) t->from_f32[static_cast<std::size_t>(r)] = static_cast<std::int32_t>(c);
  }
  t->values = is_i32 ? iv : t->from_f32.data();
  return true;
}

template <bool kCe>
Napi::Value ClassLoss(const Napi::CallbackInfo& info) {
  Args args(info, kCe ? "crossEntropyLoss" : "nllLoss");
  const std::size_t base = kCe ? 1 : 0;  // crossEntropyLoss has labelSmoothing at 6
  F32Arg x, weight, grad, out;
  std::int64_t rows = 0, cols = 0, ignore_index = 0;
  double ls = 0;
  Reduction red;
  AXONAL_CHECK(args.count(9 + base));
  AXONAL_CHECK(args.f32(0, kCe ? "logits" : "input", &x));
  AXONAL_CHECK(args.dim(1, "rows", &rows));
  AXONAL_CHECK(args.dim(2, "cols", &cols));
  AXONAL_CHECK(args.f32(4, "weight", &weight));
  AXONAL_CHECK(args.integer(5, "ignoreIndex", INT32_MIN, INT32_MAX, &ignore_index));
  if (kCe) AXONAL_CHECK(args.finite(6, "labelSmoothing", &ls));
  AXONAL_CHECK(args.f32(6 + base, "grad", &grad));
  AXONAL_CHECK(args.f32(7 + base, "out", &out));
  AXONAL_CHECK(reduction_arg(info, args, 8 + base, &red));
  if (!(ls >= 0 && ls <= 1)) {
    throw_range_error(info.Env(), args.prefix() + "labelSmoothing must be in [0, 1], but received " + std::to_string(ls));
    return Napi::Value();
  }
  const std::string what = "a " + std::to_string(rows) + "x" + std::to_string(cols) + " input";
  AXONAL_CHECK(args.exact_length(kCe ? "logits" : "input", x, rows * cols, what));
  AXONAL_CHECK(args.exact_length("grad", grad, rows * cols, what));
  if (weight.length != 0) AXONAL_CHECK(args.exact_length("weight", weight, cols, what + " (or 0 for none)"));
  if (red == Reduction::kNone) AXONAL_CHECK(args.exact_length("out", out, rows, what + " (reduction 'none')"));
  Targets targets;
  AXONAL_CHECK(read_targets(info, args, 3, rows, cols, ignore_index, &targets));
  const std::int32_t* target = targets.values;
  // The kernel reads the targets while it writes grad and out: a target overwritten on
  // the way would index out of bounds.
  AXONAL_CHECK(disjoint_from_all(args, "grad", grad, {{kCe ? "logits" : "input", &x}, {"weight", &weight}, {"target", &targets.where}}));
  if (red == Reduction::kNone) {
    AXONAL_CHECK(disjoint_from_all(
        args, "out", out,
        {{kCe ? "logits" : "input", &x}, {"weight", &weight}, {"grad", &grad}, {"target", &targets.where}}));
  }
  double value = 0;
  float* outp = red == Reduction::kNone ? out.data : nullptr;
  const float* w = weight.length ? weight.data : nullptr;
  const axonal::Status st =
      kCe ? axonal::cross_entropy(x.data, rows, cols, target, w, static_cast<std::int32_t>(ignore_index),
                                  static_cast<float>(ls), red, grad.data, outp, &value)
          : axonal::nll_loss(x.data, rows, cols, target, w, static_cast<std::int32_t>(ignore_index), red, grad.data,
                             outp, &value);
  AXONAL_CHECK(status_ok(args, st));
  return Napi::Number::New(info.Env(), value);
}

}  // namespace

void register_loss(Napi::Env env, Napi::Object exports) {
  exports.Set("mseLoss", Napi::Function::New(env, Simple<PointLoss::kMse>, "mseLoss"));
  exports.Set("l1Loss", Napi::Function::New(env, Simple<PointLoss::kL1>, "l1Loss"));
  exports.Set("bceLoss", Napi::Function::New(env, Simple<PointLoss::kBce>, "bceLoss"));
  exports.Set("huberLoss", Napi::Function::New(env, WithParam<PointLoss::kHuber>, "huberLoss"));
  exports.Set("smoothL1Loss", Napi::Function::New(env, WithParam<PointLoss::kSmoothL1>, "smoothL1Loss"));
  exports.Set("klDivLoss", Napi::Function::New(env, KlDiv, "klDivLoss"));
  exports.Set("bceWithLogitsLoss", Napi::Function::New(env, BceWithLogits, "bceWithLogitsLoss"));
  exports.Set("crossEntropyLoss", Napi::Function::New(env, ClassLoss<true>, "crossEntropyLoss"));
  exports.Set("nllLoss", Napi::Function::New(env, ClassLoss<false>, "nllLoss"));
}

}  // namespace axonal_binding
