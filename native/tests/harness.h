// A minimal test harness: registration, checks that report file:line and the ISA
// being tested, and a loop over ISA levels (all available, or AXONAL_ISA only).
#pragma once

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "axonal/dispatch.h"

namespace axonal_test {

struct TestCase {
  const char* name;
  void (*fn)();
};

std::vector<TestCase>& registry();
struct Registrar {
  Registrar(const char* name, void (*fn)()) { registry().push_back({name, fn}); }
};

// Failure bookkeeping; `context()` names the ISA (or other loop state) under test.
void record_failure(const char* file, int line, const std::string& what);
std::string& context();

// ISAs the tests run kernels on: every available one, or AXONAL_ISA alone.
std::vector<axonal::Isa> isas_under_test();

// Runs fn once per ISA under test with that ISA active; sets context() to its name.
void for_each_isa(const std::function<void(axonal::Isa)>& fn);

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));

}  // namespace axonal_test

#define AXONAL_TEST(name)                                                  \
  static void name();                                                      \
  static ::axonal_test::Registrar axonal_registrar_##name(#name, &name);  \
  static void name()

#define EXPECT_TRUE(cond)                                                              \
  do {                                                                                 \
    if (!(cond)) ::axonal_test::record_failure(__FILE__, __LINE__, "expected " #cond); \
  } while (0)

#define EXPECT_EQ(a, b)                                                                               \
  do {                                                                                                \
    auto axv_a = (a);                                                                                 \
    auto axv_b = (b);                                                                                 \
    if (!(axv_a == axv_b))                                                                            \
      ::axonal_test::record_failure(__FILE__, __LINE__,                                               \
                                    ::axonal_test::fmt("%s == %s: %.17g vs %.17g", #a, #b,           \
                                                       static_cast<double>(axv_a), static_cast<double>(axv_b))); \
  } while (0)

// Fails (and returns from the enclosing lambda or function) with a message.
#define REQUIRE_MSG(cond, ...)                                                      \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      ::axonal_test::record_failure(__FILE__, __LINE__, ::axonal_test::fmt(__VA_ARGS__)); \
      return;                                                                       \
    }                                                                               \
  } while (0)
