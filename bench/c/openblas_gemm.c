// openblas_gemm.c - cblas_sgemm throughput on the shapes of native/bench/gemm_bench.cpp,
// same validation (256 sampled entries against a float64 dot product, before timing),
// timing loop and output format ("gemm openblas ..."). Built and
// run by bench/gemm.mjs (benchmark-only comparison; never linked into axonal):
//   cc -O2 bench/c/openblas_gemm.c -o build-native/openblas_gemm -lopenblas -lm
//   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE build-native/openblas_gemm THREADS [RUNS] [MxNxKop]
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern char* openblas_get_corename(void);
extern char* openblas_get_config(void);
extern void openblas_set_num_threads(int);

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}
static float* rnd(long n, unsigned seed) {
  float* p = aligned_alloc(64, ((n * 4 + 63) / 64) * 64);
  unsigned long long s = 0x9E3779B97F4A7C15ull * (seed + 1);
  for (long i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    p[i] = (float)((s >> 40) * (1.0 / 16777216.0)) - 0.5f;
  }
  return p;
}

typedef struct { int m, n, k, ta, tb; } Shape;

int main(int argc, char** argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  int runs = argc > 2 ? atoi(argv[2]) : 7;
  const char* only = argc > 3 ? argv[3] : "";
  if (runs < 1) runs = 1;
  if (runs > 64) runs = 64;
  openblas_set_num_threads(threads);
  printf("info openblas core=%s config=\"%s\" threads=%d\n", openblas_get_corename(), openblas_get_config(), threads);
  Shape shapes[] = {{64, 64, 64, 0, 0},     {128, 128, 128, 0, 0},  {256, 256, 256, 0, 0},  {512, 512, 512, 0, 0},
                    {1024, 1024, 1024, 0, 0}, {2048, 2048, 2048, 0, 0}, {64, 500, 784, 0, 0},  {64, 500, 784, 0, 1},
                    {64, 10, 500, 0, 0},    {784, 500, 64, 1, 0},   {500, 784, 64, 1, 0},   {64, 784, 500, 0, 1},
                    {128, 500, 784, 0, 0},  {256, 1024, 1024, 0, 0}};
  // A shape outside the table ("256x500x784NT") runs alone, as in gemm_bench.
  Shape extra;
  char ta_c, tb_c;
  size_t count = sizeof shapes / sizeof *shapes;
  if (only[0] && sscanf(only, "%dx%dx%d%c%c", &extra.m, &extra.n, &extra.k, &ta_c, &tb_c) == 5 && extra.m > 0 &&
      extra.n > 0 && extra.k > 0) {
    extra.ta = ta_c == 'T';
    extra.tb = tb_c == 'T';
    shapes[0] = extra;
    count = 1;
  }
  for (size_t s = 0; s < count; s++) {
    Shape sh = shapes[s];
    char key[64];
    snprintf(key, sizeof key, "%dx%dx%d%c%c", sh.m, sh.n, sh.k, sh.ta ? 'T' : 'N', sh.tb ? 'T' : 'N');
    if (only[0] && !strstr(only, key)) continue;
    int m = sh.m, n = sh.n, k = sh.k;
    float *A = rnd((long)m * k, 1), *B = rnd((long)k * n, 2), *C = rnd((long)m * n, 3);
    int lda = sh.ta ? m : k, ldb = sh.tb ? k : n;
    enum CBLAS_TRANSPOSE ta = sh.ta ? CblasTrans : CblasNoTrans, tb = sh.tb ? CblasTrans : CblasNoTrans;
#define CALL() cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, A, lda, B, ldb, 0.0f, C, n)
    CALL();
    double worst = 0;
    for (int t = 0; t < 256; t++) {
      int i = (t * 7919) % m, j = (t * 104729 + t / 3) % n;
      double ref = 0, mag = 0;
      for (int p = 0; p < k; p++) {
        double x = sh.ta ? A[(long)p * lda + i] : A[(long)i * lda + p];
        double y = sh.tb ? B[(long)j * ldb + p] : B[(long)p * ldb + j];
        ref += x * y;
        mag += fabs(x * y);
      }
      double e = fabs(C[(long)i * n + j] - ref) / (mag + 1e-30);
      if (e > worst) worst = e;
    }
    if (!(worst <= k * 6e-8 + 1e-6)) {
      printf("error %s validation failed: rel err %.3g\n", key, worst);
      return 1;
    }
    double flop = 2.0 * m * n * k;
    long reps = 1;
    for (;;) {
      double t0 = now();
      for (long r = 0; r < reps; r++) CALL();
      if (now() - t0 > 0.05) break;
      reps *= 2;
    }
    double g[64];
    for (int r = 0; r < runs; r++) {
      double t0 = now();
      for (long i = 0; i < reps; i++) CALL();
      g[r] = flop * reps / (now() - t0) * 1e-9;
    }
    qsort(g, runs, sizeof(double), cmp);
    printf("gemm openblas %d %d %d %d %c%c %.1f %.1f %.2g\n", threads, m, n, k, sh.ta ? 'T' : 'N', sh.tb ? 'T' : 'N',
           g[runs - 1], g[runs / 2], worst);
    fflush(stdout);
    free(A);
    free(B);
    free(C);
  }
  return 0;
}
