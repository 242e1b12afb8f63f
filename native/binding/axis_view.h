// Checks shared by the bindings over [outer, size, inner] views (scan, sort,
// gathers and scatter-adds): the volume of a view, overflow-safe and exact in a JS number,
// and how a view is named in messages.
#pragma once

#include <cstdint>
#include <string>

#include "axonal/status.h"
#include "binding/args.h"

namespace axonal_binding {

// outer x mid x inner into *out, or a RangeError if it overflows or passes 2^53.
inline bool axis_volume(const Args& args, const char* mid_name, std::int64_t outer, std::int64_t mid,
                        std::int64_t inner, std::int64_t* out) {
  std::int64_t om = 0;
  if (checked_mul(outer, mid, &om) && checked_mul(om, inner, out) && *out <= (std::int64_t{1} << 53)) return true;
  throw_range_error(args.env(), args.prefix() + "outer x " + mid_name + " x inner is too large (" +
                                    std::to_string(outer) + " x " + std::to_string(mid) + " x " +
                                    std::to_string(inner) + ")");
  return false;
}

// "a [2, 5, 4] array (outer, size, inner)"
inline std::string axis_shape(std::int64_t outer, std::int64_t mid, std::int64_t inner, const char* mid_name) {
  return "a [" + std::to_string(outer) + ", " + std::to_string(mid) + ", " + std::to_string(inner) +
         "] array (outer, " + mid_name + ", inner)";
}

// Every value of an index array in [0, size), or a RangeError naming the first that is
// not ("indices[3] must be in [0, 5), but received 7").
inline bool indices_in_range(const Args& args, const char* name, const I32Arg& indices, std::int64_t size) {
  for (std::int64_t i = 0; i < indices.length; ++i) {
    const std::int32_t v = indices.data[i];
    if (v >= 0 && v < size) continue;
    throw_range_error(args.env(), args.prefix() + name + "[" + std::to_string(i) + "] must be in [0, " +
                                      std::to_string(size) + "), but received " + std::to_string(v));
    return false;
  }
  return true;
}

// A native status turned into the addon's error (kInvalidArgument means a check here was missing).
inline bool axis_status_ok(const Args& args, axonal::Status st) {
  if (st == axonal::Status::kOk) return true;
  throw_native_error(args.env(), args.prefix() + axonal::status_name(st));
  return false;
}

}  // namespace axonal_binding
