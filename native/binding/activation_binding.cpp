// JS entry points for the activation kernels: argument checks, then one native call.
//   <op>Fwd(x, y, ...params)          y = f(x); y may be x itself (in place), never a partial overlap
//   <op>Bwd(src, dy, dx, ...params)   dx = dy * f'(src); src is x, or y for sigmoid, tanh,
//                                     exp, sqrt, expm1, reciprocal
//   softmaxFwd / logSoftmaxFwd(x, y, rows, cols)
//   softmaxBwd / logSoftmaxBwd(y, dy, dx, rows, cols)
// Params: leakyRelu(negativeSlope), elu(alpha), softplus(beta, threshold), hardtanh(minVal, maxVal),
// pow(exponent), clamp(min, max) (not NaN; +-Infinity for a missing bound).
#include <cmath>

#include "axonal/activation.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

using axonal::ActOp;

struct PointOp {
  const char* fwd;
  const char* bwd;
  ActOp op;
  int n_params;
  const char* p0;
  const char* p1;
  const char* src;  // what the backward's first argument is
};

const PointOp kOps[] = {
    {"reluFwd", "reluBwd", ActOp::kRelu, 0, nullptr, nullptr, "x"},
    {"leakyReluFwd", "leakyReluBwd", ActOp::kLeakyRelu, 1, "negativeSlope", nullptr, "x"},
    {"eluFwd", "eluBwd", ActOp::kElu, 1, "alpha", nullptr, "x"},
    {"seluFwd", "seluBwd", ActOp::kSelu, 0, nullptr, nullptr, "x"},
    {"geluFwd", "geluBwd", ActOp::kGelu, 0, nullptr, nullptr, "x"},
    {"geluTanhFwd", "geluTanhBwd", ActOp::kGeluTanh, 0, nullptr, nullptr, "x"},
    {"siluFwd", "siluBwd", ActOp::kSilu, 0, nullptr, nullptr, "x"},
    {"mishFwd", "mishBwd", ActOp::kMish, 0, nullptr, nullptr, "x"},
    {"sigmoidFwd", "sigmoidBwd", ActOp::kSigmoid, 0, nullptr, nullptr, "y"},
    {"tanhFwd", "tanhBwd", ActOp::kTanh, 0, nullptr, nullptr, "y"},
    {"softplusFwd", "softplusBwd", ActOp::kSoftplus, 2, "beta", "threshold", "x"},
    {"hardtanhFwd", "hardtanhBwd", ActOp::kHardtanh, 2, "minVal", "maxVal", "x"},
    {"hardsigmoidFwd", "hardsigmoidBwd", ActOp::kHardsigmoid, 0, nullptr, nullptr, "x"},
    {"hardswishFwd", "hardswishBwd", ActOp::kHardswish, 0, nullptr, nullptr, "x"},
    {"expFwd", "expBwd", ActOp::kExp, 0, nullptr, nullptr, "y"},
    {"logFwd", "logBwd", ActOp::kLog, 0, nullptr, nullptr, "x"},
    {"sqrtFwd", "sqrtBwd", ActOp::kSqrt, 0, nullptr, nullptr, "y"},
    {"absFwd", "absBwd", ActOp::kAbs, 0, nullptr, nullptr, "x"},
    {"log1pFwd", "log1pBwd", ActOp::kLog1p, 0, nullptr, nullptr, "x"},
    {"expm1Fwd", "expm1Bwd", ActOp::kExpm1, 0, nullptr, nullptr, "y"},
    {"reciprocalFwd", "reciprocalBwd", ActOp::kReciprocal, 0, nullptr, nullptr, "y"},
    {"squareFwd", "squareBwd", ActOp::kSquare, 0, nullptr, nullptr, "x"},
    {"powFwd", "powBwd", ActOp::kPow, 1, "exponent", nullptr, "x"},
    {"clampFwd", "clampBwd", ActOp::kClamp, 2, "min", "max", "x"},
    {"identityFwd", "identityBwd", ActOp::kCopy, 0, nullptr, nullptr, "x"},
};

// Output equal to the input (in place) or disjoint from it; a partial overlap would
// read already-written values.
bool same_or_disjoint(const Args& args, const char* out_name, const F32Arg& out, const char* in_name,
                      const F32Arg& in) {
  if (out.data == in.data && out.length == in.length) return true;
  return args.disjoint(out_name, out, in_name, in);
}

// A number that is not NaN (clamp's bounds: a missing bound is passed as -Inf / +Inf).
bool not_nan(const Args& args, const Napi::Value& v, const char* name, double* out) {
  if (!v.IsNumber()) {
    throw_type_error(args.env(), args.prefix() + name + " must be a number, but received " + describe(v));
    return false;
  }
  *out = v.As<Napi::Number>().DoubleValue();
  if (std::isnan(*out)) {
    throw_range_error(args.env(), args.prefix() + name + " must be a number other than NaN, but received NaN");
    return false;
  }
  return true;
}

bool read_params(const Napi::CallbackInfo& info, const Args& args, const PointOp& op, std::size_t first,
                 axonal::ActParams* p) {
  double a = 0, b = 0;
  if (op.op == ActOp::kClamp) {
    if (!not_nan(args, info[first], op.p0, &a) || !not_nan(args, info[first + 1], op.p1, &b)) return false;
  } else {
    if (op.n_params >= 1 && !args.finite(first, op.p0, &a)) return false;
    if (op.n_params >= 2 && !args.finite(first + 1, op.p1, &b)) return false;
  }
  if (op.op == ActOp::kHardtanh && !(a <= b)) {
    throw_range_error(args.env(), args.prefix() + "maxVal must be >= minVal, but received minVal " +
                                      std::to_string(a) + " and maxVal " + std::to_string(b));
    return false;
  }
  p->a = static_cast<float>(a);
  p->b = static_cast<float>(b);
  return true;
}

bool status_ok(const Args& args, axonal::Status st) {
  if (st == axonal::Status::kOk) return true;
  throw_native_error(args.env(), args.prefix() + axonal::status_name(st));
  return false;
}

Napi::Value PointFwd(const Napi::CallbackInfo& info) {
  const PointOp& op = *static_cast<const PointOp*>(info.Data());
  Args args(info, op.fwd);
  F32Arg x, y;
  axonal::ActParams p;
  AXONAL_CHECK(args.count(2 + static_cast<std::size_t>(op.n_params)));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "y", &y));
  AXONAL_CHECK(read_params(info, args, op, 2, &p));
  AXONAL_CHECK(args.exact_length("y", y, x.length, "x of " + std::to_string(x.length) + " elements"));
  AXONAL_CHECK(same_or_disjoint(args, "y", y, "x", x));
  AXONAL_CHECK(status_ok(args, axonal::activation_fwd(op.op, x.data, y.data, x.length, p)));
  return info.Env().Undefined();
}

Napi::Value PointBwd(const Napi::CallbackInfo& info) {
  const PointOp& op = *static_cast<const PointOp*>(info.Data());
  Args args(info, op.bwd);
  F32Arg src, dy, dx;
  axonal::ActParams p;
  AXONAL_CHECK(args.count(3 + static_cast<std::size_t>(op.n_params)));
  AXONAL_CHECK(args.f32(0, op.src, &src));
  AXONAL_CHECK(args.f32(1, "dy", &dy));
  AXONAL_CHECK(args.f32(2, "dx", &dx));
  AXONAL_CHECK(read_params(info, args, op, 3, &p));
  const std::string what = std::string(op.src) + " of " + std::to_string(src.length) + " elements";
  AXONAL_CHECK(args.exact_length("dy", dy, src.length, what));
  AXONAL_CHECK(args.exact_length("dx", dx, src.length, what));
  AXONAL_CHECK(same_or_disjoint(args, "dx", dx, op.src, src));
  AXONAL_CHECK(same_or_disjoint(args, "dx", dx, "dy", dy));
  AXONAL_CHECK(status_ok(args, axonal::activation_bwd(op.op, src.data, dy.data, dx.data, src.length, p)));
  return info.Env().Undefined();
}

bool read_rows_cols(const Args& args, std::size_t i, std::int64_t* rows, std::int64_t* cols, std::int64_t* n) {
  if (!args.dim(i, "rows", rows) || !args.dim(i + 1, "cols", cols)) return false;
  *n = *rows * *cols;  // both < 2^31: no overflow
  return true;
}

std::string matrix_what(std::int64_t rows, std::int64_t cols) {
  return "a " + std::to_string(rows) + "x" + std::to_string(cols) + " matrix";
}

template <bool kLog>
Napi::Value RowFwd(const Napi::CallbackInfo& info) {
  Args args(info, kLog ? "logSoftmaxFwd" : "softmaxFwd");
  F32Arg x, y;
  std::int64_t rows = 0, cols = 0, n = 0;
  AXONAL_CHECK(args.count(4));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "y", &y));
  AXONAL_CHECK(read_rows_cols(args, 2, &rows, &cols, &n));
  AXONAL_CHECK(args.exact_length("x", x, n, matrix_what(rows, cols)));
  AXONAL_CHECK(args.exact_length("y", y, n, matrix_what(rows, cols)));
  AXONAL_CHECK(same_or_disjoint(args, "y", y, "x", x));
  AXONAL_CHECK(status_ok(args, axonal::softmax_fwd(kLog, x.data, cols, y.data, cols, rows, cols)));
  return info.Env().Undefined();
}

template <bool kLog>
Napi::Value RowBwd(const Napi::CallbackInfo& info) {
  Args args(info, kLog ? "logSoftmaxBwd" : "softmaxBwd");
  F32Arg y, dy, dx;
  std::int64_t rows = 0, cols = 0, n = 0;
  AXONAL_CHECK(args.count(5));
  AXONAL_CHECK(args.f32(0, "y", &y));
  AXONAL_CHECK(args.f32(1, "dy", &dy));
  AXONAL_CHECK(args.f32(2, "dx", &dx));
  AXONAL_CHECK(read_rows_cols(args, 3, &rows, &cols, &n));
  AXONAL_CHECK(args.exact_length("y", y, n, matrix_what(rows, cols)));
  AXONAL_CHECK(args.exact_length("dy", dy, n, matrix_what(rows, cols)));
  AXONAL_CHECK(args.exact_length("dx", dx, n, matrix_what(rows, cols)));
  AXONAL_CHECK(same_or_disjoint(args, "dx", dx, "y", y));
  AXONAL_CHECK(same_or_disjoint(args, "dx", dx, "dy", dy));
  AXONAL_CHECK(status_ok(args, axonal::softmax_bwd(kLog, y.data, cols, dy.data, cols, dx.data, cols, rows, cols)));
  return info.Env().Undefined();
}

}  // namespace

void register_activation(Napi::Env env, Napi::Object exports) {
  for (const PointOp& op : kOps) {
    void* data = const_cast<PointOp*>(&op);
    exports.Set(op.fwd, Napi::Function::New(env, PointFwd, op.fwd, data));
    exports.Set(op.bwd, Napi::Function::New(env, PointBwd, op.bwd, data));
  }
  exports.Set("softmaxFwd", Napi::Function::New(env, RowFwd<false>, "softmaxFwd"));
  exports.Set("logSoftmaxFwd", Napi::Function::New(env, RowFwd<true>, "logSoftmaxFwd"));
  exports.Set("softmaxBwd", Napi::Function::New(env, RowBwd<false>, "softmaxBwd"));
  exports.Set("logSoftmaxBwd", Napi::Function::New(env, RowBwd<true>, "logSoftmaxBwd"));
}

}  // namespace axonal_binding
