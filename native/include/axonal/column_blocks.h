// Loops over [outer, n, inner] views (a dimension of n between outer slices and inner
// columns) that work on blocks of at most kCols columns of one outer slice at a time, so a
// kernel can keep a block's per-column state in registers or on the stack while it walks
// the n rows. The blocks go to the pool in tasks of about kColumnBlockTaskElements
// elements, cut from the sizes only, so results never depend on the thread count.
#pragma once

#include <cstddef>

#include "axonal/threadpool.h"

namespace axonal {

constexpr std::ptrdiff_t kColumnBlockTaskElements = std::ptrdiff_t{1} << 15;

// body(o, k0, k1) for every block [k0, k1) of at most kCols columns of every outer slice o.
template <std::ptrdiff_t kCols, typename Body>
void for_column_blocks(std::ptrdiff_t outer, std::ptrdiff_t n, std::ptrdiff_t inner, const Body& body) noexcept {
  if (outer == 0 || n == 0 || inner == 0) return;
  const std::ptrdiff_t per_slice = (inner + kCols - 1) / kCols;
  const std::ptrdiff_t blocks = outer * per_slice;
  const std::ptrdiff_t block_elems = n * (inner < kCols ? inner : kCols);
  std::ptrdiff_t per_task = kColumnBlockTaskElements / block_elems;
  if (per_task < 1) per_task = 1;
  const std::ptrdiff_t tasks = (blocks + per_task - 1) / per_task;
  auto run = [&](std::ptrdiff_t t) {
    const std::ptrdiff_t b0 = t * per_task;
    const std::ptrdiff_t b1 = b0 + per_task < blocks ? b0 + per_task : blocks;
    for (std::ptrdiff_t b = b0; b < b1; ++b) {
      const std::ptrdiff_t o = b / per_slice;
      const std::ptrdiff_t k0 = (b % per_slice) * kCols;
      body(o, k0, k0 + kCols < inner ? k0 + kCols : inner);
    }
  };
  if (tasks == 1) {
    run(0);
  } else {
    parallel_for(tasks, run);
  }
}

}  // namespace axonal
