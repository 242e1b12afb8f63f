// gemm_alternate.cpp - axonal's sgemm and OpenBLAS's cblas_sgemm on one shape, in one
// process, in alternating slices: on a shared VM whose speed moves by tens of percent
// over seconds, back-to-back processes can land in different phases; slices a few
// hundred milliseconds apart, in alternating order, see the same ones. Benchmark only
// (OpenBLAS is never linked into axonal). Built and run by bench/gemm.mjs:
//   g++ -O2 -std=c++17 -Inative/include -Inative bench/c/gemm_alternate.cpp \
//       build-native/release/libaxonal_native.a -lopenblas -lpthread -o build-native/gemm_alternate
//   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE build-native/gemm_alternate THREADS MxNxKop [SLICES]
// Each slice follows a pause long enough for the other library's workers to stop
// spinning (OpenBLAS's spin for 2^28 cycles, ~0.1 s, by default), then two warm-up
// calls, then calls for 150 ms. Output:
//   alt <threads> <M> <N> <K> <op> <ours median> <openblas median> <ours best> <openblas best> <median ratio> <maxrelerr>
// (GFLOP/s over slices; the ratio is the median over rounds of ours / OpenBLAS).
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "axonal/gemm.h"
#include "axonal/threadpool.h"

extern "C" void openblas_set_num_threads(int);

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

float* random_floats(long n, unsigned seed) {
  float* p = static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>((n * 4 + 63) / 64 * 64)));
  unsigned long long s = 0x9E3779B97F4A7C15ull * (seed + 1);
  for (long i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    p[i] = static_cast<float>((s >> 40) * (1.0 / 16777216.0)) - 0.5f;
  }
  return p;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gemm_alternate THREADS MxNxKop [SLICES]\n");
    return 2;
  }
  const int threads = std::atoi(argv[1]);
  int m = 0, n = 0, k = 0;
  char ta_c = 'N', tb_c = 'N';
  if (std::sscanf(argv[2], "%dx%dx%d%c%c", &m, &n, &k, &ta_c, &tb_c) != 5 || m < 1 || n < 1 || k < 1) {
    std::fprintf(stderr, "bad shape %s\n", argv[2]);
    return 2;
  }
  const int slices = argc > 3 ? std::max(1, std::atoi(argv[3])) : 15;
  const bool ta = ta_c == 'T', tb = tb_c == 'T';
  axonal::set_num_threads(threads);
  openblas_set_num_threads(threads);
  float *a = random_floats(static_cast<long>(m) * k, 1), *b = random_floats(static_cast<long>(k) * n, 2);
  float *c_ours = random_floats(static_cast<long>(m) * n, 3), *c_ob = random_floats(static_cast<long>(m) * n, 4);
  const int lda = ta ? m : k, ldb = tb ? k : n;
  axonal::SgemmArgs g;
  g.trans_a = ta;
  g.trans_b = tb;
  g.m = m;
  g.n = n;
  g.k = k;
  g.a = a;
  g.lda = lda;
  g.b = b;
  g.ldb = ldb;
  g.c = c_ours;
  g.ldc = n;
  auto ours = [&] {
    if (axonal::sgemm(g) != axonal::Status::kOk) std::abort();
  };
  auto openblas = [&] {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb,
                0.0f, c_ob, n);
  };
  // The two agree (the separate harnesses check each against a float64 reference).
  ours();
  openblas();
  // (Largest difference relative to C's root mean square: entries near zero from
  // cancellation make element-wise relative differences meaningless.)
  double worst = 0, sum_sq = 0;
  const long count = static_cast<long>(m) * n;
  for (long i = 0; i < count; ++i) sum_sq += static_cast<double>(c_ob[i]) * c_ob[i];
  const double rms = std::sqrt(sum_sq / static_cast<double>(count)) + 1e-30;
  for (long i = 0; i < count; ++i) worst = std::max(worst, std::fabs(static_cast<double>(c_ours[i]) - c_ob[i]) / rms);
  if (worst > 1e-4) {
    std::fprintf(stderr, "axonal and OpenBLAS disagree on %s: max relative difference %g\n", argv[2], worst);
    return 1;
  }
  const double flops = 2.0 * m * n * k;
  const double pause = threads > 1 ? 0.12 : 0.005;
  std::vector<double> r_ours, r_ob, ratio;
  for (int s = 0; s < slices; ++s) {
    double rate[2] = {0, 0};
    for (int j = 0; j < 2; ++j) {
      const int side = (s % 2) ? 1 - j : j;
      std::this_thread::sleep_for(std::chrono::duration<double>(pause));
      for (int w = 0; w < 2; ++w) side == 0 ? ours() : openblas();
      long calls = 0;
      const double t0 = now();
      double t1 = t0;
      while (t1 - t0 < 0.15) {
        side == 0 ? ours() : openblas();
        ++calls;
        t1 = now();
      }
      rate[side] = calls * flops / (t1 - t0) * 1e-9;
    }
    r_ours.push_back(rate[0]);
    r_ob.push_back(rate[1]);
    ratio.push_back(rate[0] / rate[1]);
  }
  std::printf("alt %d %d %d %d %c%c %.1f %.1f %.1f %.1f %.3f %.1e\n", threads, m, n, k, ta_c, tb_c, median(r_ours), median(r_ob),
              *std::max_element(r_ours.begin(), r_ours.end()), *std::max_element(r_ob.begin(), r_ob.end()), median(ratio),
              worst);
  return 0;
}
