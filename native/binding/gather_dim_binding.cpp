// JS entry points for gather and scatter-add along a dimension (native/core/gather_dim.cpp):
// argument checks, then one native call. index holds outer * n * inner int32 elements.
//   gatherDim(src, outer, size, inner, n, index, out)
//     out [outer, n, inner] = src [outer, size, inner] at index along size
//   scatterAddDim(src, outer, size, inner, n, index, out)
//     out [outer, size, inner] += src [outer, n, inner] at index along size
// Every index is checked against [0, size) here; the message names the first bad one.
#include "axonal/gather_dim.h"
#include "binding/addon.h"
#include "binding/args.h"
#include "binding/axis_view.h"

namespace axonal_binding {
namespace {

template <bool kScatter>
Napi::Value GatherDim(const Napi::CallbackInfo& info) {
  Args args(info, kScatter ? "scatterAddDim" : "gatherDim");
  std::int64_t outer = 0, size = 0, inner = 0, n = 0, n_full = 0, n_index = 0;
  F32Arg src, out;
  IndexArg stable;
  AXONAL_CHECK(args.count(7));
  AXONAL_CHECK(args.f32(0, "src", &src));
  AXONAL_CHECK(args.dim(1, "outer", &outer));
  AXONAL_CHECK(args.dim(2, "size", &size));
  AXONAL_CHECK(args.dim(3, "inner", &inner));
  AXONAL_CHECK(args.dim(4, "n", &n));
  AXONAL_CHECK(args.indices(5, "index", &stable));
  const I32Arg& index = stable.read;
  AXONAL_CHECK(args.f32(6, "out", &out));
  AXONAL_CHECK(axis_volume(args, "size", outer, size, inner, &n_full));
  AXONAL_CHECK(axis_volume(args, "n", outer, n, inner, &n_index));
  const std::string full = axis_shape(outer, size, inner, "size");
  const std::string part = axis_shape(outer, n, inner, "n");
  if (index.length != n_index) {
    throw_range_error(args.env(),
                      args.prefix() + "index must have " + std::to_string(n_index) + " elements (" + part +
                          "), but has " + std::to_string(index.length),
                      kCodeShape);
    return Napi::Value();
  }
  AXONAL_CHECK(args.exact_length("src", src, kScatter ? n_index : n_full, kScatter ? part : full));
  AXONAL_CHECK(args.exact_length("out", out, kScatter ? n_full : n_index, kScatter ? full : part));
  AXONAL_CHECK(indices_in_range(args, "index", index, size));
  AXONAL_CHECK(args.disjoint("out", out, "src", src));
  AXONAL_CHECK(args.disjoint("out", out, "index", stable.where));
  const auto fn = kScatter ? axonal::scatter_add_dim : axonal::gather_dim;
  AXONAL_CHECK(axis_status_ok(args, fn(outer, size, inner, src.data, n, index.data, out.data)));
  return info.Env().Undefined();
}

}  // namespace

void register_gather_dim(Napi::Env env, Napi::Object exports) {
  exports.Set("gatherDim", Napi::Function::New(env, GatherDim<false>, "gatherDim"));
  exports.Set("scatterAddDim", Napi::Function::New(env, GatherDim<true>, "scatterAddDim"));
}

}  // namespace axonal_binding
