#include "tests/harness.h"

#include <cstdarg>
#include <cstdlib>
#include <cstring>

namespace axonal_test {
namespace {
int g_failures = 0;
int g_reported = 0;
}  // namespace

std::vector<TestCase>& registry() {
  static std::vector<TestCase> tests;
  return tests;
}

std::string& context() {
  static std::string ctx;
  return ctx;
}

std::string fmt(const char* f, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

void record_failure(const char* file, int line, const std::string& what) {
  ++g_failures;
  if (++g_reported <= 50) {
    std::fprintf(stderr, "  FAIL %s:%d [%s] %s\n", file, line, context().c_str(), what.c_str());
  }
}

std::vector<axonal::Isa> isas_under_test() {
  std::vector<axonal::Isa> out;
  const char* env = std::getenv("AXONAL_ISA");
  if (env != nullptr && env[0] != '\0') {
    axonal::Isa isa;
    if (!axonal::isa_from_name(env, &isa) || axonal::kernel_table_for(isa) == nullptr) {
      std::fprintf(stderr, "AXONAL_ISA=%s is not available on this machine\n", env);
      std::exit(2);
    }
    out.push_back(isa);
    return out;
  }
  axonal::Isa list[axonal::kIsaCount];
  int n = axonal::available_isas(list, axonal::kIsaCount);
  out.assign(list, list + n);
  return out;
}

void for_each_isa(const std::function<void(axonal::Isa)>& fn) {
  const axonal::Isa before = axonal::active_isa();
  for (axonal::Isa isa : isas_under_test()) {
    axonal::set_active_isa(isa);
    context() = axonal::isa_name(isa);
    fn(isa);
  }
  context().clear();
  axonal::set_active_isa(before);
}

}  // namespace axonal_test

int main(int argc, char** argv) {
  using namespace axonal_test;
  if (argc > 1 && std::strcmp(argv[1], "--list-isas") == 0) {
    for (axonal::Isa isa : isas_under_test()) std::printf("%s\n", axonal::isa_name(isa));
    return 0;
  }
  const char* filter = argc > 1 ? argv[1] : nullptr;
  std::string isas;
  for (axonal::Isa isa : isas_under_test()) isas += std::string(isas.empty() ? "" : ", ") + axonal::isa_name(isa);
  std::printf("axonal native tests on: %s\n", isas.c_str());
  int run = 0, failed_tests = 0;
  for (const TestCase& t : registry()) {
    if (filter != nullptr && std::strstr(t.name, filter) == nullptr) continue;
    const int before = g_failures;
    t.fn();
    ++run;
    const bool ok = g_failures == before;
    if (!ok) ++failed_tests;
    std::printf("%s %s\n", ok ? "  ok  " : "  FAIL", t.name);
  }
  std::printf("%d passed, %d failed\n", run - failed_tests, failed_tests);
  if (g_failures > 0) std::printf("(%d failed checks)\n", g_failures);
  return failed_tests == 0 ? 0 : 1;
}
