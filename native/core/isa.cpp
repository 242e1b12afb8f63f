#include "axonal/isa.h"

#include <cstring>

namespace axonal {

const char* isa_name(Isa isa) noexcept {
  switch (isa) {
    case Isa::kScalar: return "scalar";
    case Isa::kNeon: return "neon";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvx512: return "avx512";
  }
  return "unknown";
}

bool isa_from_name(const char* name, Isa* out) noexcept {
  if (name == nullptr) return false;
  for (int i = 0; i < kIsaCount; ++i) {
    Isa isa = static_cast<Isa>(i);
    if (std::strcmp(name, isa_name(isa)) == 0) {
      *out = isa;
      return true;
    }
  }
  return false;
}

int isa_simd_width_floats(Isa isa) noexcept {
  switch (isa) {
    case Isa::kScalar: return 1;
    case Isa::kNeon: return 4;
    case Isa::kAvx2: return 8;
    case Isa::kAvx512: return 16;
  }
  return 1;
}

}  // namespace axonal
