// Cache sizes from the OS. CPUID would need a table per vendor (Intel's leaf 4, AMD's
// 0x8000001D) and says nothing on arm64; the OS already decodes them for every CPU.
#include "axonal/cache_sizes.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#if defined(__linux__)
#include <unistd.h>
#elif defined(__APPLE__)
#include <sys/sysctl.h>
#include <sys/types.h>
#endif

namespace axonal {
namespace {

#if defined(__linux__)
// "512K" / "2048K" / "1M" from /sys/devices/system/cpu/cpu0/cache/index*/size, for the
// index whose level is 2 and type is not Instruction (glibc's sysconf reads CPUID on x86
// only; musl has no _SC_LEVEL2_CACHE_SIZE at all).
std::size_t read_sysfs_l2() noexcept {
  for (int index = 0; index < 8; ++index) {
    char path[96];
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", index);
    FILE* f = std::fopen(path, "r");
    if (f == nullptr) return 0;
    int level = 0;
    const int got = std::fscanf(f, "%d", &level);
    std::fclose(f);
    if (got != 1 || level != 2) continue;
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", index);
    char type[32] = {0};
    if ((f = std::fopen(path, "r")) != nullptr) {
      if (std::fscanf(f, "%31s", type) != 1) type[0] = '\0';
      std::fclose(f);
    }
    if (type[0] == 'I') continue;
    std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
    if ((f = std::fopen(path, "r")) == nullptr) return 0;
    unsigned long long value = 0;
    char unit = '\0';
    const int parsed = std::fscanf(f, "%llu%c", &value, &unit);
    std::fclose(f);
    if (parsed < 1) return 0;
    if (unit == 'K') value <<= 10;
    else if (unit == 'M') value <<= 20;
    return static_cast<std::size_t>(value);
  }
  return 0;
}
#endif

std::size_t detect_l2() noexcept {
#if defined(__linux__)
#if defined(_SC_LEVEL2_CACHE_SIZE)
  const long v = sysconf(_SC_LEVEL2_CACHE_SIZE);
  if (v > 0) return static_cast<std::size_t>(v);
#endif
  return read_sysfs_l2();
#elif defined(__APPLE__)
  // Apple cores share their L2 by cluster; perflevel0 is the performance cluster's.
  std::uint64_t v = 0;
  std::size_t len = sizeof v;
  if (sysctlbyname("hw.perflevel0.l2cachesize", &v, &len, nullptr, 0) == 0 && v > 0) return static_cast<std::size_t>(v);
  len = sizeof v;
  if (sysctlbyname("hw.l2cachesize", &v, &len, nullptr, 0) == 0 && v > 0) return static_cast<std::size_t>(v);
  return 0;
#else
  return 0;
#endif
}

}  // namespace

std::size_t l2_cache_bytes() noexcept {
  static const std::size_t bytes = detect_l2();
  return bytes;
}

}  // namespace axonal
