// Sorting along the middle axis of [outer, n, inner] arrays: sort, argsort and topk
// (the first k of a sort). Every column (o, :, c) is sorted on its own with a stable
// merge sort, so ties keep their original order whether or not the caller asked for a
// stable sort (PyTorch's unstable sort orders ties arbitrarily; this one is always
// deterministic). NaN sorts as the largest value, as in PyTorch; -0 and +0 tie.
#pragma once

#include <cstddef>
#include <cstdint>

#include "axonal/status.h"

namespace axonal {

// The k first elements of every column of x sorted ascending (descending: largest
// first, NaNs leading) into values [outer, k, inner] and their positions along n into
// indices [outer, k, inner]. k is in [0, n]. values and indices must not overlap x or
// each other. kInvalidArgument (nothing written) if a size is negative or k is outside
// [0, n]; kOutOfMemory if the per-task scratch (3 * n words) cannot be allocated.
Status sort_f32(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const float* x, bool descending,
                std::ptrdiff_t k, float* values, std::int32_t* indices) noexcept;

}  // namespace axonal
