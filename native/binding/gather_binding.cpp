// JS entry points for row gather and scatter-add (native/core/gather.cpp): argument
// checks, then one native call. n is indices.length.
//   gatherRows(src, outer, size, inner, indices, out)
//     out [outer, n, inner] = src [outer, size, inner] at rows indices
//   scatterAddRows(src, outer, size, inner, indices, skip, out)
//     out [outer, size, inner] += src [outer, n, inner] at rows indices, except index skip (-1: none)
// Every index is checked here against [0, size), and the message names the first bad
// one: it is the error a DataLoader user sees for a bad sampler index.
#include "axonal/gather.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

// outer x mid x inner, overflow-safe and small enough to be exact in a JS number.
bool volume(const Args& args, const char* mid_name, std::int64_t outer, std::int64_t mid, std::int64_t inner,
            std::int64_t* out) {
  std::int64_t om = 0;
  if (checked_mul(outer, mid, &om) && checked_mul(om, inner, out) && *out <= (std::int64_t{1} << 53)) return true;
  throw_range_error(args.env(), args.prefix() + "outer x " + mid_name + " x inner is too large (" +
                                    std::to_string(outer) + " x " + std::to_string(mid) + " x " +
                                    std::to_string(inner) + ")");
  return false;
}

// "a [2, 5, 4] array (outer, size, inner)"
std::string shape3(std::int64_t outer, std::int64_t mid, std::int64_t inner, const char* mid_name) {
  return "a [" + std::to_string(outer) + ", " + std::to_string(mid) + ", " + std::to_string(inner) +
         "] array (outer, " + mid_name + ", inner)";
}

bool indices_in_range(const Args& args, const I32Arg& indices, std::int64_t size) {
  for (std::int64_t i = 0; i < indices.length; ++i) {
    const std::int32_t v = indices.data[i];
    if (v >= 0 && v < size) continue;
    throw_range_error(args.env(), args.prefix() + "indices[" + std::to_string(i) + "] must be in [0, " +
                                      std::to_string(size) + "), but received " + std::to_string(v));
    return false;
  }
  return true;
}

bool native_ok(const Args& args, axonal::Status s) {
  if (s == axonal::Status::kOk) return true;
  throw_native_error(args.env(), args.prefix() + axonal::status_name(s));
  return false;
}

Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  Args args(info, "gatherRows");
  std::int64_t outer = 0, size = 0, inner = 0, n_src = 0, n_out = 0;
  F32Arg src, out;
  IndexArg stable;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(args.f32(0, "src", &src));
  AXONAL_CHECK(args.dim(1, "outer", &outer));
  AXONAL_CHECK(args.dim(2, "size", &size));
  AXONAL_CHECK(args.dim(3, "inner", &inner));
  AXONAL_CHECK(args.indices(4, "indices", &stable));
  const I32Arg& indices = stable.read;
  AXONAL_CHECK(args.f32(5, "out", &out));
  AXONAL_CHECK(volume(args, "size", outer, size, inner, &n_src));
  AXONAL_CHECK(volume(args, "indices.length", outer, indices.length, inner, &n_out));
  AXONAL_CHECK(args.exact_length("src", src, n_src, shape3(outer, size, inner, "size")));
  AXONAL_CHECK(args.exact_length("out", out, n_out, shape3(outer, indices.length, inner, "indices.length")));
  AXONAL_CHECK(indices_in_range(args, indices, size));
  AXONAL_CHECK(args.disjoint("out", out, "src", src));
  AXONAL_CHECK(args.disjoint("out", out, "indices", stable.where));
  AXONAL_CHECK(native_ok(args, axonal::gather_rows(outer, size, inner, src.data, indices.length, indices.data,
                                                   out.data)));
  return info.Env().Undefined();
}

Napi::Value ScatterAddRows(const Napi::CallbackInfo& info) {
  Args args(info, "scatterAddRows");
  std::int64_t outer = 0, size = 0, inner = 0, skip = 0, n_src = 0, n_out = 0;
  F32Arg src, out;
  IndexArg stable;
  AXONAL_CHECK(args.count(7));
  AXONAL_CHECK(args.f32(0, "src", &src));
  AXONAL_CHECK(args.dim(1, "outer", &outer));
  AXONAL_CHECK(args.dim(2, "size", &size));
  AXONAL_CHECK(args.dim(3, "inner", &inner));
  AXONAL_CHECK(args.indices(4, "indices", &stable));
  const I32Arg& indices = stable.read;
  // -1 for none, else a row of out that receives nothing (an embedding's padding row).
  AXONAL_CHECK(args.integer(5, "skip", -1, size - 1, &skip));
  AXONAL_CHECK(args.f32(6, "out", &out));
  AXONAL_CHECK(volume(args, "indices.length", outer, indices.length, inner, &n_src));
  AXONAL_CHECK(volume(args, "size", outer, size, inner, &n_out));
  AXONAL_CHECK(args.exact_length("src", src, n_src, shape3(outer, indices.length, inner, "indices.length")));
  AXONAL_CHECK(args.exact_length("out", out, n_out, shape3(outer, size, inner, "size")));
  AXONAL_CHECK(indices_in_range(args, indices, size));
  AXONAL_CHECK(args.disjoint("out", out, "src", src));
  AXONAL_CHECK(args.disjoint("out", out, "indices", stable.where));
  AXONAL_CHECK(native_ok(args, axonal::scatter_add_rows(outer, size, inner, src.data, indices.length, indices.data,
                                                        static_cast<std::int32_t>(skip), out.data)));
  return info.Env().Undefined();
}

}  // namespace

void register_gather(Napi::Env env, Napi::Object exports) {
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows, "gatherRows"));
  exports.Set("scatterAddRows", Napi::Function::New(env, ScatterAddRows, "scatterAddRows"));
}

}  // namespace axonal_binding
