// Argument checks shared by every binding. Each check either succeeds or throws a
// TypeError/RangeError naming the op, the argument, what was expected and what
// came, and returns false; callers return at once (AXONAL_CHECK). A wrong length
// that slipped through here would be an out-of-bounds write, so the binding checks
// again whatever the TypeScript layer already validated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "binding/napi_config.h"

namespace axonal_binding {

// Stable codes, mirrored in src/errors.ts.
constexpr const char* kCodeInvalidType = "ERR_AXONAL_INVALID_TYPE";
constexpr const char* kCodeInvalidValue = "ERR_AXONAL_INVALID_VALUE";
constexpr const char* kCodeShape = "ERR_AXONAL_SHAPE";
constexpr const char* kCodeAlias = "ERR_AXONAL_ALIAS";
constexpr const char* kCodeNative = "ERR_AXONAL_NATIVE";

// Largest dimension or stride accepted (keeps every product of two in int64).
constexpr std::int64_t kMaxDim = (std::int64_t{1} << 31) - 1;

struct F32Arg {
  float* data = nullptr;
  std::int64_t length = 0;  // elements
};

struct I32Arg {
  std::int32_t* data = nullptr;
  std::int64_t length = 0;
};

void throw_type_error(Napi::Env env, const std::string& message);
void throw_range_error(Napi::Env env, const std::string& message, const char* code = kCodeInvalidValue);
// Throws the addon's error class (AxonalError) with the given code.
void throw_native_error(Napi::Env env, const std::string& message, const char* code = kCodeNative);

// "a Float64Array of length 3", "a number (1.5)", "undefined", ...
std::string describe(const Napi::Value& v);

// An index array the binding checks and a kernel then reads. In a SharedArrayBuffer
// another thread may rewrite it between the check and the read, sending the kernel out
// of bounds, so there it is copied first and the check and the kernel both read the copy.
struct IndexArg {
  I32Arg where;  // the caller's array: what the aliasing checks compare
  I32Arg read;   // what is checked and handed to the kernel: `where`, or `copy`
  std::vector<std::int32_t> copy;
};

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* op) : info_(info), op_(op) {}

  Napi::Env env() const { return info_.Env(); }
  const char* op() const { return op_; }

  bool count(std::size_t n) const;
  bool f32(std::size_t i, const char* name, F32Arg* out) const;
  bool i32(std::size_t i, const char* name, I32Arg* out) const;
  // An Int32Array of indices that a kernel reads (see IndexArg).
  bool indices(std::size_t i, const char* name, IndexArg* out) const;
  // A non-negative integer no larger than kMaxDim.
  bool dim(std::size_t i, const char* name, std::int64_t* out) const;
  // A safe integer in [lo, hi].
  bool integer(std::size_t i, const char* name, std::int64_t lo, std::int64_t hi, std::int64_t* out) const;
  // A finite number.
  bool finite(std::size_t i, const char* name, double* out) const;
  bool boolean(std::size_t i, const char* name, bool* out) const;

  // RangeError unless arg holds at least `needed` elements; `what` says why.
  bool min_length(const char* name, const F32Arg& arg, std::int64_t needed, const std::string& what) const;
  bool exact_length(const char* name, const F32Arg& arg, std::int64_t needed, const std::string& what) const;
  // A row-major rows x cols `noun` ("matrix", "view") with row stride ld named ld_name:
  // ld >= max(1, cols), overflow-safe extent, and buf long enough. `stored` adds "as
  // stored" to the message, for operands that may be transposed.
  bool strided(const char* name, const F32Arg& buf, std::int64_t rows, std::int64_t cols, const char* ld_name,
               std::int64_t ld, const char* noun, bool stored) const;
  // Error unless the two buffers are disjoint.
  bool disjoint(const char* out_name, const F32Arg& out, const char* in_name, const F32Arg& in) const;
  // The same against int32 indices, which a kernel reads while it writes out.
  bool disjoint(const char* out_name, const F32Arg& out, const char* in_name, const I32Arg& in) const;

  std::string prefix() const { return std::string(op_) + ": "; }

 private:
  const Napi::CallbackInfo& info_;
  const char* op_;
};

// a * b, or false if it overflows int64.
bool checked_mul(std::int64_t a, std::int64_t b, std::int64_t* out);

}  // namespace axonal_binding

#define AXONAL_CHECK(expr)            \
  do {                                \
    if (!(expr)) return Napi::Value(); \
  } while (0)
