// JS entry points for the reduce kernels: argument checks, then one native call.
//   binaryOp(op, broadcast, rows, cols, a, lda, b, ldb, out, ldo)
//   binaryBackward(op, broadcast, rows, cols, a, b, grad, gradA, gradB)
//   scale(alpha, x, out), axpy(alpha, x, y), fill(out, value), copy(src, dst)
//   sum(x), sumSquares(x) -> number
//   sumAxis(outer, axis, inner, x, out, mean), sumAxisBackward(outer, axis, inner, grad, gradX, mean)
//   maxAxis(outer, axis, inner, x, values, indices), maxAxisBackward(outer, axis, inner, grad, indices, gradX)
// op: 0 add, 1 sub, 2 mul, 3 div. broadcast: 0 none, 1 row (b has cols values), 2 column (b has rows values).
#include "axonal/reduce.h"
#include "binding/addon.h"
#include "binding/args.h"
#include "binding/reduce_optim_checks.h"

namespace axonal_binding {
namespace {

using axonal::BinaryOp;
using axonal::Broadcast;

bool product(const Args& args, const char* what, std::int64_t a, std::int64_t b, std::int64_t* out) {
  if (checked_mul(a, b, out) && *out <= (std::int64_t{1} << 53)) return true;
  throw_range_error(args.env(), args.prefix() + what + " is too large (" + std::to_string(a) + " x " +
                                    std::to_string(b) + ")");
  return false;
}

bool check_view(const Args& args, const char* name, const F32Arg& buf, std::int64_t rows, std::int64_t cols,
                const char* ld_name, std::int64_t ld) {
  return args.strided(name, buf, rows, cols, ld_name, ld, "view", false);
}

// In place (same buffer start and stride) or disjoint.
bool view_alias_ok(const Args& args, const char* out_name, const F32Arg& out, std::int64_t ldo, const char* in_name,
                   const F32Arg& in, std::int64_t ldi) {
  if (out.data == in.data && ldo == ldi) return true;
  return args.disjoint(out_name, out, in_name, in);
}

Napi::Value BinaryOpFn(const Napi::CallbackInfo& info) {
  Args args(info, "binaryOp");
  std::int64_t op = 0, bc = 0, rows = 0, cols = 0, lda = 0, ldb = 0, ldo = 0;
  F32Arg a, b, out;
  AXONAL_CHECK(args.count(10));
  AXONAL_CHECK(args.integer(0, "op", 0, 3, &op));
  AXONAL_CHECK(args.integer(1, "broadcast", 0, 2, &bc));
  AXONAL_CHECK(args.dim(2, "rows", &rows));
  AXONAL_CHECK(args.dim(3, "cols", &cols));
  AXONAL_CHECK(args.f32(4, "a", &a));
  AXONAL_CHECK(args.dim(5, "lda", &lda));
  AXONAL_CHECK(args.f32(6, "b", &b));
  AXONAL_CHECK(args.dim(7, "ldb", &ldb));
  AXONAL_CHECK(args.f32(8, "out", &out));
  AXONAL_CHECK(args.dim(9, "ldo", &ldo));
  AXONAL_CHECK(check_view(args, "a", a, rows, cols, "lda", lda));
  AXONAL_CHECK(check_view(args, "out", out, rows, cols, "ldo", ldo));
  if (bc == 0) {
    AXONAL_CHECK(check_view(args, "b", b, rows, cols, "ldb", ldb));
    AXONAL_CHECK(view_alias_ok(args, "out", out, ldo, "b", b, ldb));
  } else {
    AXONAL_CHECK(args.exact_length("b", b, bc == 1 ? cols : rows,
                                   bc == 1 ? "a row broadcast (one value per column)"
                                           : "a column broadcast (one value per row)"));
    AXONAL_CHECK(args.disjoint("out", out, "b", b));
  }
  AXONAL_CHECK(view_alias_ok(args, "out", out, ldo, "a", a, lda));
  axonal::binary_2d(static_cast<BinaryOp>(op), static_cast<Broadcast>(bc), rows, cols, a.data, lda, b.data, ldb,
                    out.data, ldo);
  return info.Env().Undefined();
}

Napi::Value BinaryBackward(const Napi::CallbackInfo& info) {
  Args args(info, "binaryBackward");
  std::int64_t op = 0, bc = 0, rows = 0, cols = 0, n = 0;
  F32Arg a, b, grad, ga, gb;
  AXONAL_CHECK(args.count(9));
  AXONAL_CHECK(args.integer(0, "op", 0, 3, &op));
  AXONAL_CHECK(args.integer(1, "broadcast", 0, 2, &bc));
  AXONAL_CHECK(args.dim(2, "rows", &rows));
  AXONAL_CHECK(args.dim(3, "cols", &cols));
  AXONAL_CHECK(args.f32(4, "a", &a));
  AXONAL_CHECK(args.f32(5, "b", &b));
  AXONAL_CHECK(args.f32(6, "grad", &grad));
  AXONAL_CHECK(args.f32(7, "gradA", &ga));
  AXONAL_CHECK(args.f32(8, "gradB", &gb));
  AXONAL_CHECK(product(args, "rows x cols", rows, cols, &n));
  const std::string shape = "a " + std::to_string(rows) + "x" + std::to_string(cols) + " operand";
  const std::int64_t nb = bc == 0 ? n : (bc == 1 ? cols : rows);
  const std::string bshape = bc == 0 ? shape : (bc == 1 ? std::string("a row broadcast") : std::string("a column broadcast"));
  AXONAL_CHECK(args.exact_length("a", a, n, shape));
  AXONAL_CHECK(args.exact_length("b", b, nb, bshape));
  AXONAL_CHECK(args.exact_length("grad", grad, n, shape));
  AXONAL_CHECK(args.exact_length("gradA", ga, n, shape));
  AXONAL_CHECK(args.exact_length("gradB", gb, nb, bshape));
  AXONAL_CHECK(args.disjoint("gradA", ga, "a", a));
  AXONAL_CHECK(args.disjoint("gradA", ga, "b", b));
  AXONAL_CHECK(args.disjoint("gradA", ga, "grad", grad));
  AXONAL_CHECK(args.disjoint("gradB", gb, "a", a));
  AXONAL_CHECK(args.disjoint("gradB", gb, "b", b));
  AXONAL_CHECK(args.disjoint("gradB", gb, "grad", grad));
  AXONAL_CHECK(args.disjoint("gradB", gb, "gradA", ga));
  axonal::binary_2d_backward(static_cast<BinaryOp>(op), static_cast<Broadcast>(bc), rows, cols, a.data, b.data,
                             grad.data, ga.data, gb.data);
  return info.Env().Undefined();
}

Napi::Value Scale(const Napi::CallbackInfo& info) {
  Args args(info, "scale");
  double alpha = 0;
  F32Arg x, out;
  AXONAL_CHECK(args.count(3));
  AXONAL_CHECK(args.finite(0, "alpha", &alpha));
  AXONAL_CHECK(args.f32(1, "x", &x));
  AXONAL_CHECK(args.f32(2, "out", &out));
  AXONAL_CHECK(ro::same_length(args, "out", out, "x", x));
  AXONAL_CHECK(ro::same_or_disjoint(args, "out", out, "x", x));
  axonal::scale(x.length, static_cast<float>(alpha), x.data, out.data);
  return info.Env().Undefined();
}

Napi::Value Axpy(const Napi::CallbackInfo& info) {
  Args args(info, "axpy");
  double alpha = 0;
  F32Arg x, y;
  AXONAL_CHECK(args.count(3));
  AXONAL_CHECK(args.finite(0, "alpha", &alpha));
  AXONAL_CHECK(args.f32(1, "x", &x));
  AXONAL_CHECK(args.f32(2, "y", &y));
  AXONAL_CHECK(ro::same_length(args, "y", y, "x", x));
  AXONAL_CHECK(ro::same_or_disjoint(args, "y", y, "x", x));
  axonal::axpy(x.length, static_cast<float>(alpha), x.data, y.data);
  return info.Env().Undefined();
}

Napi::Value Fill(const Napi::CallbackInfo& info) {
  Args args(info, "fill");
  double value = 0;
  F32Arg out;
  AXONAL_CHECK(args.count(2));
  AXONAL_CHECK(args.f32(0, "out", &out));
  AXONAL_CHECK(args.finite(1, "value", &value));
  axonal::fill(out.length, static_cast<float>(value), out.data);
  return info.Env().Undefined();
}

Napi::Value Copy(const Napi::CallbackInfo& info) {
  Args args(info, "copy");
  F32Arg src, dst;
  AXONAL_CHECK(args.count(2));
  AXONAL_CHECK(args.f32(0, "src", &src));
  AXONAL_CHECK(args.f32(1, "dst", &dst));
  AXONAL_CHECK(ro::same_length(args, "dst", dst, "src", src));
  AXONAL_CHECK(ro::same_or_disjoint(args, "dst", dst, "src", src));
  axonal::copy(src.length, src.data, dst.data);
  return info.Env().Undefined();
}

Napi::Value Sum(const Napi::CallbackInfo& info) {
  Args args(info, "sum");
  F32Arg x;
  AXONAL_CHECK(args.count(1));
  AXONAL_CHECK(args.f32(0, "x", &x));
  return Napi::Number::New(info.Env(), axonal::sum(x.length, x.data));
}

Napi::Value SumSquares(const Napi::CallbackInfo& info) {
  Args args(info, "sumSquares");
  F32Arg x;
  AXONAL_CHECK(args.count(1));
  AXONAL_CHECK(args.f32(0, "x", &x));
  return Napi::Number::New(info.Env(), axonal::sum_squares(x.length, x.data));
}

// (outer, axis, inner) at 0..2; sets n = outer*axis*inner and m = outer*inner.
bool read_axis_dims(const Args& args, std::int64_t* outer, std::int64_t* axis, std::int64_t* inner, std::int64_t* n,
                    std::int64_t* m) {
  std::int64_t oa = 0;
  return args.dim(0, "outer", outer) && args.dim(1, "axis", axis) && args.dim(2, "inner", inner) &&
         product(args, "outer x axis", *outer, *axis, &oa) && product(args, "outer x axis x inner", oa, *inner, n) &&
         product(args, "outer x inner", *outer, *inner, m);
}

std::string axis_what(std::int64_t outer, std::int64_t axis, std::int64_t inner, bool reduced) {
  return reduced ? "a reduced [" + std::to_string(outer) + ", " + std::to_string(inner) + "] result"
                 : "an [" + std::to_string(outer) + ", " + std::to_string(axis) + ", " + std::to_string(inner) +
                       "] input";
}

Napi::Value SumAxis(const Napi::CallbackInfo& info) {
  Args args(info, "sumAxis");
  std::int64_t outer = 0, axis = 0, inner = 0, n = 0, m = 0;
  F32Arg x, out;
  bool mean = false;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(read_axis_dims(args, &outer, &axis, &inner, &n, &m));
  AXONAL_CHECK(args.f32(3, "x", &x));
  AXONAL_CHECK(args.f32(4, "out", &out));
  AXONAL_CHECK(args.boolean(5, "mean", &mean));
  AXONAL_CHECK(args.exact_length("x", x, n, axis_what(outer, axis, inner, false)));
  AXONAL_CHECK(args.exact_length("out", out, m, axis_what(outer, axis, inner, true)));
  AXONAL_CHECK(args.disjoint("out", out, "x", x));
  axonal::sum_axis(outer, axis, inner, x.data, out.data, mean);
  return info.Env().Undefined();
}

Napi::Value SumAxisBackward(const Napi::CallbackInfo& info) {
  Args args(info, "sumAxisBackward");
  std::int64_t outer = 0, axis = 0, inner = 0, n = 0, m = 0;
  F32Arg grad, gx;
  bool mean = false;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(read_axis_dims(args, &outer, &axis, &inner, &n, &m));
  AXONAL_CHECK(args.f32(3, "grad", &grad));
  AXONAL_CHECK(args.f32(4, "gradX", &gx));
  AXONAL_CHECK(args.boolean(5, "mean", &mean));
  AXONAL_CHECK(args.exact_length("grad", grad, m, axis_what(outer, axis, inner, true)));
  AXONAL_CHECK(args.exact_length("gradX", gx, n, axis_what(outer, axis, inner, false)));
  AXONAL_CHECK(args.disjoint("gradX", gx, "grad", grad));
  axonal::sum_axis_backward(outer, axis, inner, grad.data, gx.data, mean);
  return info.Env().Undefined();
}

bool axis_positive(const Args& args, std::int64_t axis) {
  if (axis >= 1) return true;
  throw_range_error(args.env(), args.prefix() + "axis must be at least 1 (max of an empty axis is undefined), but received 0",
                    kCodeShape);
  return false;
}

bool i32_disjoint(const Args& args, const char* a_name, const I32Arg& a, const char* b_name, const F32Arg& b) {
  F32Arg as;
  as.data = reinterpret_cast<float*>(a.data);
  as.length = a.length;
  return args.disjoint(a_name, as, b_name, b);
}

Napi::Value MaxAxis(const Napi::CallbackInfo& info) {
  Args args(info, "maxAxis");
  std::int64_t outer = 0, axis = 0, inner = 0, n = 0, m = 0;
  F32Arg x, values;
  I32Arg indices;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(read_axis_dims(args, &outer, &axis, &inner, &n, &m));
  AXONAL_CHECK(args.f32(3, "x", &x));
  AXONAL_CHECK(args.f32(4, "values", &values));
  AXONAL_CHECK(args.i32(5, "indices", &indices));
  AXONAL_CHECK(axis_positive(args, axis));
  AXONAL_CHECK(args.exact_length("x", x, n, axis_what(outer, axis, inner, false)));
  AXONAL_CHECK(args.exact_length("values", values, m, axis_what(outer, axis, inner, true)));
  if (indices.length != m) {
    throw_range_error(info.Env(),
                      "maxAxis: indices must have " + std::to_string(m) + " elements for " +
                          axis_what(outer, axis, inner, true) + ", but has " + std::to_string(indices.length),
                      kCodeShape);
    return Napi::Value();
  }
  AXONAL_CHECK(args.disjoint("values", values, "x", x));
  AXONAL_CHECK(i32_disjoint(args, "indices", indices, "x", x));
  AXONAL_CHECK(i32_disjoint(args, "indices", indices, "values", values));
  axonal::max_axis(outer, axis, inner, x.data, values.data, indices.data);
  return info.Env().Undefined();
}

Napi::Value MaxAxisBackward(const Napi::CallbackInfo& info) {
  Args args(info, "maxAxisBackward");
  std::int64_t outer = 0, axis = 0, inner = 0, n = 0, m = 0;
  F32Arg grad, gx;
  IndexArg stable;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(read_axis_dims(args, &outer, &axis, &inner, &n, &m));
  AXONAL_CHECK(args.f32(3, "grad", &grad));
  AXONAL_CHECK(args.indices(4, "indices", &stable));
  const I32Arg& indices = stable.read;
  AXONAL_CHECK(args.f32(5, "gradX", &gx));
  AXONAL_CHECK(axis_positive(args, axis));
  AXONAL_CHECK(args.exact_length("grad", grad, m, axis_what(outer, axis, inner, true)));
  if (indices.length != m) {
    throw_range_error(info.Env(),
                      "maxAxisBackward: indices must have " + std::to_string(m) + " elements for " +
                          axis_what(outer, axis, inner, true) + ", but has " + std::to_string(indices.length),
                      kCodeShape);
    return Napi::Value();
  }
  AXONAL_CHECK(args.exact_length("gradX", gx, n, axis_what(outer, axis, inner, false)));
  for (std::int64_t i = 0; i < m; ++i) {
    if (indices.data[i] < 0 || indices.data[i] >= axis) {
      throw_range_error(info.Env(), "maxAxisBackward: indices must lie in [0, " + std::to_string(axis) +
                                        "), but indices[" + std::to_string(i) + "] is " +
                                        std::to_string(indices.data[i]));
      return Napi::Value();
    }
  }
  AXONAL_CHECK(args.disjoint("gradX", gx, "grad", grad));
  AXONAL_CHECK(i32_disjoint(args, "indices", stable.where, "gradX", gx));
  axonal::max_axis_backward(outer, axis, inner, grad.data, indices.data, gx.data);
  return info.Env().Undefined();
}

}  // namespace

void register_reduce(Napi::Env env, Napi::Object exports) {
  exports.Set("binaryOp", Napi::Function::New(env, BinaryOpFn, "binaryOp"));
  exports.Set("binaryBackward", Napi::Function::New(env, BinaryBackward, "binaryBackward"));
  exports.Set("scale", Napi::Function::New(env, Scale, "scale"));
  exports.Set("axpy", Napi::Function::New(env, Axpy, "axpy"));
  exports.Set("fill", Napi::Function::New(env, Fill, "fill"));
  exports.Set("copy", Napi::Function::New(env, Copy, "copy"));
  exports.Set("sum", Napi::Function::New(env, Sum, "sum"));
  exports.Set("sumSquares", Napi::Function::New(env, SumSquares, "sumSquares"));
  exports.Set("sumAxis", Napi::Function::New(env, SumAxis, "sumAxis"));
  exports.Set("sumAxisBackward", Napi::Function::New(env, SumAxisBackward, "sumAxisBackward"));
  exports.Set("maxAxis", Napi::Function::New(env, MaxAxis, "maxAxis"));
  exports.Set("maxAxisBackward", Napi::Function::New(env, MaxAxisBackward, "maxAxisBackward"));
}

}  // namespace axonal_binding
