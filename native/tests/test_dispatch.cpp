#include "axonal/cache_sizes.h"
#include "axonal/cpu_features.h"
#include "axonal/dispatch.h"
#include "tests/harness.h"

AXONAL_TEST(dispatch_lists_scalar_and_selects_the_best) {
  axonal::Isa list[axonal::kIsaCount];
  const int n = axonal::available_isas(list, axonal::kIsaCount);
  REQUIRE_MSG(n >= 1, "no ISA available");
  EXPECT_TRUE(list[0] == axonal::Isa::kScalar);
  for (int i = 1; i < n; ++i) EXPECT_TRUE(static_cast<int>(list[i]) > static_cast<int>(list[i - 1]));
#if defined(AXONAL_HAVE_X86_KERNELS)
  const axonal::CpuFeatures& cpu = axonal::cpu_features();
  EXPECT_EQ(axonal::kernel_table_for(axonal::Isa::kAvx2) != nullptr, cpu.avx2_fma);
  EXPECT_EQ(axonal::kernel_table_for(axonal::Isa::kAvx512) != nullptr, cpu.avx512);
  EXPECT_TRUE(axonal::kernel_table_for(axonal::Isa::kNeon) == nullptr);
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
  EXPECT_TRUE(axonal::kernel_table_for(axonal::Isa::kNeon) != nullptr);
#endif
}

AXONAL_TEST(dispatch_switches_tables_and_rejects_missing_isas) {
  const axonal::Isa before = axonal::active_isa();
  EXPECT_TRUE(axonal::set_active_isa(axonal::Isa::kScalar) == axonal::Status::kOk);
  EXPECT_TRUE(axonal::kernels().isa == axonal::Isa::kScalar);
  EXPECT_EQ(axonal::kernels().simd_width_floats, 1);
  for (int i = 0; i < axonal::kIsaCount; ++i) {
    const axonal::Isa isa = static_cast<axonal::Isa>(i);
    const bool have = axonal::kernel_table_for(isa) != nullptr;
    EXPECT_EQ(axonal::set_active_isa(isa) == axonal::Status::kOk, have);
    if (have) EXPECT_TRUE(axonal::kernels().gemm != nullptr);
  }
  EXPECT_TRUE(axonal::set_active_isa(static_cast<axonal::Isa>(42)) == axonal::Status::kUnsupported);
  axonal::set_active_isa(before);
}

AXONAL_TEST(isa_names_round_trip) {
  for (int i = 0; i < axonal::kIsaCount; ++i) {
    axonal::Isa parsed;
    const axonal::Isa isa = static_cast<axonal::Isa>(i);
    EXPECT_TRUE(axonal::isa_from_name(axonal::isa_name(isa), &parsed));
    EXPECT_TRUE(parsed == isa);
  }
  axonal::Isa out;
  EXPECT_TRUE(!axonal::isa_from_name("sse2", &out));
  EXPECT_TRUE(!axonal::isa_from_name("", &out));
  EXPECT_TRUE(!axonal::isa_from_name(nullptr, &out));
}

AXONAL_TEST(l2_cache_size_is_unknown_or_plausible) {
  // 0 when the OS does not say; otherwise a size some CPU has (16 KiB to 1 GiB), and the
  // same on every call.
  const std::size_t l2 = axonal::l2_cache_bytes();
  EXPECT_TRUE(l2 == 0 || (l2 >= (std::size_t{16} << 10) && l2 <= (std::size_t{1} << 30)));
  EXPECT_TRUE(axonal::l2_cache_bytes() == l2);
}
