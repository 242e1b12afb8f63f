// Row gather and scatter-add along the middle axis of [outer, size, inner] arrays:
// the data loader's batch assembly, embedding lookups and index_select, forward
// and backward. Indices are int32; every one is checked before anything is written.
#pragma once

#include <cstddef>
#include <cstdint>

#include "axonal/status.h"

namespace axonal {

// out[o, i, :] = src[o, indices[i], :] for o < outer, i < n; src is [outer, size, inner],
// out is [outer, n, inner] and must not overlap src or indices. Every element of out
// is written. kInvalidArgument (nothing written) if an index lies outside [0, size)
// or a size is negative.
Status gather_rows(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                   std::ptrdiff_t n, const std::int32_t* indices, float* out) noexcept;

// out[o, indices[i], :] += src[o, i, :] for every i with indices[i] != skip; src is
// [outer, n, inner] (a gradient of gather_rows' output), out is [outer, size, inner],
// accumulated into, and must not overlap src or indices. skip is an index in
// [0, size) whose rows receive nothing (an embedding's padding row), or -1 for none.
// A row hit by several i receives them in the order of i, so the result does not
// depend on the thread count. kInvalidArgument (nothing written) if an index lies
// outside [0, size), skip outside [-1, size), or a size is negative.
Status scatter_add_rows(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                        std::ptrdiff_t n, const std::int32_t* indices, std::int32_t skip, float* out) noexcept;

}  // namespace axonal
