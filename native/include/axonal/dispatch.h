// Runtime CPU dispatch. The active table is chosen once, at first use, from the
// best ISA the CPU supports or from AXONAL_ISA; tests may switch it afterwards.
#pragma once

#include "axonal/isa.h"
#include "axonal/kernels.h"
#include "axonal/status.h"

namespace axonal {

// Selects the initial ISA. `requested` is the value of AXONAL_ISA (may be null or
// empty for "best available"). On failure writes a sentence into `err` and
// returns kInvalidArgument (unknown name) or kUnsupported (CPU lacks it).
// Idempotent: later calls return the first call's result.
Status dispatch_init(const char* requested, char* err, int err_len) noexcept;

// The table in use. dispatch_init must have succeeded (otherwise: best available).
const KernelTable& kernels() noexcept;

// Table of a given ISA, or nullptr if it is not compiled in or not supported here.
const KernelTable* kernel_table_for(Isa isa) noexcept;

// ISAs usable on this machine, lowest first; returns the count written.
int available_isas(Isa* out, int capacity) noexcept;

Isa active_isa() noexcept;

// Switches the active table (for tests and benchmarks); kUnsupported if the ISA
// is not usable here.
Status set_active_isa(Isa isa) noexcept;

}  // namespace axonal
