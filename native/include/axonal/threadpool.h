// The process-wide thread pool. Work is split into tasks whose boundaries depend
// only on the problem size, never on the number of threads, so results are the
// same whatever the pool size (reductions combine per-task partials in order).
#pragma once

#include <cstddef>

namespace axonal {

// Threads the process may use: CPU affinity mask, capped by a cgroup CPU quota.
int hardware_threads() noexcept;

// Threads parallel regions use (caller included). Initially AXONAL_NUM_THREADS
// if set to a positive integer, else hardware_threads().
int num_threads() noexcept;

// Sets the thread count; clamped to [1, kMaxThreads].
constexpr int kMaxThreads = 256;
void set_num_threads(int n) noexcept;

// A non-owning callable reference: no allocation on the hot path.
class TaskRef {
 public:
  template <typename F>
  TaskRef(const F& f) noexcept  // NOLINT: implicit on purpose
      : ctx_(&f), call_([](const void* c, std::ptrdiff_t i) { (*static_cast<const F*>(c))(i); }) {}
  void operator()(std::ptrdiff_t i) const noexcept { call_(ctx_, i); }

 private:
  const void* ctx_;
  void (*call_)(const void*, std::ptrdiff_t);
};

// Runs task(i) for i in [0, n_tasks), spread over up to num_threads() threads
// (the caller works too). Returns when all tasks are done. If the pool is busy
// with another caller (another worker_thread), runs everything on the calling
// thread instead of oversubscribing the machine. Tasks must not throw.
void parallel_for(std::ptrdiff_t n_tasks, TaskRef task) noexcept;

// One step of a spin-wait: tells the core (and an SMT sibling) that this thread is
// polling (x86 pause, arm64 yield).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

// Gives the rest of this thread's time slice to another runnable thread (sched_yield).
void yield_core() noexcept;

// A wait for another thread that may be descheduled: the pool's workers share their
// cores with the rest of the machine (a service's other processes, a VM's neighbours).
// With a third busy thread on two cores, a pure pause-spin burned the slice of the very
// thread it waited for whenever the two shared a core: a 2-thread 64 x 500 x 784 GEMM
// ran at 0.6x its 1-thread speed (43 against 72 GFLOP/s). Yielding every few
// microseconds lets that thread run (67 GFLOP/s) and costs nothing on an idle machine
// (sched_yield returns at once when nothing else is runnable).
class SpinWait {
 public:
  void step() noexcept {
    cpu_relax();
    if (++pauses_ == kPausesPerYield) {
      pauses_ = 0;
      yield_core();
    }
  }
  // pause instructions between yields: about 2 us (a pause is 10-40 ns by CPU)
  static constexpr int kPausesPerYield = 64;

 private:
  int pauses_ = 0;
};

// Tasks to split `work` units into so that each task gets at least `grain`
// units; 1 when the problem is small. Depends only on the sizes.
std::ptrdiff_t task_count(std::ptrdiff_t work, std::ptrdiff_t grain) noexcept;

}  // namespace axonal
