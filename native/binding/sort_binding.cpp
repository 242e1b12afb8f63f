// JS entry point for sort and topk (native/core/sort.cpp): argument checks, then one
// native call.
//   sortFwd(x, outer, size, inner, k, descending, values, indices)
//     values / indices [outer, k, inner] = the first k of each column of x [outer, size,
//     inner] sorted (stable; NaN largest) and their positions along size
// values and indices must not overlap x or each other.
#include "axonal/sort.h"
#include "binding/addon.h"
#include "binding/args.h"
#include "binding/axis_view.h"

namespace axonal_binding {
namespace {

Napi::Value SortFwd(const Napi::CallbackInfo& info) {
  Args args(info, "sortFwd");
  F32Arg x, values;
  I32Arg indices;
  std::int64_t outer = 0, size = 0, inner = 0, k = 0, n_in = 0, n_out = 0;
  bool descending = false;
  AXONAL_CHECK(args.count(8));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.dim(1, "outer", &outer));
  AXONAL_CHECK(args.dim(2, "size", &size));
  AXONAL_CHECK(args.dim(3, "inner", &inner));
  AXONAL_CHECK(args.integer(4, "k", 0, size, &k));
  AXONAL_CHECK(args.boolean(5, "descending", &descending));
  AXONAL_CHECK(args.f32(6, "values", &values));
  AXONAL_CHECK(args.i32(7, "indices", &indices));
  AXONAL_CHECK(axis_volume(args, "size", outer, size, inner, &n_in));
  AXONAL_CHECK(axis_volume(args, "k", outer, k, inner, &n_out));
  AXONAL_CHECK(args.exact_length("x", x, n_in, axis_shape(outer, size, inner, "size")));
  AXONAL_CHECK(args.exact_length("values", values, n_out, axis_shape(outer, k, inner, "k")));
  if (indices.length != n_out) {
    throw_range_error(args.env(),
                      args.prefix() + "indices must have " + std::to_string(n_out) + " elements (" +
                          axis_shape(outer, k, inner, "k") + "), but has " + std::to_string(indices.length),
                      kCodeShape);
    return Napi::Value();
  }
  AXONAL_CHECK(args.disjoint("values", values, "x", x));
  AXONAL_CHECK(args.disjoint("values", values, "indices", indices));
  F32Arg index_range;  // the indices as a byte range, to compare with x
  index_range.data = reinterpret_cast<float*>(indices.data);
  index_range.length = indices.length;
  AXONAL_CHECK(args.disjoint("indices", index_range, "x", x));
  AXONAL_CHECK(axis_status_ok(args, axonal::sort_f32(outer, size, inner, x.data, descending, k, values.data,
                                                     indices.data)));
  return info.Env().Undefined();
}

}  // namespace

void register_sort(Napi::Env env, Napi::Object exports) {
  exports.Set("sortFwd", Napi::Function::New(env, SortFwd, "sortFwd"));
}

}  // namespace axonal_binding
