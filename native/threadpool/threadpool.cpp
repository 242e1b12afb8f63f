// A persistent pool: workers sleep on a condition variable between parallel
// regions, after a short spin (yielding the core now and then: SpinWait) so that
// back-to-back regions (one per layer op) do not pay a futex wake each time. One
// region runs at a time; a second caller (another worker_thread) runs its tasks
// inline rather than stacking threads on the cores.
#include "axonal/threadpool.h"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <cstdlib>
#include <mutex>

namespace axonal {
namespace {

// How long a worker (and a caller waiting for its helpers) spins before it sleeps, in
// time rather than pause instructions (a pause takes 10 to 140 cycles by CPU; 33 ns on
// the Zen 3 VM here, where the old 16k-pause spin was 0.5 ms). A training step is a
// chain of parallel regions with the autograd's JS work between them, and a worker that
// has fallen asleep costs a futex wake (an IPI to a halted vCPU on a VM). Counted with
// strace over 350 batch-64 MLP steps: 694 futex calls with the 0.5 ms spin, 452 with
// 2 ms, 387 with 4 ms (node's own threads make a few hundred). OpenMP runtimes spin
// longer still (libgomp ~300k iterations, Intel's KMP_BLOCKTIME 200 ms).
constexpr std::int64_t kSpinNanos = 2000000;

std::int64_t now_nanos() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Spins (yielding the core now and then, see SpinWait) until done() or the spin budget
// runs out; returns done(). The clock is read once per yield (a read is ~20 ns).
template <class Done>
bool spin_until(Done done) noexcept {
  const std::int64_t deadline = now_nanos() + kSpinNanos;
  for (;;) {
    for (int i = 0; i < SpinWait::kPausesPerYield; ++i) {
      if (done()) return true;
      cpu_relax();
    }
    yield_core();
    if (now_nanos() >= deadline) return done();
  }
}

int initial_threads() noexcept {
  const char* env = std::getenv("AXONAL_NUM_THREADS");
  if (env != nullptr && env[0] != '\0') {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && v >= 1) return v > kMaxThreads ? kMaxThreads : static_cast<int>(v);
  }
  return hardware_threads();
}

// Set on pool workers for good and on a caller while it runs its own region: a
// parallel_for from inside a task (a GEMM inside a conv's per-image task) runs inline,
// without touching region_mutex_ (which that thread may already hold).
thread_local bool t_in_region = false;

class Pool {
 public:
  static Pool& instance() noexcept {
    // Never destroyed: workers may still be parked when the process exits.
    static Pool* pool = new Pool();
    return *pool;
  }

  int threads() const noexcept { return threads_.load(std::memory_order_relaxed); }
  void set_threads(int n) noexcept { threads_.store(n, std::memory_order_relaxed); }

  void run(std::ptrdiff_t n_tasks, TaskRef task) noexcept {
    if (n_tasks <= 0) return;
    if (t_in_region) {
      for (std::ptrdiff_t i = 0; i < n_tasks; ++i) task(i);
      return;
    }
    if (n_tasks == 1) {  // the caller's own work: a parallel_for inside it may still use the pool
      task(0);
      return;
    }
    int want = threads();
    if (want > n_tasks) want = static_cast<int>(n_tasks);
    if (want <= 1) {
      run_inline(n_tasks, task);
      return;
    }
    std::unique_lock<std::mutex> region(region_mutex_, std::try_to_lock);
    if (!region.owns_lock()) {
      run_inline(n_tasks, task);
      return;
    }
    int helpers = ensure_workers(want - 1);
    if (helpers == 0) {
      run_inline(n_tasks, task);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      n_tasks_ = n_tasks;
      next_.store(0, std::memory_order_relaxed);
      participants_ = helpers;
      open_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    t_in_region = true;
    drain(task);
    t_in_region = false;
    // Every task is claimed. Close the region so that a worker waking late skips
    // it (it must not touch `task`, which lives on this stack), then wait only for
    // the workers that entered and may still be running their last task. Waiting
    // for every worker to check in instead would cost a scheduling delay whenever
    // a worker is descheduled, even though the caller did all the work.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = false;
    }
    if (!spin_until([&] { return active_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return active_.load(std::memory_order_acquire) == 0; });
    }
  }

 private:
  Pool() noexcept : threads_(initial_threads()) {}

  static void run_inline(std::ptrdiff_t n_tasks, const TaskRef& task) noexcept {
    t_in_region = true;
    for (std::ptrdiff_t i = 0; i < n_tasks; ++i) task(i);
    t_in_region = false;
  }

  void drain(const TaskRef& task) noexcept {
    for (;;) {
      std::ptrdiff_t i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= n_tasks_) break;
      task(i);
    }
  }

  // Starts workers until `n` exist (or thread creation fails); returns how many exist.
  int ensure_workers(int n) noexcept {
    while (n_workers_ < n) {
      pthread_t tid;
      // The worker must wait for the region about to start, not for the one after
      // it: hand it the generation as of now, before the caller bumps it.
      WorkerStart* start =
          new (std::nothrow) WorkerStart{this, n_workers_, generation_.load(std::memory_order_acquire)};
      if (start == nullptr) break;
      if (pthread_create(&tid, nullptr, &Pool::worker_entry, start) != 0) {
        delete start;
        break;
      }
      pthread_detach(tid);
      ++n_workers_;
    }
    return n_workers_ < n ? n_workers_ : n;
  }

  struct WorkerStart {
    Pool* pool;
    int index;
    unsigned long long generation;
  };

  static void* worker_entry(void* arg) noexcept {
    WorkerStart start = *static_cast<WorkerStart*>(arg);
    delete static_cast<WorkerStart*>(arg);
    start.pool->worker_loop(start.index, start.generation);
    return nullptr;
  }

  void worker_loop(int index, unsigned long long seen) noexcept {
    t_in_region = true;
    for (;;) {
      // Wait for a new region: spin first, then sleep.
      if (!spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; })) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      }
      const TaskRef* task = nullptr;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        seen = generation_.load(std::memory_order_acquire);
        // Enter only an open region this worker is meant to help with.
        if (open_ && index < participants_) {
          task = task_;
          active_.fetch_add(1, std::memory_order_acq_rel);
        }
      }
      if (task == nullptr) continue;
      drain(*task);
      if (active_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  std::atomic<int> threads_;
  std::mutex region_mutex_;  // held by the caller for a whole region
  std::mutex mutex_;         // guards the job fields below and the condition variables
  std::condition_variable wake_;
  std::condition_variable done_;
  std::atomic<unsigned long long> generation_{0};
  const TaskRef* task_ = nullptr;
  std::ptrdiff_t n_tasks_ = 0;
  int participants_ = 0;
  bool open_ = false;  // workers may still join the current region
  std::atomic<std::ptrdiff_t> next_{0};
  std::atomic<int> active_{0};  // workers inside the current region
  int n_workers_ = 0;  // only touched under region_mutex_
};

}  // namespace

void yield_core() noexcept { sched_yield(); }

int num_threads() noexcept { return Pool::instance().threads(); }

void set_num_threads(int n) noexcept {
  if (n < 1) n = 1;
  if (n > kMaxThreads) n = kMaxThreads;
  Pool::instance().set_threads(n);
}

void parallel_for(std::ptrdiff_t n_tasks, TaskRef task) noexcept { Pool::instance().run(n_tasks, task); }

std::ptrdiff_t task_count(std::ptrdiff_t work, std::ptrdiff_t grain) noexcept {
  if (work <= 0) return 0;
  if (grain < 1) grain = 1;
  std::ptrdiff_t tasks = work / grain;
  if (tasks < 1) tasks = 1;
  // Enough tasks to balance any pool size we allow, few enough to keep overhead low.
  constexpr std::ptrdiff_t kMaxTasks = 4 * kMaxThreads;
  return tasks > kMaxTasks ? kMaxTasks : tasks;
}

}  // namespace axonal
