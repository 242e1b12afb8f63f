// Instruction-set levels, ordered so that a higher value needs more of the CPU.
#pragma once

namespace axonal {

enum class Isa : int {
  kScalar = 0,
  kNeon = 1,    // arm64 only; NEON is part of the arm64 baseline
  kAvx2 = 2,    // x86-64 with AVX2 + FMA (+ F16C)
  kAvx512 = 3,  // x86-64 with AVX-512 F, BW, DQ, VL
};

constexpr int kIsaCount = 4;

// "scalar", "neon", "avx2", "avx512".
const char* isa_name(Isa isa) noexcept;

// Parses one of the names above; returns false for anything else.
bool isa_from_name(const char* name, Isa* out) noexcept;

// Floats in one vector register of the ISA (1 for scalar).
int isa_simd_width_floats(Isa isa) noexcept;

}  // namespace axonal
