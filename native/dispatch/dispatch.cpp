#include "axonal/dispatch.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "axonal/cpu_features.h"

namespace axonal {
namespace {

// Every family of one ISA, taken from that ISA's namespace.
#define AXONAL_TABLE_OF(isa_enum, ns)                                                              \
  KernelTable {                                                                                    \
    isa_enum, isa_simd_width_floats(isa_enum), &ns::gemm_kernels(), &ns::activation_kernels(),     \
        &ns::loss_kernels(), &ns::reduce_kernels(), &ns::optim_kernels(), &ns::conv_kernels(),       \
        &ns::norm_kernels(), &ns::rnn_kernels()                           \
  }

// One table per ISA compiled into this binary; nullptr where absent.
struct Tables {
  const KernelTable* by_isa[kIsaCount] = {};
};

const Tables& tables() noexcept {
  static const KernelTable scalar_table = AXONAL_TABLE_OF(Isa::kScalar, scalar);
#if defined(AXONAL_HAVE_X86_KERNELS)
  static const KernelTable avx2_table = AXONAL_TABLE_OF(Isa::kAvx2, avx2);
  static const KernelTable avx512_table = AXONAL_TABLE_OF(Isa::kAvx512, avx512);
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
  static const KernelTable neon_table = AXONAL_TABLE_OF(Isa::kNeon, neon);
#endif
  static const Tables all = [] {
    Tables t;
    const CpuFeatures& cpu = cpu_features();
    t.by_isa[static_cast<int>(Isa::kScalar)] = &scalar_table;
#if defined(AXONAL_HAVE_X86_KERNELS)
    if (cpu.avx2_fma) t.by_isa[static_cast<int>(Isa::kAvx2)] = &avx2_table;
    if (cpu.avx512) t.by_isa[static_cast<int>(Isa::kAvx512)] = &avx512_table;
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
    if (cpu.neon) t.by_isa[static_cast<int>(Isa::kNeon)] = &neon_table;
#endif
    (void)cpu;
    return t;
  }();
  return all;
}

const KernelTable* best_table() noexcept {
  const Tables& t = tables();
  for (int i = kIsaCount - 1; i >= 0; --i) {
    if (t.by_isa[i] != nullptr) return t.by_isa[i];
  }
  return t.by_isa[0];
}

std::atomic<const KernelTable*> g_active{nullptr};
std::once_flag g_init_once;
Status g_init_status = Status::kOk;
char g_init_error[256] = {0};

void write_available(char* buf, int len) noexcept {
  Isa list[kIsaCount];
  int n = available_isas(list, kIsaCount);
  int used = 0;
  buf[0] = '\0';
  for (int i = 0; i < n && used < len; ++i) {
    int w = std::snprintf(buf + used, static_cast<size_t>(len - used), "%s%s", i ? ", " : "",
                          isa_name(list[i]));
    if (w < 0) break;
    used += w;
  }
}

void init_once(const char* requested) noexcept {
  const KernelTable* chosen = best_table();
  if (requested != nullptr && requested[0] != '\0') {
    Isa isa;
    char avail[96];
    write_available(avail, sizeof avail);
    if (!isa_from_name(requested, &isa)) {
      g_init_status = Status::kInvalidArgument;
      std::snprintf(g_init_error, sizeof g_init_error,
                    "AXONAL_ISA must be one of scalar, avx2, avx512, neon, but received \"%.32s\" "
                    "(this machine supports: %s)",
                    requested, avail);
    } else if (kernel_table_for(isa) == nullptr) {
      g_init_status = Status::kUnsupported;
      std::snprintf(g_init_error, sizeof g_init_error,
                    "AXONAL_ISA=%s is not supported by this CPU or build (this machine supports: %s)",
                    isa_name(isa), avail);
    } else {
      chosen = kernel_table_for(isa);
    }
  }
  g_active.store(chosen, std::memory_order_release);
}

}  // namespace

Status dispatch_init(const char* requested, char* err, int err_len) noexcept {
  std::call_once(g_init_once, init_once, requested);
  if (g_init_status != Status::kOk && err != nullptr && err_len > 0) {
    std::snprintf(err, static_cast<size_t>(err_len), "%s", g_init_error);
  }
  return g_init_status;
}

const KernelTable& kernels() noexcept {
  const KernelTable* t = g_active.load(std::memory_order_acquire);
  if (t == nullptr) {
    dispatch_init(nullptr, nullptr, 0);
    t = g_active.load(std::memory_order_acquire);
  }
  return *t;
}

const KernelTable* kernel_table_for(Isa isa) noexcept {
  int i = static_cast<int>(isa);
  if (i < 0 || i >= kIsaCount) return nullptr;
  return tables().by_isa[i];
}

int available_isas(Isa* out, int capacity) noexcept {
  int n = 0;
  for (int i = 0; i < kIsaCount && n < capacity; ++i) {
    if (tables().by_isa[i] != nullptr) out[n++] = static_cast<Isa>(i);
  }
  return n;
}

Isa active_isa() noexcept { return kernels().isa; }

Status set_active_isa(Isa isa) noexcept {
  const KernelTable* t = kernel_table_for(isa);
  if (t == nullptr) return Status::kUnsupported;
  kernels();  // make sure init has run so it cannot overwrite this choice later
  g_active.store(t, std::memory_order_release);
  return Status::kOk;
}

}  // namespace axonal
