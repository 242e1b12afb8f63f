// Backend queries and settings: ISA, threads, error class.
#include "axonal/dispatch.h"
#include "axonal/threadpool.h"
#include "binding/addon.h"
#include "binding/args.h"

#ifndef AXONAL_VERSION
#define AXONAL_VERSION "0.0.0-dev"
#endif

namespace axonal_binding {
namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  Args args(info, "backend.info");
  AXONAL_CHECK(args.count(0));
  Napi::Env env = info.Env();
  const axonal::KernelTable& k = axonal::kernels();
  axonal::Isa list[axonal::kIsaCount];
  const int n = axonal::available_isas(list, axonal::kIsaCount);
  Napi::Array available = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) available.Set(static_cast<uint32_t>(i), axonal::isa_name(list[i]));
  Napi::Object out = Napi::Object::New(env);
  out.Set("nativeVersion", AXONAL_VERSION);
  out.Set("isa", axonal::isa_name(k.isa));
  out.Set("isaAvailable", available);
  out.Set("threads", axonal::num_threads());
  out.Set("hardwareThreads", axonal::hardware_threads());
  out.Set("simdWidthFloats", k.simd_width_floats);
  return out;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Args args(info, "backend.setNumThreads");
  std::int64_t n = 0;
  AXONAL_CHECK(args.count(1));
  AXONAL_CHECK(args.integer(0, "n", 1, axonal::kMaxThreads, &n));
  axonal::set_num_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  Args args(info, "backend.getNumThreads");
  AXONAL_CHECK(args.count(0));
  return Napi::Number::New(info.Env(), axonal::num_threads());
}

Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  Args args(info, "backend.setIsa");
  AXONAL_CHECK(args.count(1));
  if (!info[0].IsString()) {
    throw_type_error(info.Env(), "backend.setIsa: isa must be a string, but received " + describe(info[0]));
    return Napi::Value();
  }
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  axonal::Isa isa;
  if (!axonal::isa_from_name(name.c_str(), &isa)) {
    throw_range_error(info.Env(), "backend.setIsa: isa must be one of scalar, neon, avx2, avx512, but received \"" +
                                      name + "\"");
    return Napi::Value();
  }
  if (axonal::set_active_isa(isa) != axonal::Status::kOk) {
    throw_range_error(info.Env(), "backend.setIsa: " + name + " is not supported by this CPU or build");
    return Napi::Value();
  }
  return info.Env().Undefined();
}

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  Args args(info, "setErrorClass");
  AXONAL_CHECK(args.count(1));
  if (!info[0].IsFunction()) {
    throw_type_error(info.Env(), "setErrorClass: cls must be a class, but received " + describe(info[0]));
    return Napi::Value();
  }
  Addon::of(info.Env())->error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace

void register_backend(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClass, "setErrorClass"));
}

}  // namespace axonal_binding
