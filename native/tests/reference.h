// Plain references with double accumulation, and random test data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace axonal_test {

// Deterministic test data in [-1, 1) (xorshift; independent of the library's RNG).
std::vector<float> random_floats(std::size_t n, std::uint64_t seed);

// C = alpha * op(A) op(B) + beta * C in double; C is read only when beta != 0.
void reference_sgemm(bool trans_a, bool trans_b, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k,
                     double alpha, const float* a, std::ptrdiff_t lda, const float* b, std::ptrdiff_t ldb,
                     double beta, double* c, std::ptrdiff_t ldc);

}  // namespace axonal_test
