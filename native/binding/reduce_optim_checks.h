// Checks shared by reduce_binding.cpp and optim_binding.cpp: numeric ranges with
// PyTorch-style messages, equal lengths, in-place-or-disjoint outputs.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "binding/args.h"

namespace axonal_binding {
namespace ro {

// Shortest decimal that reads back as v (as JS prints numbers).
inline std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// "<op>: <name> must be in [lo, hi), but received v"; hi may be +inf ("must be >= lo").
inline bool in_range(const Args& args, const char* name, double v, double lo, double hi, bool hi_open) {
  const bool ok = v >= lo && (hi_open ? v < hi : v <= hi);
  if (ok) return true;
  std::string expected;
  if (std::isinf(hi)) {
    expected = ">= " + num(lo);
  } else {
    expected = "in [" + num(lo) + ", " + num(hi) + (hi_open ? ")" : "]");
  }
  throw_range_error(args.env(), args.prefix() + name + " must be " + expected + ", but received " + num(v));
  return false;
}

inline bool nonneg(const Args& args, const char* name, double v) {
  return in_range(args, name, v, 0.0, INFINITY, false);
}

inline bool same_length(const Args& args, const char* name, const F32Arg& a, const char* ref_name, const F32Arg& ref) {
  return args.exact_length(name, a, ref.length, std::string("the length of ") + ref_name);
}

// Optional state: required (length n) when `used`, else length n or 0.
inline bool state_length(const Args& args, const char* name, const F32Arg& a, const F32Arg& param, bool used,
                         const char* when) {
  if (!used && a.length == 0) return true;
  if (a.length == param.length) return true;
  throw_range_error(args.env(),
                    args.prefix() + name + " must have " + std::to_string(param.length) +
                        " elements (the length of param)" + (used ? "" : " or 0") + " " + when + ", but has " +
                        std::to_string(a.length),
                    kCodeShape);
  return false;
}

inline bool identical(const F32Arg& a, const F32Arg& b) { return a.data == b.data && a.length == b.length; }

// out may be exactly in (in place) or disjoint from it.
inline bool same_or_disjoint(const Args& args, const char* out_name, const F32Arg& out, const char* in_name,
                             const F32Arg& in) {
  if (identical(out, in)) return true;
  return args.disjoint(out_name, out, in_name, in);
}

}  // namespace ro
}  // namespace axonal_binding
