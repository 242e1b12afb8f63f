// Counter-based random numbers (Philox 4x32-10, Salmon et al., SC'11). Output i of
// a stream depends only on (seed, offset + i), so a fill split into tasks gives
// the same numbers whatever the thread count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

struct Philox4x32 {
  std::uint32_t v[4];
};

// The four 32-bit words of block `counter` under `key`.
Philox4x32 philox4x32_10(std::uint64_t counter, std::uint64_t key) noexcept;

// 32-bit words consumed by a fill of n values (one per value, rounded up to a whole
// Philox block; normals use the words in Box-Muller pairs). Callers advance their
// offset by this.
std::uint64_t uniform_words(std::ptrdiff_t n) noexcept;
std::uint64_t normal_words(std::ptrdiff_t n) noexcept;

// out[i] = low + (high - low) * u, u uniform in [0, 1) with 24 random bits.
// `offset` counts 32-bit words and must be a multiple of 4.
void fill_uniform(float* out, std::ptrdiff_t n, std::uint64_t seed, std::uint64_t offset,
                  float low, float high) noexcept;

// out[i] = mean + std * z, z standard normal (Box-Muller on pairs of uniforms).
void fill_normal(float* out, std::ptrdiff_t n, std::uint64_t seed, std::uint64_t offset,
                 float mean, float stddev) noexcept;

}  // namespace axonal
