// Drivers of select.h. Every output element depends on the same index of the inputs
// only, so any split gives the same bytes: the work is cut into blocks of kChunk
// elements (fixed by n), one task each, and a broadcast operand (length 1) is read
// once per block. The loops are plain C++ over contiguous floats, which the compiler
// vectorises at the baseline ISA.
#include "axonal/select.h"

#include "axonal/threadpool.h"

namespace axonal {
namespace {

// Elements per task; below this one thread does everything.
constexpr std::ptrdiff_t kChunk = std::ptrdiff_t{1} << 15;

// body(i0, i1) over [0, n) in blocks of kChunk.
template <typename Body>
void split(std::ptrdiff_t n, const Body& body) noexcept {
  if (n <= kChunk) {
    if (n > 0) body(std::ptrdiff_t{0}, n);
    return;
  }
  const std::ptrdiff_t tasks = (n + kChunk - 1) / kChunk;
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t i0 = t * kChunk;
    const std::ptrdiff_t i1 = i0 + kChunk < n ? i0 + kChunk : n;
    body(i0, i1);
  });
}

// out[i] = f(a[i], b[i]) where a length-1 operand stands for every element. The scalar
// is read before the loop, so out may be the other operand (in place).
template <typename F>
void map2(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb, float* out,
          F f) noexcept {
  const bool va = na == n, vb = nb == n;  // true: one element per output
  split(n, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {
    if (va && vb) {
      for (std::ptrdiff_t i = i0; i < i1; ++i) out[i] = f(a[i], b[i]);
    } else if (va) {
      const float y = b[0];
      for (std::ptrdiff_t i = i0; i < i1; ++i) out[i] = f(a[i], y);
    } else if (vb) {
      const float x = a[0];
      for (std::ptrdiff_t i = i0; i < i1; ++i) out[i] = f(x, b[i]);
    } else {
      const float v = f(a[0], b[0]);
      for (std::ptrdiff_t i = i0; i < i1; ++i) out[i] = v;
    }
  });
}

bool lengths_ok(std::ptrdiff_t n, std::ptrdiff_t na, std::ptrdiff_t nb) noexcept {
  return n >= 0 && operand_length_ok(na, n) && operand_length_ok(nb, n);
}

// max / min with NaN propagation and a on ties.
inline float max_nan(float a, float b) noexcept { return (a < b || b != b) ? b : a; }
inline float min_nan(float a, float b) noexcept { return (b < a || b != b) ? b : a; }

// PyTorch 1.13's maximum/minimum backward (tools/autograd/derivatives.yaml):
//   self:  at::where(self == other, grad / 2, grad).masked_fill_(self < other, 0)   (minimum: self > other)
//   other: at::where(self == other, grad / 2, grad).masked_fill_(self > other, 0)   (minimum: self < other)
template <bool kMax>
Status extremum_bwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                    const float* g, float* da, float* db) noexcept {
  if (!lengths_ok(n, na, nb)) return Status::kInvalidArgument;
  const std::ptrdiff_t sa = na == n ? 1 : 0, sb = nb == n ? 1 : 0;
  split(n, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {
    for (std::ptrdiff_t i = i0; i < i1; ++i) {
      const float x = a[i * sa], y = b[i * sb], gi = g[i];
      const float shared = x == y ? gi * 0.5f : gi;
      const bool a_loses = kMax ? x < y : x > y;
      const bool b_loses = kMax ? x > y : x < y;
      da[i] = a_loses ? 0.0f : shared;
      db[i] = b_loses ? 0.0f : shared;
    }
  });
  return Status::kOk;
}

}  // namespace

Status compare_f32(CompareOp op, std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b,
                   std::ptrdiff_t nb, float* out) noexcept {
  if (!lengths_ok(n, na, nb)) return Status::kInvalidArgument;
  switch (op) {
    case CompareOp::kEq:
      map2(n, a, na, b, nb, out, [](float x, float y) { return x == y ? 1.0f : 0.0f; });
      return Status::kOk;
    case CompareOp::kNe:
      map2(n, a, na, b, nb, out, [](float x, float y) { return x != y ? 1.0f : 0.0f; });
      return Status::kOk;
    case CompareOp::kLt:
      map2(n, a, na, b, nb, out, [](float x, float y) { return x < y ? 1.0f : 0.0f; });
      return Status::kOk;
    case CompareOp::kLe:
      map2(n, a, na, b, nb, out, [](float x, float y) { return x <= y ? 1.0f : 0.0f; });
      return Status::kOk;
    case CompareOp::kGt:
      map2(n, a, na, b, nb, out, [](float x, float y) { return x > y ? 1.0f : 0.0f; });
      return Status::kOk;
    case CompareOp::kGe:
      map2(n, a, na, b, nb, out, [](float x, float y) { return x >= y ? 1.0f : 0.0f; });
      return Status::kOk;
  }
  return Status::kInvalidArgument;
}

Status where_f32(std::ptrdiff_t n, const float* cond, std::ptrdiff_t nc, const float* a, std::ptrdiff_t na,
                 const float* b, std::ptrdiff_t nb, float* out) noexcept {
  if (!lengths_ok(n, na, nb) || !operand_length_ok(nc, n)) return Status::kInvalidArgument;
  const std::ptrdiff_t sc = nc == n ? 1 : 0, sa = na == n ? 1 : 0, sb = nb == n ? 1 : 0;
  split(n, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {
    if (sc && sa && sb) {
      for (std::ptrdiff_t i = i0; i < i1; ++i) out[i] = cond[i] != 0.0f ? a[i] : b[i];
    } else {
      // NaN != 0 is true: a NaN condition selects a.
      for (std::ptrdiff_t i = i0; i < i1; ++i) out[i] = cond[i * sc] != 0.0f ? a[i * sa] : b[i * sb];
    }
  });
  return Status::kOk;
}

Status maximum_fwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   float* out) noexcept {
  if (!lengths_ok(n, na, nb)) return Status::kInvalidArgument;
  map2(n, a, na, b, nb, out, max_nan);
  return Status::kOk;
}

Status minimum_fwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   float* out) noexcept {
  if (!lengths_ok(n, na, nb)) return Status::kInvalidArgument;
  map2(n, a, na, b, nb, out, min_nan);
  return Status::kOk;
}

Status maximum_bwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   const float* g, float* da, float* db) noexcept {
  return extremum_bwd<true>(n, a, na, b, nb, g, da, db);
}

Status minimum_bwd(std::ptrdiff_t n, const float* a, std::ptrdiff_t na, const float* b, std::ptrdiff_t nb,
                   const float* g, float* da, float* db) noexcept {
  return extremum_bwd<false>(n, a, na, b, nb, g, da, db);
}

}  // namespace axonal
