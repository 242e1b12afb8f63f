#include "binding/args.h"

#include <cmath>
#include <cstdio>

#include "binding/addon.h"

namespace axonal_binding {
namespace {

void throw_with_code(Napi::Env env, Napi::Error err, const char* code) {
  err.Set("code", Napi::String::New(env, code));
  err.ThrowAsJavaScriptException();
}

const char* typed_array_name(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
  }
  return "TypedArray";
}

// As JS would print it: NaN, Infinity, -Infinity, 1.5.
std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

bool is_detached(const Napi::TypedArray& arr) {
  bool detached = false;
  napi_value buffer;
  if (napi_get_typedarray_info(arr.Env(), arr, nullptr, nullptr, nullptr, &buffer, nullptr) != napi_ok) return false;
  if (napi_is_detached_arraybuffer(arr.Env(), buffer, &detached) != napi_ok) return false;
  return detached;
}

}  // namespace

void throw_type_error(Napi::Env env, const std::string& message) {
  throw_with_code(env, Napi::TypeError::New(env, message), kCodeInvalidType);
}

void throw_range_error(Napi::Env env, const std::string& message, const char* code) {
  throw_with_code(env, Napi::RangeError::New(env, message), code);
}

void throw_native_error(Napi::Env env, const std::string& message, const char* code) {
  Addon* addon = Addon::of(env);
  if (addon != nullptr && !addon->error_class.IsEmpty()) {
    Napi::Object err = addon->error_class.New({Napi::String::New(env, message), Napi::String::New(env, code)});
    if (!env.IsExceptionPending()) Napi::Error(env, err).ThrowAsJavaScriptException();
    return;
  }
  throw_with_code(env, Napi::Error::New(env, message), code);
}

std::string describe(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return std::string("a boolean (") + (v.As<Napi::Boolean>().Value() ? "true" : "false") + ")";
    case napi_number: return "a number (" + format_number(v.As<Napi::Number>().DoubleValue()) + ")";
    case napi_string: return "a string";
    case napi_symbol: return "a symbol";
    case napi_function: return "a function";
    case napi_bigint: return "a bigint";
    case napi_external: return "an external";
    case napi_object: break;
  }
  if (v.IsTypedArray()) {
    Napi::TypedArray arr = v.As<Napi::TypedArray>();
    std::string name = typed_array_name(arr.TypedArrayType());
    if (is_detached(arr)) return "a detached " + name;
    return "a " + name + " of length " + std::to_string(arr.ElementLength());
  }
  if (v.IsArray()) return "an Array of length " + std::to_string(v.As<Napi::Array>().Length());
  if (v.IsArrayBuffer()) return "an ArrayBuffer";
  return "an object";
}

bool Args::count(std::size_t n) const {
  if (info_.Length() == n) return true;
  throw_type_error(env(), prefix() + "expected " + std::to_string(n) + " arguments, but received " +
                              std::to_string(info_.Length()));
  return false;
}

bool Args::f32(std::size_t i, const char* name, F32Arg* out) const {
  Napi::Value v = info_[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw_type_error(env(), prefix() + name + " must be a Float32Array, but received " + describe(v));
    return false;
  }
  Napi::Float32Array arr = v.As<Napi::Float32Array>();
  if (is_detached(arr)) {
    throw_type_error(env(), prefix() + name + " is a Float32Array whose buffer has been detached (transferred)");
    return false;
  }
  out->data = arr.Data();
  out->length = static_cast<std::int64_t>(arr.ElementLength());
  return true;
}

bool Args::i32(std::size_t i, const char* name, I32Arg* out) const {
  Napi::Value v = info_[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw_type_error(env(), prefix() + name + " must be an Int32Array, but received " + describe(v));
    return false;
  }
  Napi::Int32Array arr = v.As<Napi::Int32Array>();
  if (is_detached(arr)) {
    throw_type_error(env(), prefix() + name + " is an Int32Array whose buffer has been detached (transferred)");
    return false;
  }
  out->data = arr.Data();
  out->length = static_cast<std::int64_t>(arr.ElementLength());
  return true;
}

bool Args::indices(std::size_t i, const char* name, IndexArg* out) const {
  if (!i32(i, name, &out->where)) return false;
  out->read = out->where;
  napi_value buffer;
  bool plain = false;  // napi_is_arraybuffer is false for a SharedArrayBuffer
  if (napi_get_typedarray_info(env(), info_[i], nullptr, nullptr, nullptr, &buffer, nullptr) != napi_ok ||
      napi_is_arraybuffer(env(), buffer, &plain) != napi_ok || !plain) {
    out->copy.assign(out->where.data, out->where.data + out->where.length);
    out->read.data = out->copy.data();
  }
  return true;
}

bool Args::integer(std::size_t i, const char* name, std::int64_t lo, std::int64_t hi, std::int64_t* out) const {
  Napi::Value v = info_[i];
  if (!v.IsNumber()) {
    throw_type_error(env(), prefix() + name + " must be an integer, but received " + describe(v));
    return false;
  }
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    throw_range_error(env(), prefix() + name + " must be an integer in [" + std::to_string(lo) + ", " +
                                 std::to_string(hi) + "], but received " + format_number(d));
    return false;
  }
  *out = static_cast<std::int64_t>(d);
  return true;
}

bool Args::dim(std::size_t i, const char* name, std::int64_t* out) const {
  return integer(i, name, 0, kMaxDim, out);
}

bool Args::finite(std::size_t i, const char* name, double* out) const {
  Napi::Value v = info_[i];
  if (!v.IsNumber()) {
    throw_type_error(env(), prefix() + name + " must be a number, but received " + describe(v));
    return false;
  }
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) {
    throw_range_error(env(), prefix() + name + " must be a finite number, but received " + format_number(d));
    return false;
  }
  *out = d;
  return true;
}

bool Args::boolean(std::size_t i, const char* name, bool* out) const {
  Napi::Value v = info_[i];
  if (!v.IsBoolean()) {
    throw_type_error(env(), prefix() + name + " must be a boolean, but received " + describe(v));
    return false;
  }
  *out = v.As<Napi::Boolean>().Value();
  return true;
}

bool Args::min_length(const char* name, const F32Arg& arg, std::int64_t needed, const std::string& what) const {
  if (arg.length >= needed) return true;
  throw_range_error(env(),
                    prefix() + name + " needs at least " + std::to_string(needed) + " elements for " + what +
                        ", but has " + std::to_string(arg.length),
                    kCodeShape);
  return false;
}

bool Args::exact_length(const char* name, const F32Arg& arg, std::int64_t needed, const std::string& what) const {
  if (arg.length == needed) return true;
  throw_range_error(env(),
                    prefix() + name + " must have " + std::to_string(needed) + " elements for " + what +
                        ", but has " + std::to_string(arg.length),
                    kCodeShape);
  return false;
}

bool Args::strided(const char* name, const F32Arg& buf, std::int64_t rows, std::int64_t cols, const char* ld_name,
                   std::int64_t ld, const char* noun, bool stored) const {
  const std::int64_t min_ld = cols > 1 ? cols : 1;
  const std::string what = std::string("a ") + std::to_string(rows) + "x" + std::to_string(cols) + " " + noun +
                           " with " + ld_name + " " + std::to_string(ld);
  if (ld < min_ld) {
    throw_range_error(env(),
                      prefix() + ld_name + " must be at least " + std::to_string(min_ld) + " (the columns of " + name +
                          (stored ? " as stored" : "") + "), but received " + std::to_string(ld),
                      kCodeShape);
    return false;
  }
  std::int64_t extent = 0;
  if (rows > 0 && cols > 0) {
    if (!checked_mul(rows - 1, ld, &extent) || __builtin_add_overflow(extent, cols, &extent)) {
      throw_range_error(env(), prefix() + name + " is too large to address (" + what + ")");
      return false;
    }
  }
  return min_length(name, buf, extent, what);
}

bool Args::disjoint(const char* out_name, const F32Arg& out, const char* in_name, const F32Arg& in) const {
  if (out.length == 0 || in.length == 0) return true;
  const std::uintptr_t o0 = reinterpret_cast<std::uintptr_t>(out.data);
  const std::uintptr_t o1 = o0 + sizeof(float) * static_cast<std::uintptr_t>(out.length);
  const std::uintptr_t i0 = reinterpret_cast<std::uintptr_t>(in.data);
  const std::uintptr_t i1 = i0 + sizeof(float) * static_cast<std::uintptr_t>(in.length);
  if (o1 <= i0 || i1 <= o0) return true;
  throw_range_error(env(),
                    prefix() + out_name + " must not share memory with " + in_name +
                        " (pass a separate output buffer)",
                    kCodeAlias);
  return false;
}

bool Args::disjoint(const char* out_name, const F32Arg& out, const char* in_name, const I32Arg& in) const {
  static_assert(sizeof(float) == sizeof(std::int32_t), "indices are compared as a float range");
  F32Arg as_floats;
  as_floats.data = reinterpret_cast<float*>(in.data);
  as_floats.length = in.length;
  return disjoint(out_name, out, in_name, as_floats);
}

bool checked_mul(std::int64_t a, std::int64_t b, std::int64_t* out) { return !__builtin_mul_overflow(a, b, out); }

}  // namespace axonal_binding
