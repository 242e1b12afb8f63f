// fillUniform(out, seed, offset, low, high), fillNormal(out, seed, offset, mean, std)
#include <cmath>

#include "axonal/random.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

// Shared shape of both fills: (out, seed, offset, p, q).
bool read_fill_args(const Args& args, F32Arg* out, std::int64_t* seed, std::int64_t* offset, double* p,
                    double* q, const char* p_name, const char* q_name) {
  return args.count(5) && args.f32(0, "out", out) && args.integer(1, "seed", 0, kMaxSafeInteger, seed) &&
         args.integer(2, "offset", 0, kMaxSafeInteger, offset) && args.finite(3, p_name, p) &&
         args.finite(4, q_name, q);
}

bool check_offset(const Args& args, std::int64_t offset) {
  if (offset % 4 == 0) return true;
  throw_range_error(args.env(), args.prefix() + "offset must be a multiple of 4, but received " +
                                    std::to_string(offset));
  return false;
}

Napi::Value FillUniform(const Napi::CallbackInfo& info) {
  Args args(info, "fillUniform");
  F32Arg out;
  std::int64_t seed = 0, offset = 0;
  double low = 0, high = 0;
  AXONAL_CHECK(read_fill_args(args, &out, &seed, &offset, &low, &high, "low", "high"));
  AXONAL_CHECK(check_offset(args, offset));
  if (!(low <= high) || !std::isfinite(static_cast<float>(high) - static_cast<float>(low))) {
    throw_range_error(info.Env(), "fillUniform: low must be <= high with a finite float32 span, but received low " +
                                      std::to_string(low) + " and high " + std::to_string(high));
    return Napi::Value();
  }
  axonal::fill_uniform(out.data, out.length, static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(offset),
                       static_cast<float>(low), static_cast<float>(high));
  return Napi::Number::New(info.Env(), static_cast<double>(axonal::uniform_words(out.length)));
}

Napi::Value FillNormal(const Napi::CallbackInfo& info) {
  Args args(info, "fillNormal");
  F32Arg out;
  std::int64_t seed = 0, offset = 0;
  double mean = 0, stddev = 0;
  AXONAL_CHECK(read_fill_args(args, &out, &seed, &offset, &mean, &stddev, "mean", "std"));
  AXONAL_CHECK(check_offset(args, offset));
  if (stddev < 0) {
    throw_range_error(info.Env(), "fillNormal: std must be >= 0, but received " + std::to_string(stddev));
    return Napi::Value();
  }
  axonal::fill_normal(out.data, out.length, static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(offset),
                      static_cast<float>(mean), static_cast<float>(stddev));
  return Napi::Number::New(info.Env(), static_cast<double>(axonal::normal_words(out.length)));
}

}  // namespace

void register_random(Napi::Env env, Napi::Object exports) {
  exports.Set("fillUniform", Napi::Function::New(env, FillUniform, "fillUniform"));
  exports.Set("fillNormal", Napi::Function::New(env, FillNormal, "fillNormal"));
}

}  // namespace axonal_binding
