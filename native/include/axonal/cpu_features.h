// What the CPU and the OS together allow. The OS part matters: AVX state must be
// enabled in XCR0, or AVX instructions fault even on a CPU that has them.
#pragma once

namespace axonal {

struct CpuFeatures {
  bool avx2_fma = false;  // AVX, AVX2, FMA, F16C and OS-enabled YMM state
  bool avx512 = false;    // AVX-512 F/BW/DQ/VL and OS-enabled opmask + ZMM state
  bool neon = false;      // arm64
};

// Detected once; cheap to call afterwards.
const CpuFeatures& cpu_features() noexcept;

}  // namespace axonal
