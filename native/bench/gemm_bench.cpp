// SGEMM throughput: axonal's sgemm on the benchmark shapes, plus the FMA peak of
// this machine measured here (independent FMA chains). Each shape's result is
// validated against a double-accumulated reference (sampled entries) before timing.
//
//   axonal_native_bench [--threads 1,2] [--runs 7] [--peak-only] [--no-peak] [--shape MxNxKop]
// Output: one machine-readable line per measurement, prefixed "peak" or "gemm":
//   peak <isa> <threads> <best GFLOP/s> <median GFLOP/s>
//   gemm axonal <threads> <M> <N> <K> <NN|NT|TN|TT> <best GFLOP/s> <median GFLOP/s> <maxrelerr>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "axonal/cpu_features.h"
#include "axonal/dispatch.h"
#include "axonal/gemm.h"
#include "axonal/isa.h"
#include "axonal/threadpool.h"

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

volatile float g_sink;

#if defined(__x86_64__)
// Independent FMA chains per thread: enough to cover FMA latency x FMA ports on every
// core we target (4 x 2 = 8), few enough to stay in registers with the two constants
// (16 of 32 zmm; 12 of 16 ymm -- 16 ymm chains would spill and halve the figure).
constexpr int kChains = 16;
constexpr int kChains256 = 12;
__attribute__((target("avx512f"))) void fma512(long long iters) {
  __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  __m512 acc[kChains];
  for (int i = 0; i < kChains; i++) acc[i] = _mm512_set1_ps(static_cast<float>(i));
  for (long long it = 0; it < iters; it++) {
#pragma GCC unroll 16
    for (int i = 0; i < kChains; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 s = acc[0];
  for (int i = 1; i < kChains; i++) s = _mm512_add_ps(s, acc[i]);
  g_sink = _mm512_reduce_add_ps(s);
}
__attribute__((target("avx2,fma"))) void fma256(long long iters) {
  __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  __m256 acc[kChains256];
  for (int i = 0; i < kChains256; i++) acc[i] = _mm256_set1_ps(static_cast<float>(i));
  for (long long it = 0; it < iters; it++) {
#pragma GCC unroll 12
    for (int i = 0; i < kChains256; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  __m256 s = acc[0];
  for (int i = 1; i < kChains256; i++) s = _mm256_add_ps(s, acc[i]);
  float o[8];
  _mm256_storeu_ps(o, s);
  g_sink = o[0] + o[7];
}
#endif

// FMA peak in GFLOP/s with `threads` threads: best of `runs`. Each thread times its
// own loop after a common start and the rates are summed, so thread start-up and a
// late-scheduled thread on a busy machine do not count against the peak.
void measure_peak(int threads, int runs) {
#if defined(__x86_64__)
  const axonal::CpuFeatures& cpu = axonal::cpu_features();
  const bool z = cpu.avx512;
  if (!z && !cpu.avx2_fma) {
    std::printf("peak none %d 0 0\n", threads);
    return;
  }
  const int lanes = z ? 16 : 8;
  const long long iters = 30000000;
  std::vector<double> g;
  (z ? fma512 : fma256)(iters / 4);  // warm-up (clock ramp)
  for (int r = 0; r < runs; ++r) {
    std::vector<double> rate(static_cast<size_t>(threads));
    std::atomic<int> ready{0};
    auto body = [&](int t) {
      ready.fetch_add(1);
      while (ready.load() < threads) {
      }
      const double t0 = now();
      (z ? fma512 : fma256)(iters);
      rate[static_cast<size_t>(t)] = 2.0 * lanes * (z ? kChains : kChains256) * static_cast<double>(iters) / (now() - t0) * 1e-9;
    };
    std::vector<std::thread> th;
    for (int t = 1; t < threads; ++t) th.emplace_back(body, t);
    body(0);
    for (auto& x : th) x.join();
    double sum = 0;
    for (double x : rate) sum += x;
    g.push_back(sum);
  }
  std::sort(g.begin(), g.end());
  std::printf("peak %s %d %.1f %.1f\n", z ? "avx512" : "avx2", threads, g.back(), g[g.size() / 2]);
#else
  std::printf("peak none %d 0 0\n", threads);
#endif
}

struct Shape {
  int m, n, k;
  bool ta, tb;
};

const Shape kShapes[] = {
    {64, 64, 64, false, false},      {128, 128, 128, false, false},    {256, 256, 256, false, false},
    {512, 512, 512, false, false},   {1024, 1024, 1024, false, false}, {2048, 2048, 2048, false, false},
    {64, 500, 784, false, false},    {64, 500, 784, false, true},      {64, 10, 500, false, false},
    {784, 500, 64, true, false},     {500, 784, 64, true, false},      {64, 784, 500, false, true},
    {128, 500, 784, false, false},   {256, 1024, 1024, false, false},  {256, 500, 784, false, true},  // last: batch-256 inference
};

// Operands on 64-byte boundaries, as bench/c/openblas_gemm.c allocates them (aligned_alloc(64)):
// both libraries see the same alignment (a misaligned row costs split loads in either).
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    void* p = std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64);
    if (p == nullptr) std::abort();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const CacheLineAllocator<U>&) const noexcept { return false; }
};
using Floats = std::vector<float, CacheLineAllocator<float>>;

Floats random_floats(std::size_t n, unsigned seed) {
  Floats v(n);
  unsigned long long s = 0x9E3779B97F4A7C15ull * (seed + 1);
  for (auto& x : v) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    x = static_cast<float>((s >> 40) * (1.0 / 16777216.0)) - 0.5f;
  }
  return v;
}

// Max relative error over sampled entries, scaled by sum |a||b| (the K eps bound's magnitude).
double validate(const Shape& s, const Floats& a, const Floats& b, const Floats& c) {
  const int lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n;
  double worst = 0;
  for (int t = 0; t < 256; ++t) {
    const int i = (t * 7919) % s.m, j = (t * 104729 + t / 3) % s.n;
    double ref = 0, mag = 0;
    for (int p = 0; p < s.k; ++p) {
      const double x = s.ta ? a[static_cast<size_t>(p) * lda + i] : a[static_cast<size_t>(i) * lda + p];
      const double y = s.tb ? b[static_cast<size_t>(j) * ldb + p] : b[static_cast<size_t>(p) * ldb + j];
      ref += x * y;
      mag += std::fabs(x * y);
    }
    worst = std::max(worst, std::fabs(c[static_cast<size_t>(i) * s.n + j] - ref) / (mag + 1e-30));
  }
  return worst;
}

void bench_shape(const Shape& s, int threads, int runs) {
  axonal::set_num_threads(threads);
  auto a = random_floats(static_cast<size_t>(s.m) * s.k, 1), b = random_floats(static_cast<size_t>(s.k) * s.n, 2);
  Floats c(static_cast<size_t>(s.m) * s.n, std::nanf(""));
  axonal::SgemmArgs g;
  g.trans_a = s.ta;
  g.trans_b = s.tb;
  g.m = s.m;
  g.n = s.n;
  g.k = s.k;
  g.a = a.data();
  g.lda = s.ta ? s.m : s.k;
  g.b = b.data();
  g.ldb = s.tb ? s.k : s.n;
  g.c = c.data();
  g.ldc = s.n;
  if (axonal::sgemm(g) != axonal::Status::kOk) {
    std::printf("error sgemm failed\n");
    std::exit(1);
  }
  const double err = validate(s, a, b, c);
  // |error| <= K eps sum|a||b| for any summation order; flag far worse as failure.
  if (!(err <= s.k * 6e-8 + 1e-6)) {
    std::printf("error %dx%dx%d validation failed: rel err %.3g\n", s.m, s.n, s.k, err);
    std::exit(1);
  }
  const double flop = 2.0 * s.m * s.n * s.k;
  long reps = 1;
  for (;;) {
    const double t0 = now();
    for (long r = 0; r < reps; ++r) axonal::sgemm(g);
    if (now() - t0 > 0.05) break;
    reps *= 2;
  }
  std::vector<double> gf;
  for (int r = 0; r < runs; ++r) {
    const double t0 = now();
    for (long i = 0; i < reps; ++i) axonal::sgemm(g);
    gf.push_back(flop * reps / (now() - t0) * 1e-9);
  }
  std::sort(gf.begin(), gf.end());
  std::printf("gemm axonal %d %d %d %d %c%c %.1f %.1f %.2g\n", threads, s.m, s.n, s.k, s.ta ? 'T' : 'N',
              s.tb ? 'T' : 'N', gf.back(), gf[gf.size() / 2], err);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> threads = {1, 2};
  int runs = 7;
  bool peak = true, gemm = true;
  std::string only;
  int force_config = -1, force_direct = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      threads.clear();
      for (const char* p = argv[++i]; *p;) {
        threads.push_back(std::atoi(p));
        while (*p && *p != ',') ++p;
        if (*p == ',') ++p;
      }
    } else if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--peak-only") {
      gemm = false;
    } else if (arg == "--no-peak") {
      peak = false;
    } else if (arg == "--shape" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--force-config" && i + 1 < argc) {  // experiments: see sgemm_force_path_for_testing
      force_config = std::atoi(argv[++i]);
    } else if (arg == "--force-direct" && i + 1 < argc) {  // 0: always pack, 1: read in place where allowed
      force_direct = std::atoi(argv[++i]);
    }
  }
  if (force_config >= 0 || force_direct >= 0) axonal::sgemm_force_path_for_testing(force_config, force_direct);
  std::printf("info isa=%s kernel=\"%s\" hardware_threads=%d\n", axonal::isa_name(axonal::active_isa()),
              axonal::kernels().gemm->name, axonal::hardware_threads());
  if (peak) {
    for (int t : threads) measure_peak(t, 5);
  }
  if (!gemm) return 0;
  // A shape outside the table ("64x224x576NN") runs alone.
  Shape extra{};
  char ta = 0, tb = 0;
  const bool single = !only.empty() && std::sscanf(only.c_str(), "%dx%dx%d%c%c", &extra.m, &extra.n, &extra.k, &ta, &tb) == 5 &&
                      extra.m > 0 && extra.n > 0 && extra.k > 0;
  extra.ta = ta == 'T';
  extra.tb = tb == 'T';
  for (int t : threads) {
    if (single) {
      bench_shape(extra, t, runs);
      continue;
    }
    for (const Shape& s : kShapes) {
      char key[64];
      std::snprintf(key, sizeof key, "%dx%dx%d%c%c", s.m, s.n, s.k, s.ta ? 'T' : 'N', s.tb ? 'T' : 'N');
      if (!only.empty() && only.find(key) == std::string::npos) continue;
      bench_shape(s, t, runs);
    }
  }
  return 0;
}
