#include <atomic>
#include <thread>
#include <vector>

#include "axonal/threadpool.h"
#include "tests/harness.h"

AXONAL_TEST(parallel_for_runs_every_task_once_at_any_thread_count) {
  const int before = axonal::num_threads();
  for (int threads : {1, 2, 3, 7, 16}) {
    axonal::set_num_threads(threads);
    for (std::ptrdiff_t n : {0, 1, 2, 5, 64, 1000}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      for (auto& h : hits) h.store(0);
      axonal::parallel_for(n, [&](std::ptrdiff_t i) { hits[static_cast<size_t>(i)].fetch_add(1); });
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        REQUIRE_MSG(hits[static_cast<size_t>(i)].load() == 1, "threads=%d n=%td task %td ran %d times", threads, n,
                    i, hits[static_cast<size_t>(i)].load());
      }
    }
  }
  axonal::set_num_threads(before);
}

AXONAL_TEST(set_num_threads_clamps) {
  const int before = axonal::num_threads();
  axonal::set_num_threads(0);
  EXPECT_EQ(axonal::num_threads(), 1);
  axonal::set_num_threads(-5);
  EXPECT_EQ(axonal::num_threads(), 1);
  axonal::set_num_threads(100000);
  EXPECT_EQ(axonal::num_threads(), axonal::kMaxThreads);
  axonal::set_num_threads(before);
  EXPECT_TRUE(axonal::hardware_threads() >= 1);
}

AXONAL_TEST(task_count_depends_only_on_sizes) {
  EXPECT_EQ(axonal::task_count(0, 10), 0);
  EXPECT_EQ(axonal::task_count(5, 10), 1);
  EXPECT_EQ(axonal::task_count(100, 10), 10);
  EXPECT_EQ(axonal::task_count(1 << 30, 1), 4 * axonal::kMaxThreads);
  EXPECT_EQ(axonal::task_count(100, 0), 100);
}

// Several OS threads (as several worker_threads would) driving the pool at once:
// every region completes with correct results and nothing deadlocks.
AXONAL_TEST(concurrent_callers_all_complete) {
  const int before = axonal::num_threads();
  axonal::set_num_threads(2);
  constexpr int kCallers = 6;
  constexpr int kRounds = 200;
  std::atomic<int> bad{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      std::vector<long> out(257);
      for (int r = 0; r < kRounds; ++r) {
        axonal::parallel_for(static_cast<std::ptrdiff_t>(out.size()),
                             [&](std::ptrdiff_t i) { out[static_cast<size_t>(i)] = i * (c + r); });
        for (size_t i = 0; i < out.size(); ++i) {
          if (out[i] != static_cast<long>(i) * (c + r)) bad.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(bad.load(), 0);
  axonal::set_num_threads(before);
}

// A parallel_for inside a task (a GEMM inside a conv's per-image task) runs every inner
// task exactly once, inline on that thread; inside a single-task parallel_for (the
// caller's own work) it may use the pool. Either way nothing deadlocks.
AXONAL_TEST(nested_parallel_for_runs_every_task_once) {
  const int before = axonal::num_threads();
  for (int threads : {1, 2, 4}) {
    axonal::set_num_threads(threads);
    for (std::ptrdiff_t outer : {1, 2, 7}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(outer * 13));
      for (auto& h : hits) h.store(0);
      axonal::parallel_for(outer, [&](std::ptrdiff_t i) {
        axonal::parallel_for(13, [&](std::ptrdiff_t j) { hits[static_cast<size_t>(i * 13 + j)].fetch_add(1); });
        // and one level deeper
        axonal::parallel_for(2, [&](std::ptrdiff_t) { axonal::parallel_for(3, [](std::ptrdiff_t) {}); });
      });
      for (auto& h : hits) EXPECT_TRUE(h.load() == 1);
    }
  }
  axonal::set_num_threads(before);
}
