// JS entry points for cumulative sums and products (native/core/scan.cpp): argument
// checks, then one native call. Arrays are [outer, size, inner], row-major.
//   cumsumFwd(x, outer, size, inner, out)              out = cumsum of x along size
//   cumprodFwd(x, outer, size, inner, out)             out = cumprod of x along size
//   cumsumBwd(grad, outer, size, inner, gradX)         gradX = reversed cumsum of grad
//   cumprodBwd(x, out, grad, outer, size, inner, gradX)  PyTorch 1.13's cumprod_backward
// Outputs must not overlap any input.
#include "axonal/scan.h"
#include "binding/addon.h"
#include "binding/args.h"
#include "binding/axis_view.h"

namespace axonal_binding {
namespace {

// fwd(x, outer, size, inner, out): the forwards and cumsum's backward share a signature.
template <axonal::Status (*kFn)(std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t, const float*, float*) noexcept>
Napi::Value Scan(const Napi::CallbackInfo& info) {
  const char* op = static_cast<const char*>(info.Data());
  const bool bwd = kFn == axonal::cumsum_bwd;
  const char* in_name = bwd ? "grad" : "x";
  const char* out_name = bwd ? "gradX" : "out";
  Args args(info, op);
  F32Arg x, out;
  std::int64_t outer = 0, size = 0, inner = 0, n = 0;
  AXONAL_CHECK(args.count(5));
  AXONAL_CHECK(args.f32(0, in_name, &x));
  AXONAL_CHECK(args.dim(1, "outer", &outer));
  AXONAL_CHECK(args.dim(2, "size", &size));
  AXONAL_CHECK(args.dim(3, "inner", &inner));
  AXONAL_CHECK(args.f32(4, out_name, &out));
  AXONAL_CHECK(axis_volume(args, "size", outer, size, inner, &n));
  const std::string what = axis_shape(outer, size, inner, "size");
  AXONAL_CHECK(args.exact_length(in_name, x, n, what));
  AXONAL_CHECK(args.exact_length(out_name, out, n, what));
  AXONAL_CHECK(args.disjoint(out_name, out, in_name, x));
  AXONAL_CHECK(axis_status_ok(args, kFn(outer, size, inner, x.data, out.data)));
  return info.Env().Undefined();
}

Napi::Value CumprodBwd(const Napi::CallbackInfo& info) {
  Args args(info, "cumprodBwd");
  F32Arg x, out, grad, gx;
  std::int64_t outer = 0, size = 0, inner = 0, n = 0;
  AXONAL_CHECK(args.count(7));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "out", &out));
  AXONAL_CHECK(args.f32(2, "grad", &grad));
  AXONAL_CHECK(args.dim(3, "outer", &outer));
  AXONAL_CHECK(args.dim(4, "size", &size));
  AXONAL_CHECK(args.dim(5, "inner", &inner));
  AXONAL_CHECK(args.f32(6, "gradX", &gx));
  AXONAL_CHECK(axis_volume(args, "size", outer, size, inner, &n));
  const std::string what = axis_shape(outer, size, inner, "size");
  AXONAL_CHECK(args.exact_length("x", x, n, what));
  AXONAL_CHECK(args.exact_length("out", out, n, what));
  AXONAL_CHECK(args.exact_length("grad", grad, n, what));
  AXONAL_CHECK(args.exact_length("gradX", gx, n, what));
  AXONAL_CHECK(args.disjoint("gradX", gx, "x", x));
  AXONAL_CHECK(args.disjoint("gradX", gx, "out", out));
  AXONAL_CHECK(args.disjoint("gradX", gx, "grad", grad));
  AXONAL_CHECK(axis_status_ok(args, axonal::cumprod_bwd(outer, size, inner, x.data, out.data, grad.data, gx.data)));
  return info.Env().Undefined();
}

}  // namespace

void register_scan(Napi::Env env, Napi::Object exports) {
  static const char kCumsumFwd[] = "cumsumFwd";
  static const char kCumprodFwd[] = "cumprodFwd";
  static const char kCumsumBwd[] = "cumsumBwd";
  exports.Set(kCumsumFwd, Napi::Function::New(env, Scan<axonal::cumsum_fwd>, kCumsumFwd,
                                              const_cast<char*>(kCumsumFwd)));
  exports.Set(kCumprodFwd, Napi::Function::New(env, Scan<axonal::cumprod_fwd>, kCumprodFwd,
                                               const_cast<char*>(kCumprodFwd)));
  exports.Set(kCumsumBwd, Napi::Function::New(env, Scan<axonal::cumsum_bwd>, kCumsumBwd,
                                              const_cast<char*>(kCumsumBwd)));
  exports.Set("cumprodBwd", Napi::Function::New(env, CumprodBwd, "cumprodBwd"));
}

}  // namespace axonal_binding
