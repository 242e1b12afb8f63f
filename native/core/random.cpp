#include "axonal/random.h"

#include <cmath>

#include "axonal/threadpool.h"

namespace axonal {
namespace {

constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
constexpr std::ptrdiff_t kValuesPerTask = 1 << 14;  // a multiple of 4

inline void mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t* hi, std::uint32_t* lo) noexcept {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  *hi = static_cast<std::uint32_t>(p >> 32);
  *lo = static_cast<std::uint32_t>(p);
}

// Uniform in [0, 1) from the top 24 bits: exactly representable in float.
inline double unit_open_high(std::uint32_t w) noexcept { return (w >> 8) * (1.0 / 16777216.0); }
// Uniform in (0, 1]: safe for log().
inline double unit_open_low(std::uint32_t w) noexcept { return ((w >> 8) + 1) * (1.0 / 16777216.0); }

std::uint64_t round_up4(std::uint64_t w) noexcept { return (w + 3) & ~std::uint64_t{3}; }

}  // namespace

Philox4x32 philox4x32_10(std::uint64_t counter, std::uint64_t key) noexcept {
  std::uint32_t c0 = static_cast<std::uint32_t>(counter), c1 = static_cast<std::uint32_t>(counter >> 32);
  std::uint32_t c2 = 0, c3 = 0;
  std::uint32_t k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    mulhilo(kM0, c0, &hi0, &lo0);
    mulhilo(kM1, c2, &hi1, &lo1);
    const std::uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += kW0;
    k1 += kW1;
  }
  return Philox4x32{{c0, c1, c2, c3}};
}

std::uint64_t uniform_words(std::ptrdiff_t n) noexcept {
  return n <= 0 ? 0 : round_up4(static_cast<std::uint64_t>(n));
}

std::uint64_t normal_words(std::ptrdiff_t n) noexcept { return uniform_words(n); }

void fill_uniform(float* out, std::ptrdiff_t n, std::uint64_t seed, std::uint64_t offset, float low,
                  float high) noexcept {
  const std::uint64_t first_block = offset / 4;
  const double lo = low, span = static_cast<double>(high) - low;
  const std::ptrdiff_t tasks = (n + kValuesPerTask - 1) / kValuesPerTask;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kValuesPerTask;
    const std::ptrdiff_t i1 = i0 + kValuesPerTask < n ? i0 + kValuesPerTask : n;
    for (std::ptrdiff_t i = i0; i < i1; i += 4) {
      const Philox4x32 r = philox4x32_10(first_block + static_cast<std::uint64_t>(i / 4), seed);
      for (int l = 0; l < 4 && i + l < i1; ++l) {
        float v = static_cast<float>(lo + span * unit_open_high(r.v[l]));
        // Rounding to float may reach `high`; keep the interval half-open.
        if (v >= high && high > low) v = std::nextafter(high, low);
        out[i + l] = v;
      }
    }
  });
}

void fill_normal(float* out, std::ptrdiff_t n, std::uint64_t seed, std::uint64_t offset, float mean,
                 float stddev) noexcept {
  // One Philox block gives two Box-Muller pairs: values i..i+3 come from block i/4.
  const std::uint64_t first_block = offset / 4;
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  const std::ptrdiff_t tasks = (n + kValuesPerTask - 1) / kValuesPerTask;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kValuesPerTask;
    const std::ptrdiff_t i1 = i0 + kValuesPerTask < n ? i0 + kValuesPerTask : n;
    for (std::ptrdiff_t i = i0; i < i1; i += 4) {
      const Philox4x32 r = philox4x32_10(first_block + static_cast<std::uint64_t>(i / 4), seed);
      for (int pair = 0; pair < 2; ++pair) {
        const double radius = std::sqrt(-2.0 * std::log(unit_open_low(r.v[2 * pair])));
        const double theta = kTwoPi * unit_open_high(r.v[2 * pair + 1]);
        const std::ptrdiff_t j = i + 2 * pair;
        if (j < i1) out[j] = static_cast<float>(mean + stddev * radius * std::cos(theta));
        if (j + 1 < i1) out[j + 1] = static_cast<float>(mean + stddev * radius * std::sin(theta));
      }
    }
  });
}

}  // namespace axonal
