#include "axonal/status.h"

namespace axonal {

const char* status_name(Status s) noexcept {
  switch (s) {
    case Status::kOk: return "ok";
    case Status::kInvalidArgument: return "invalid argument";
    case Status::kOutOfMemory: return "out of memory";
    case Status::kUnsupported: return "unsupported";
  }
  return "unknown status";
}

}  // namespace axonal
