// Generic SGEMM packers and the clipped-tile epilogue, shared by every ISA's gemm
// file. Include it INSIDE `namespace axonal { namespace <isa> { namespace {`, after
// <cstddef>/<cstring>, that ISA's vmath_<isa>.h (at file scope) and
// kernels/common/gelu_v.inc (inside the namespace): each ISA gets its own
// internal-linkage copy compiled with its own flags (so the linker can never hand
// baseline code an AVX-512 copy). The transposing packer uses 8x8 AVX register
// transposes when compiled with AVX (the avx2 and avx512 files include <immintrin.h>
// first). No STL.

// Both operands pack into the same shape: panels of R "lines" (rows of op(A) for A,
// columns of op(B) for B), each panel k-major: dst[(l / R) * R * kc + p * R + l % R] =
// value of line l at depth p; lines past `lines` are zero up to the panel's end.

#if defined(__AVX__)
// o[q] = lane q of every r[i], i.e. column q of the 8 x 8 block whose rows are r.
inline void transpose8x8(const __m256 r[8], __m256 o[8]) noexcept {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  o[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
  o[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
  o[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
  o[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
  o[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
  o[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
  o[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
  o[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}
#endif

// Lines contiguous along k in the source (A not transposed, B transposed):
// value(l, p) = src[l * ld + p]. A transpose; 8 x 8 blocks in registers where the
// ISA has AVX: R a multiple of 4 stores each half of a block's column in one panel;
// R = 6 (AVX2's MR) transposes a panel's 6 lines as 8 (two lanes spare) and stores each
// depth's 6 values as a whole vector whose 2 spare lanes the next depth overwrites
// (lane by lane this had been a twentieth of a 256 x 500 x 784 product).
template <int R>
void pack_lines_along_k(std::ptrdiff_t lines, std::ptrdiff_t kc, const float* src, std::ptrdiff_t ld,
                        float* dst) noexcept {
  const std::ptrdiff_t padded = (lines + R - 1) / R * R;
  auto at = [&](std::ptrdiff_t l, std::ptrdiff_t p) -> float& { return dst[(l / R) * R * kc + p * R + l % R]; };
  std::ptrdiff_t l8 = 0, k8 = 0;
#if defined(__AVX__)
  if (R % 4 == 0) {
    l8 = lines / 8 * 8;
    k8 = kc / 8 * 8;
    for (std::ptrdiff_t l = 0; l < l8; l += 8) {
      float* half0 = &at(l, 0);
      float* half1 = &at(l + 4, 0);
      for (std::ptrdiff_t p = 0; p < k8; p += 8) {
        const float* s0 = src + l * ld + p;
        __m256 r[8], o[8];
        for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(s0 + i * ld);
        transpose8x8(r, o);
        // Output row q (depth p + q) holds lines l..l+7: one store when they sit side by
        // side in one panel (R a multiple of 8), else each half to its panel.
        for (int q = 0; q < 8; ++q) {
          if (R % 8 == 0) {
            _mm256_storeu_ps(half0 + (p + q) * R, o[q]);
          } else {
            _mm_storeu_ps(half0 + (p + q) * R, _mm256_castps256_ps128(o[q]));
            _mm_storeu_ps(half1 + (p + q) * R, _mm256_extractf128_ps(o[q], 1));
          }
        }
      }
    }
  } else if (R == 6) {
    l8 = lines / 6 * 6;  // whole panels; the ragged one goes lane by lane below
    k8 = kc / 8 * 8;
    for (std::ptrdiff_t l = 0; l < l8; l += 6) {
      float* panel = &at(l, 0);
      for (std::ptrdiff_t p = 0; p < k8; p += 8) {
        const float* s0 = src + l * ld + p;
        __m256 r[8], o[8];
        for (int i = 0; i < 6; ++i) r[i] = _mm256_loadu_ps(s0 + i * ld);
        r[6] = r[7] = r[5];
        transpose8x8(r, o);
        for (int q = 0; q < 8; ++q) {
          float* d = panel + (p + q) * 6;
          if (p + q + 1 < kc) {
            _mm256_storeu_ps(d, o[q]);  // lanes 6, 7 land on depth p + q + 1, written after
          } else {
            _mm_storeu_ps(d, _mm256_castps256_ps128(o[q]));
            _mm_storel_pi(reinterpret_cast<__m64*>(d + 4), _mm256_extractf128_ps(o[q], 1));
          }
        }
      }
    }
  }
#endif
  for (std::ptrdiff_t l = 0; l < l8; ++l) {
    for (std::ptrdiff_t p = k8; p < kc; ++p) at(l, p) = src[l * ld + p];
  }
  for (std::ptrdiff_t l = l8; l < padded; ++l) {
    if (l < lines) {
      for (std::ptrdiff_t p = 0; p < kc; ++p) at(l, p) = src[l * ld + p];
    } else {
      for (std::ptrdiff_t p = 0; p < kc; ++p) at(l, p) = 0.0f;
    }
  }
}

// Lines contiguous across l in the source (A transposed, B not transposed):
// value(l, p) = src[p * ld + l]. Plain row copies.
template <int R>
void pack_lines_across_k(std::ptrdiff_t lines, std::ptrdiff_t kc, const float* src, std::ptrdiff_t ld,
                         float* dst) noexcept {
  // Whole panels eight rows at a time: the eight source rows are read front to back
  // together and each panel gets eight rows' pieces in a row (8 R floats, contiguous).
  // Panel by panel over all kc rows (down a column strip, one piece per row ld floats
  // apart), packing the 784 x 500 B was 16% of a 128 x 500 x 784 product at one thread,
  // 8% row by row; but row by row, a kc of 256 puts the panels 16 KiB apart, so one row's
  // pieces all land in one L1 set. A copy microbenchmark (source in L3): 22-24 GB/s
  // like this, 15-25 row by row, 18-22 panel by panel.
  constexpr std::ptrdiff_t kRows = 8;
  const std::ptrdiff_t full = lines / R;
  std::ptrdiff_t p = 0;
  for (; p + kRows <= kc; p += kRows) {
    for (std::ptrdiff_t j = 0; j < full; ++j) {
      float* d = dst + j * R * kc + p * R;
      for (std::ptrdiff_t g = 0; g < kRows; ++g) std::memcpy(d + g * R, src + (p + g) * ld + j * R, sizeof(float) * R);
    }
  }
  for (; p < kc; ++p) {
    for (std::ptrdiff_t j = 0; j < full; ++j) std::memcpy(dst + j * R * kc + p * R, src + p * ld + j * R, sizeof(float) * R);
  }
  dst += full * R * kc;
  for (std::ptrdiff_t l0 = full * R; l0 < lines; l0 += R, dst += R * kc) {
    const std::ptrdiff_t n_eff = lines - l0 < R ? lines - l0 : R;
    const float* s = src + l0;
    if (n_eff == R) {
      for (std::ptrdiff_t p = 0; p < kc; ++p) std::memcpy(dst + p * R, s + p * ld, sizeof(float) * R);
    } else {
#if defined(__AVX512F__)
      if (R % 16 == 0) {
        // Masked loads (masked-out lanes never fault) zero-fill the ragged panel.
        __mmask16 masks[R / 16];
        for (int v = 0; v < R / 16; ++v) {
          const std::ptrdiff_t cnt = n_eff - 16 * v;
          masks[v] = static_cast<__mmask16>(cnt >= 16 ? 0xFFFFu : cnt <= 0 ? 0u : (1u << cnt) - 1u);
        }
        for (std::ptrdiff_t p = 0; p < kc; ++p) {
          for (int v = 0; v < R / 16; ++v) {
            _mm512_storeu_ps(dst + p * R + 16 * v, _mm512_maskz_loadu_ps(masks[v], s + p * ld + 16 * v));
          }
        }
        continue;
      }
#endif
      for (std::ptrdiff_t p = 0; p < kc; ++p) {
        std::memcpy(dst + p * R, s + p * ld, sizeof(float) * static_cast<std::size_t>(n_eff));
        std::memset(dst + p * R + n_eff, 0, sizeof(float) * static_cast<std::size_t>(R - n_eff));
      }
    }
  }
}

// op(A)[0:mc, 0:kc] with A stored m x k (row stride lda), or k x m when trans.
template <int MR>
void pack_a_generic(bool trans, std::ptrdiff_t mc, std::ptrdiff_t kc, const float* a, std::ptrdiff_t lda,
                    float* dst) noexcept {
  if (trans) {
    pack_lines_across_k<MR>(mc, kc, a, lda, dst);
  } else {
    pack_lines_along_k<MR>(mc, kc, a, lda, dst);
  }
}

// op(B)[0:kc, 0:nc] with B stored k x n (row stride ldb), or n x k when trans.
template <int NR>
void pack_b_generic(bool trans, std::ptrdiff_t kc, std::ptrdiff_t nc, const float* b, std::ptrdiff_t ldb,
                    float* dst) noexcept {
  if (trans) {
    pack_lines_along_k<NR>(nc, kc, b, ldb, dst);
  } else {
    pack_lines_across_k<NR>(nc, kc, b, ldb, dst);
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

// The GELU forms (GemmActivation 2, 3) as the activation kernels compute them
// (gelu_v.inc), applied in place to n contiguous floats of C: whole vectors, then one
// masked partial vector. Lane-wise, so each element gets the same bits as in a full
// tile's registers or from the activation kernel, wherever the vector boundaries fall.
template <class F>
inline void activation_row_v(float* c, std::ptrdiff_t n, F f) noexcept {
  std::ptrdiff_t j = 0;
  for (; j + kVecWidth <= n; j += kVecWidth) v_store(c + j, f(v_load(c + j)));
  if (j < n) {
    const int r = static_cast<int>(n - j);
    v_store_n(c + j, f(v_load_n(c + j, r)), r);
  }
}
inline void activation_row(float* c, std::ptrdiff_t n, int act) noexcept {
  if (act == 2) activation_row_v(c, n, [](vf v) { return gelu_v(v); });
  if (act == 3) activation_row_v(c, n, [](vf v) { return gelu_tanh_v(v); });
}

// GELU over the rows of a stored full tile. Out of line: the micro-kernel stays small
// (a short-K call is dominated by its prologue and epilogue), and GELU's cost is its
// own arithmetic, not the extra pass over a tile already in L1. Lane-wise, so each
// value gets the bits it would get in registers.
template <int MR, int NR>
__attribute__((noinline)) void gelu_tile_rows(float* c, std::ptrdiff_t ldc, int activation) noexcept {
  for (int i = 0; i < MR; ++i) activation_row(c + i * ldc, NR, activation);
}

// The epilogue for a clipped tile: t holds op(A)op(B) for the full tile (row stride NR).
// ep.transposed: element (i, j) belongs at c[j * ldc + i] with bias[i]. Out of line:
// inlined, it (with GELU) would be most of every micro-kernel's code.
template <int NR>
__attribute__((noinline)) void store_tile_edge(const float* t, float* c, std::ptrdiff_t ldc, std::ptrdiff_t m_eff, std::ptrdiff_t n_eff,
                     const GemmEpilogue& ep) noexcept {
  const std::ptrdiff_t rs = ep.transposed ? 1 : ldc, cs = ep.transposed ? ldc : 1;
  // GELU runs on vectors: store the pre-activation values first, then apply it to each
  // row of C the tile covers (for a transposed tile, C rows are the tile's columns).
  const bool vector_act = ep.activation >= 2;
  for (std::ptrdiff_t i = 0; i < m_eff; ++i) {
    const float* tr = t + i * NR;
    for (std::ptrdiff_t j = 0; j < n_eff; ++j) {
      float& cij = c[i * rs + j * cs];
      // Same operation order and fused multiply-add as the vector full-tile path, so a
      // C element gets the same bits whether it lands in a full or a clipped tile.
      float v = ep.alpha * tr[j];
      if (ep.beta != 0.0f) v = __builtin_fmaf(ep.beta, cij, v);
      if (ep.bias != nullptr) v += ep.bias[ep.transposed ? i : j];
      cij = vector_act ? v : activation_scalar(v, ep.activation);
    }
  }
  if (vector_act) {
    const std::ptrdiff_t rows = ep.transposed ? n_eff : m_eff, len = ep.transposed ? m_eff : n_eff;
    for (std::ptrdiff_t r = 0; r < rows; ++r) activation_row(c + r * ldc, len, ep.activation);
  }
}

#if defined(__AVX__)
// The epilogue for a tile stored transposed (ep.transposed: element (i, j) at
// c[j * ldc + i], bias[i]), tiles of at most 8 rows with no activation or ReLU: 8 x 8
// register transposes turn the tile's columns into rows of C, each m_eff contiguous
// floats (lane by lane, these stores were a tenth of LeNet conv2's weight gradient).
// The same operations per element as store_tile_edge, so the same bits. Returns false
// (nothing stored) for the cases it does not handle.
template <int MR, int NR>
__attribute__((noinline)) bool store_tile_transposed(const float* t, float* c, std::ptrdiff_t ldc, std::ptrdiff_t m_eff,
                                                     std::ptrdiff_t n_eff, const GemmEpilogue& ep) noexcept {
  if (MR > 8 || NR % 8 != 0 || ep.activation > 1) return false;
  const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(m_eff)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256 alpha = _mm256_set1_ps(ep.alpha), beta = _mm256_set1_ps(ep.beta), zero = _mm256_setzero_ps();
  const __m256 bias = ep.bias != nullptr ? _mm256_maskload_ps(ep.bias, keep) : zero;
  for (std::ptrdiff_t jb = 0; jb < n_eff; jb += 8) {
    __m256 r[8], o[8];
    for (int i = 0; i < 8; ++i) r[i] = i < MR ? _mm256_loadu_ps(t + i * NR + jb) : zero;
    transpose8x8(r, o);
    const std::ptrdiff_t cols = n_eff - jb < 8 ? n_eff - jb : 8;
    for (std::ptrdiff_t q = 0; q < cols; ++q) {
      float* cj = c + (jb + q) * ldc;
      __m256 v = _mm256_mul_ps(alpha, o[q]);
      if (ep.beta != 0.0f) v = _mm256_fmadd_ps(beta, _mm256_maskload_ps(cj, keep), v);
      if (ep.bias != nullptr) v = _mm256_add_ps(v, bias);
      if (ep.activation == 1) v = _mm256_max_ps(zero, v);  // NaN passes through, -0 stays, as v < 0 ? 0 : v
      if (m_eff == 6) {
        _mm_storeu_ps(cj, _mm256_castps256_ps128(v));
        _mm_storel_pi(reinterpret_cast<__m64*>(cj + 4), _mm256_extractf128_ps(v, 1));
      } else {
        _mm256_maskstore_ps(cj, keep, v);
      }
    }
  }
  return true;
}
#endif
