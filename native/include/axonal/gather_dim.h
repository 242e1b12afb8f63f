// torch.gather and torch.scatter_add along the middle axis of [outer, size, inner]
// arrays, with an index array of [outer, n, inner] int32 elements: one index per
// element (gather_rows in gather.h takes one index per row instead). The index's
// extent outside the dimension equals the data's here; the TypeScript layer narrows a
// larger input first. Every index is checked before anything is written.
#pragma once

#include <cstddef>
#include <cstdint>

#include "axonal/status.h"

namespace axonal {

// out[o, i, k] = src[o, index[o, i, k], k]; src is [outer, size, inner], index and out
// are [outer, n, inner]; out must not overlap src or index. kInvalidArgument (nothing
// written) if a size is negative or an index lies outside [0, size).
Status gather_dim(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                  std::ptrdiff_t n, const std::int32_t* index, float* out) noexcept;

// out[o, index[o, i, k], k] += src[o, i, k]; src and index are [outer, n, inner], out is
// [outer, size, inner], accumulated into, and must not overlap src or index. An element
// of out hit by several i receives them in the order of i (float adds, as PyTorch's
// CPU scatter_add), so the result does not depend on the thread count.
// kInvalidArgument (nothing written) if a size is negative or an index lies outside
// [0, size).
Status scatter_add_dim(std::ptrdiff_t outer, std::ptrdiff_t size, std::ptrdiff_t inner, const float* src,
                       std::ptrdiff_t n, const std::int32_t* index, float* out) noexcept;

}  // namespace axonal
