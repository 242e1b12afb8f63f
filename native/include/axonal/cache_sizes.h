// The data cache sizes the GEMM's blocking is fitted to, read from the OS at run time.
#pragma once

#include <cstddef>

namespace axonal {

// Bytes of the level-2 cache one core uses (Linux sysconf / sysfs, macOS sysctl), or 0
// when the OS does not say. Detected once; cheap to call afterwards.
std::size_t l2_cache_bytes() noexcept;

}  // namespace axonal
