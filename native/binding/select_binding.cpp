// JS entry points for comparison and selection (native/core/select.cpp): argument
// checks, then one native call. n is the output's length; every input operand holds
// n elements or 1 (a scalar broadcast to all n).
//   compareEq / Ne / Lt / Le / Gt / Ge(a, b, out)   out = (a op b) ? 1 : 0
//   whereSelect(cond, a, b, out)                    out = cond != 0 ? a : b (NaN is true)
//   maximumFwd / minimumFwd(a, b, out)              out = max(a, b), NaN propagates, a on ties
//   maximumBwd / minimumBwd(a, b, grad, gradA, gradB)   PyTorch 1.13's gradients (ties split in halves)
// A forward's out may be one of its inputs (same array: in place) but must not
// otherwise overlap one; gradA and gradB must not overlap anything.
#include "axonal/select.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

using axonal::CompareOp;

struct CompareEntry {
  const char* name;
  CompareOp op;
};

const CompareEntry kCompares[] = {
    {"compareEq", CompareOp::kEq}, {"compareNe", CompareOp::kNe}, {"compareLt", CompareOp::kLt},
    {"compareLe", CompareOp::kLe}, {"compareGt", CompareOp::kGt}, {"compareGe", CompareOp::kGe},
};

// An input operand of n elements, or of 1 (broadcast).
bool operand(const Args& args, const char* name, const F32Arg& arg, std::int64_t n, const char* n_name) {
  if (arg.length == n || arg.length == 1) return true;
  throw_range_error(args.env(),
                    args.prefix() + name + " must have " + std::to_string(n) + " elements (the length of " + n_name +
                        ") or 1 (a broadcast scalar), but has " + std::to_string(arg.length),
                    kCodeShape);
  return false;
}

// Output equal to the input (in place) or disjoint from it.
bool same_or_disjoint(const Args& args, const char* out_name, const F32Arg& out, const char* in_name,
                      const F32Arg& in) {
  if (out.data == in.data && out.length == in.length) return true;
  return args.disjoint(out_name, out, in_name, in);
}

bool status_ok(const Args& args, axonal::Status st) {
  if (st == axonal::Status::kOk) return true;
  throw_native_error(args.env(), args.prefix() + axonal::status_name(st));
  return false;
}

Napi::Value Compare(const Napi::CallbackInfo& info) {
  const CompareEntry& e = *static_cast<const CompareEntry*>(info.Data());
  Args args(info, e.name);
  F32Arg a, b, out;
  AXONAL_CHECK(args.count(3));
  AXONAL_CHECK(args.f32(0, "a", &a));
  AXONAL_CHECK(args.f32(1, "b", &b));
  AXONAL_CHECK(args.f32(2, "out", &out));
  AXONAL_CHECK(operand(args, "a", a, out.length, "out"));
  AXONAL_CHECK(operand(args, "b", b, out.length, "out"));
  AXONAL_CHECK(same_or_disjoint(args, "out", out, "a", a));
  AXONAL_CHECK(same_or_disjoint(args, "out", out, "b", b));
  AXONAL_CHECK(status_ok(args, axonal::compare_f32(e.op, out.length, a.data, a.length, b.data, b.length, out.data)));
  return info.Env().Undefined();
}

Napi::Value WhereSelect(const Napi::CallbackInfo& info) {
  Args args(info, "whereSelect");
  F32Arg cond, a, b, out;
  AXONAL_CHECK(args.count(4));
  AXONAL_CHECK(args.f32(0, "cond", &cond));
  AXONAL_CHECK(args.f32(1, "a", &a));
  AXONAL_CHECK(args.f32(2, "b", &b));
  AXONAL_CHECK(args.f32(3, "out", &out));
  AXONAL_CHECK(operand(args, "cond", cond, out.length, "out"));
  AXONAL_CHECK(operand(args, "a", a, out.length, "out"));
  AXONAL_CHECK(operand(args, "b", b, out.length, "out"));
  AXONAL_CHECK(same_or_disjoint(args, "out", out, "cond", cond));
  AXONAL_CHECK(same_or_disjoint(args, "out", out, "a", a));
  AXONAL_CHECK(same_or_disjoint(args, "out", out, "b", b));
  AXONAL_CHECK(status_ok(args, axonal::where_f32(out.length, cond.data, cond.length, a.data, a.length, b.data,
                                                 b.length, out.data)));
  return info.Env().Undefined();
}

template <bool kMax>
Napi::Value ExtremumFwd(const Napi::CallbackInfo& info) {
  Args args(info, kMax ? "maximumFwd" : "minimumFwd");
  F32Arg a, b, out;
  AXONAL_CHECK(args.count(3));
  AXONAL_CHECK(args.f32(0, "a", &a));
  AXONAL_CHECK(args.f32(1, "b", &b));
  AXONAL_CHECK(args.f32(2, "out", &out));
  AXONAL_CHECK(operand(args, "a", a, out.length, "out"));
  AXONAL_CHECK(operand(args, "b", b, out.length, "out"));
  AXONAL_CHECK(same_or_disjoint(args, "out", out, "a", a));
  AXONAL_CHECK(same_or_disjoint(args, "out", out, "b", b));
  const auto fwd = kMax ? axonal::maximum_fwd : axonal::minimum_fwd;
  AXONAL_CHECK(status_ok(args, fwd(out.length, a.data, a.length, b.data, b.length, out.data)));
  return info.Env().Undefined();
}

template <bool kMax>
Napi::Value ExtremumBwd(const Napi::CallbackInfo& info) {
  Args args(info, kMax ? "maximumBwd" : "minimumBwd");
  F32Arg a, b, grad, ga, gb;
  AXONAL_CHECK(args.count(5));
  AXONAL_CHECK(args.f32(0, "a", &a));
  AXONAL_CHECK(args.f32(1, "b", &b));
  AXONAL_CHECK(args.f32(2, "grad", &grad));
  AXONAL_CHECK(args.f32(3, "gradA", &ga));
  AXONAL_CHECK(args.f32(4, "gradB", &gb));
  const std::int64_t n = grad.length;
  const std::string what = "grad of " + std::to_string(n) + " elements";
  AXONAL_CHECK(operand(args, "a", a, n, "grad"));
  AXONAL_CHECK(operand(args, "b", b, n, "grad"));
  AXONAL_CHECK(args.exact_length("gradA", ga, n, what));
  AXONAL_CHECK(args.exact_length("gradB", gb, n, what));
  // Both gradients are written element by element from a, b and grad: no overlap at all.
  AXONAL_CHECK(args.disjoint("gradA", ga, "gradB", gb));
  AXONAL_CHECK(args.disjoint("gradA", ga, "a", a));
  AXONAL_CHECK(args.disjoint("gradA", ga, "b", b));
  AXONAL_CHECK(args.disjoint("gradA", ga, "grad", grad));
  AXONAL_CHECK(args.disjoint("gradB", gb, "a", a));
  AXONAL_CHECK(args.disjoint("gradB", gb, "b", b));
  AXONAL_CHECK(args.disjoint("gradB", gb, "grad", grad));
  const auto bwd = kMax ? axonal::maximum_bwd : axonal::minimum_bwd;
  AXONAL_CHECK(status_ok(args, bwd(n, a.data, a.length, b.data, b.length, grad.data, ga.data, gb.data)));
  return info.Env().Undefined();
}

}  // namespace

void register_select(Napi::Env env, Napi::Object exports) {
  for (const CompareEntry& e : kCompares) {
    exports.Set(e.name, Napi::Function::New(env, Compare, e.name, const_cast<CompareEntry*>(&e)));
  }
  exports.Set("whereSelect", Napi::Function::New(env, WhereSelect, "whereSelect"));
  exports.Set("maximumFwd", Napi::Function::New(env, ExtremumFwd<true>, "maximumFwd"));
  exports.Set("minimumFwd", Napi::Function::New(env, ExtremumFwd<false>, "minimumFwd"));
  exports.Set("maximumBwd", Napi::Function::New(env, ExtremumBwd<true>, "maximumBwd"));
  exports.Set("minimumBwd", Napi::Function::New(env, ExtremumBwd<false>, "minimumBwd"));
}

}  // namespace axonal_binding
