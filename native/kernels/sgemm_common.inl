// Generic SGEMM packers and the clipped-tile epilogue, shared by every ISA's gemm
// file. Include it INSIDE `namespace axonal { namespace <isa> { namespace {`, after
// <cstddef>/<cstring>: each ISA gets its own internal-linkage copy compiled with its
// own flags (so the linker can never hand baseline code an AVX-512 copy), and the
// packers auto-vectorise for that ISA. No intrinsics, no STL.

// op(A)[i, p] with A stored m x k (row stride lda), or k x m when trans.
template <int MR>
void pack_a_generic(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                    float* dst) noexcept {
  for (std::ptrdiff_t i0 = 0; i0 < mc; i0 += MR, dst += MR * kc) {
    const std::ptrdiff_t m_eff = mc - i0 < MR ? mc - i0 : MR;
    if (trans) {
      // Rows of the stored A are k: each k contributes MR contiguous values.
      const float* src = a + i0;
      if (m_eff == MR) {
        for (std::ptrdiff_t p = 0; p < kc; ++p) std::memcpy(dst + p * MR, src + p * lda, sizeof(float) * MR);
      } else {
        for (std::ptrdiff_t p = 0; p < kc; ++p) {
          for (std::ptrdiff_t i = 0; i < MR; ++i) dst[p * MR + i] = i < m_eff ? src[p * lda + i] : 0.0f;
        }
      }
    } else {
      // A transpose of an m_eff x kc block: read rows in chunks of 8 k, write k-major.
      std::ptrdiff_t p = 0;
      for (; p + 8 <= kc; p += 8) {
        for (std::ptrdiff_t i = 0; i < MR; ++i) {
          if (i < m_eff) {
            const float* s = a + (i0 + i) * lda + p;
            for (int t = 0; t < 8; ++t) dst[(p + t) * MR + i] = s[t];
          } else {
            for (int t = 0; t < 8; ++t) dst[(p + t) * MR + i] = 0.0f;
          }
        }
      }
      for (; p < kc; ++p) {
        for (std::ptrdiff_t i = 0; i < MR; ++i) dst[p * MR + i] = i < m_eff ? a[(i0 + i) * lda + p] : 0.0f;
      }
    }
  }
}

// op(B)[p, j] with B stored k x n (row stride ldb), or n x k when trans.
template <int NR>
void pack_b_generic(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                    float* dst) noexcept {
  for (std::ptrdiff_t j0 = 0; j0 < nc; j0 += NR, dst += NR * kc) {
    const std::ptrdiff_t n_eff = nc - j0 < NR ? nc - j0 : NR;
    if (!trans) {
      const float* src = b + j0;
      if (n_eff == NR) {
        for (std::ptrdiff_t p = 0; p < kc; ++p) std::memcpy(dst + p * NR, src + p * ldb, sizeof(float) * NR);
      } else {
        for (std::ptrdiff_t p = 0; p < kc; ++p) {
          for (std::ptrdiff_t j = 0; j < NR; ++j) dst[p * NR + j] = j < n_eff ? src[p * ldb + j] : 0.0f;
        }
      }
    } else {
      std::ptrdiff_t p = 0;
      for (; p + 8 <= kc; p += 8) {
        for (std::ptrdiff_t j = 0; j < NR; ++j) {
          if (j < n_eff) {
            const float* s = b + (j0 + j) * ldb + p;
            for (int t = 0; t < 8; ++t) dst[(p + t) * NR + j] = s[t];
          } else {
            for (int t = 0; t < 8; ++t) dst[(p + t) * NR + j] = 0.0f;
          }
        }
      }
      for (; p < kc; ++p) {
        for (std::ptrdiff_t j = 0; j < NR; ++j) dst[p * NR + j] = j < n_eff ? b[(j0 + j) * ldb + p] : 0.0f;
      }
    }
  }
}

inline float activation_scalar(float v, int act) noexcept {
  switch (act) {
    case 1:  // relu; NaN passes through, as in torch
      return v < 0.0f ? 0.0f : v;
    default:
      return v;
  }
}

// The epilogue for a clipped tile: t holds op(A)op(B) for the full tile (row stride NR).
template <int NR>
void store_tile_edge(const float* t, float* c, std::ptrdiff_t ldc, std::ptrdiff_t m_eff, std::ptrdiff_t n_eff,
                     const GemmEpilogue& ep) noexcept {
  for (std::ptrdiff_t i = 0; i < m_eff; ++i) {
    float* cr = c + i * ldc;
    const float* tr = t + i * NR;
    for (std::ptrdiff_t j = 0; j < n_eff; ++j) {
      // Same operation order and fused multiply-add as the vector full-tile path, so a
      // C element gets the same bits whether it lands in a full or a clipped tile.
      float v = ep.alpha * tr[j];
      if (ep.beta != 0.0f) v = __builtin_fmaf(ep.beta, cr[j], v);
      if (ep.bias != nullptr) v += ep.bias[j];
      cr[j] = activation_scalar(v, ep.activation);
    }
  }
}
