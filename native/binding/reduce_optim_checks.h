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

// As JS's Number.prototype.toString prints v: the shortest digits that read back
// as v, in plain or exponent notation by JS's rules (1e-8, 0.001, 1e+21).
inline std::string num(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return "0";
  char buf[64];
  for (int prec = 0; prec <= 16; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string m(buf);
  std::string sign;
  if (m[0] == '-') {
    sign = "-";
    m = m.substr(1);
  }
  const std::size_t epos = m.find('e');
  const int e = std::atoi(m.c_str() + epos + 1);
  std::string digits;
  for (std::size_t i = 0; i < epos; ++i) {
    if (m[i] != '.') digits += m[i];
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size()), n = e + 1;
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, static_cast<std::size_t>(n)) + "." + digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  } else {
    out = digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + "e" + (n - 1 >= 0 ? "+" : "-") +
          std::to_string(n - 1 >= 0 ? n - 1 : 1 - n);
  }
  return sign + out;
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
