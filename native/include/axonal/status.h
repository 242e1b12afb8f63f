// Status codes returned by every fallible native entry point. Kernels never throw;
// drivers return a Status and the binding turns it into a JS error.
#pragma once

namespace axonal {

enum class Status : int {
  kOk = 0,
  kInvalidArgument = 1,  // a precondition the binding should have caught
  kOutOfMemory = 2,      // scratch allocation failed
  kUnsupported = 3,      // the requested ISA or feature is not available
};

const char* status_name(Status s) noexcept;

}  // namespace axonal
