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
#include "binding/axis_view.h"

namespace axonal_binding {
namespace {

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
  AXONAL_CHECK(axis_volume(args, "size", outer, size, inner, &n_src));
  AXONAL_CHECK(axis_volume(args, "indices.length", outer, indices.length, inner, &n_out));
  AXONAL_CHECK(args.exact_length("src", src, n_src, axis_shape(outer, size, inner, "size")));
  AXONAL_CHECK(args.exact_length("out", out, n_out, axis_shape(outer, indices.length, inner, "indices.length")));
  AXONAL_CHECK(indices_in_range(args, "indices", indices, size));
  AXONAL_CHECK(args.disjoint("out", out, "src", src));
  AXONAL_CHECK(args.disjoint("out", out, "indices", stable.where));
  AXONAL_CHECK(axis_status_ok(args, axonal::gather_rows(outer, size, inner, src.data, indices.length, indices.data,
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
  AXONAL_CHECK(axis_volume(args, "indices.length", outer, indices.length, inner, &n_src));
  AXONAL_CHECK(axis_volume(args, "size", outer, size, inner, &n_out));
  AXONAL_CHECK(args.exact_length("src", src, n_src, axis_shape(outer, indices.length, inner, "indices.length")));
  AXONAL_CHECK(args.exact_length("out", out, n_out, axis_shape(outer, size, inner, "size")));
  AXONAL_CHECK(indices_in_range(args, "indices", indices, size));
  AXONAL_CHECK(args.disjoint("out", out, "src", src));
  AXONAL_CHECK(args.disjoint("out", out, "indices", stable.where));
  AXONAL_CHECK(axis_status_ok(args, axonal::scatter_add_rows(outer, size, inner, src.data, indices.length, indices.data,
                                                        static_cast<std::int32_t>(skip), out.data)));
  return info.Env().Undefined();
}

}  // namespace

void register_gather(Napi::Env env, Napi::Object exports) {
  exports.Set("gatherRows", Napi::Function::New(env, GatherRows, "gatherRows"));
  exports.Set("scatterAddRows", Napi::Function::New(env, ScatterAddRows, "scatterAddRows"));
}

}  // namespace axonal_binding
