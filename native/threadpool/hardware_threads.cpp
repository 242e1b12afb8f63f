// How many CPUs this process may actually use: the affinity mask (taskset, cpusets)
// capped by a cgroup CPU quota (docker --cpus, Kubernetes limits). Using the raw
// core count inside a 2-CPU container on a 64-core host would oversubscribe it.
#include <cstdio>
#include <cstring>
#include <thread>

#include "axonal/threadpool.h"

#if defined(__linux__)
#include <sched.h>
#endif

namespace axonal {
namespace {

#if defined(__linux__)
// ceil(quota / period) from a cgroup v2 "cpu.max" file ("max 100000" = no limit).
int read_cgroup2_limit(const char* path) noexcept {
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return 0;
  char quota[32] = {0};
  long long period = 0;
  int got = std::fscanf(f, "%31s %lld", quota, &period);
  std::fclose(f);
  if (got != 2 || period <= 0 || std::strcmp(quota, "max") == 0) return 0;
  long long q = 0;
  if (std::sscanf(quota, "%lld", &q) != 1 || q <= 0) return 0;
  return static_cast<int>((q + period - 1) / period);
}

int read_cgroup1_limit() noexcept {
  long long quota = 0, period = 0;
  FILE* f = std::fopen("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "r");
  if (f == nullptr) return 0;
  int ok = std::fscanf(f, "%lld", &quota);
  std::fclose(f);
  f = std::fopen("/sys/fs/cgroup/cpu/cpu.cfs_period_us", "r");
  if (f == nullptr) return 0;
  ok += std::fscanf(f, "%lld", &period);
  std::fclose(f);
  if (ok != 2 || quota <= 0 || period <= 0) return 0;
  return static_cast<int>((quota + period - 1) / period);
}

// The process's own cgroup v2 directory, from "0::/some/path" in /proc/self/cgroup.
int cgroup_limit() noexcept {
  char line[512];
  char path[600];
  int limit = 0;
  FILE* f = std::fopen("/proc/self/cgroup", "r");
  if (f != nullptr) {
    while (std::fgets(line, sizeof line, f) != nullptr) {
      if (std::strncmp(line, "0::", 3) == 0) {
        line[std::strcspn(line, "\n")] = '\0';
        std::snprintf(path, sizeof path, "/sys/fs/cgroup%s/cpu.max", line + 3);
        limit = read_cgroup2_limit(path);
        break;
      }
    }
    std::fclose(f);
  }
  if (limit == 0) limit = read_cgroup2_limit("/sys/fs/cgroup/cpu.max");
  if (limit == 0) limit = read_cgroup1_limit();
  return limit;
}

int affinity_count() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return CPU_COUNT(&set);
}
#endif

int detect() noexcept {
  int n = static_cast<int>(std::thread::hardware_concurrency());
#if defined(__linux__)
  int affinity = affinity_count();
  if (affinity > 0) n = affinity;
  int quota = cgroup_limit();
  if (quota > 0 && quota < n) n = quota;
#endif
  if (n < 1) n = 1;
  if (n > kMaxThreads) n = kMaxThreads;
  return n;
}

}  // namespace

int hardware_threads() noexcept {
  static const int n = detect();
  return n;
}

}  // namespace axonal
