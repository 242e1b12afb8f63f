// A 64-byte aligned float buffer, grown on demand and kept for the next call. The
// drivers keep them thread_local for their per-call scratch (GEMM packing, conv
// columns): a fresh megabyte per call would be allocated, and page-faulted in, on
// every call.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace axonal {

class ReusedBuffer {
 public:
  ReusedBuffer() = default;
  ReusedBuffer(const ReusedBuffer&) = delete;
  ReusedBuffer& operator=(const ReusedBuffer&) = delete;
  ~ReusedBuffer() { std::free(p_); }

  // At least `floats` floats (1 when 0), or null if the allocation fails.
  float* get(std::size_t floats) noexcept {
    if (floats == 0) floats = 1;
    if (floats <= cap_) return p_;
    void* q = nullptr;
    if (posix_memalign(&q, 64, floats * sizeof(float)) != 0) return nullptr;
    std::free(p_);
    p_ = static_cast<float*>(q);
    cap_ = floats;
    return p_;
  }

 private:
  float* p_ = nullptr;
  std::size_t cap_ = 0;
};

}  // namespace axonal
