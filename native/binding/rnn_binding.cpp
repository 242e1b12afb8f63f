// JS entry points for the recurrent-cell kernels: argument checks, then one native
// call for one time step (layouts in include/axonal/kernels/rnn_kernels.h).
//   lstmCellFwd(rows, hidden, gi, gh, bih, bhh, cPrev, h, c, save)
//   lstmCellBwd(rows, hidden, dh, dc, cPrev, save, dgates, dcPrev)
//   gruCellFwd(rows, hidden, gi, gh, bih, bhh, hPrev, h, save)
//   gruCellBwd(rows, hidden, dh, hPrev, save, dgi, dgh, dhPrev)
//   rnnCellFwd(relu, rows, hidden, gi, gh, bih, bhh, h)
//   rnnCellBwd(relu, rows, hidden, dh, h, dgates)
// Every array must hold exactly its size; outputs must not share memory with any
// other argument.
#include <string>

#include "axonal/rnn.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

// One array argument: `per` units of `hidden` per row (per_row) or per layer (a bias).
struct ArrSpec {
  const char* name;
  int per;
  bool per_row;
  bool output;
};

constexpr int kMaxArrays = 8;

struct ReadArrays {
  F32Arg a[kMaxArrays];
  std::int64_t rows = 0, hidden = 0;
  bool relu = false;
};

// Reads [relu,] rows, hidden, then the arrays of `specs`, checking counts, types,
// exact lengths and that outputs are disjoint from everything else.
bool read_all(const Args& args, bool has_relu, const ArrSpec* specs, int n, ReadArrays* out) {
  const std::size_t first = has_relu ? 1 : 0;
  if (!args.count(first + 2 + static_cast<std::size_t>(n))) return false;
  if (has_relu && !args.boolean(0, "relu", &out->relu)) return false;
  if (!args.dim(first, "rows", &out->rows) || !args.dim(first + 1, "hidden", &out->hidden)) return false;
  for (int i = 0; i < n; ++i) {
    if (!args.f32(first + 2 + static_cast<std::size_t>(i), specs[i].name, &out->a[i])) return false;
  }
  for (int i = 0; i < n; ++i) {
    std::int64_t need = 0;
    if (!checked_mul(out->hidden, specs[i].per, &need) || (specs[i].per_row && !checked_mul(need, out->rows, &need))) {
      throw_range_error(args.env(), args.prefix() + "rows * hidden is too large", kCodeShape);
      return false;
    }
    // "[rows, 5*hidden] = [2, 15]" / "[3*hidden] = [9]"
    const std::string per = specs[i].per == 1 ? "hidden" : std::to_string(specs[i].per) + "*hidden";
    const std::string cols = std::to_string(specs[i].per * out->hidden);
    const std::string what = specs[i].per_row ? "[rows, " + per + "] = [" + std::to_string(out->rows) + ", " + cols + "]"
                                              : "[" + per + "] = [" + cols + "]";
    if (!args.exact_length(specs[i].name, out->a[i], need, what)) return false;
  }
  for (int i = 0; i < n; ++i) {
    if (!specs[i].output) continue;
    for (int j = 0; j < n; ++j) {
      if (j == i || (specs[j].output && j < i)) continue;
      if (!args.disjoint(specs[i].name, out->a[i], specs[j].name, out->a[j])) return false;
    }
  }
  return true;
}

bool status_ok(const Args& args, axonal::Status st) {
  if (st == axonal::Status::kOk) return true;
  throw_native_error(args.env(), args.prefix() + axonal::status_name(st));
  return false;
}

const ArrSpec kLstmFwd[] = {{"gi", 4, true, false},    {"gh", 4, true, false}, {"bih", 4, false, false},
                            {"bhh", 4, false, false},  {"cPrev", 1, true, false}, {"h", 1, true, true},
                            {"c", 1, true, true},      {"save", 5, true, true}};
const ArrSpec kLstmBwd[] = {{"dh", 1, true, false},     {"dc", 1, true, false},    {"cPrev", 1, true, false},
                            {"save", 5, true, false},   {"dgates", 4, true, true}, {"dcPrev", 1, true, true}};
const ArrSpec kGruFwd[] = {{"gi", 3, true, false},   {"gh", 3, true, false},    {"bih", 3, false, false},
                           {"bhh", 3, false, false}, {"hPrev", 1, true, false}, {"h", 1, true, true},
                           {"save", 4, true, true}};
const ArrSpec kGruBwd[] = {{"dh", 1, true, false},  {"hPrev", 1, true, false}, {"save", 4, true, false},
                           {"dgi", 3, true, true},  {"dgh", 3, true, true},    {"dhPrev", 1, true, true}};
const ArrSpec kRnnFwd[] = {{"gi", 1, true, false},   {"gh", 1, true, false}, {"bih", 1, false, false},
                           {"bhh", 1, false, false}, {"h", 1, true, true}};
const ArrSpec kRnnBwd[] = {{"dh", 1, true, false}, {"h", 1, true, false}, {"dgates", 1, true, true}};

template <std::size_t N>
constexpr int count_of(const ArrSpec (&)[N]) {
  return static_cast<int>(N);
}

Napi::Value LstmCellFwd(const Napi::CallbackInfo& info) {
  Args args(info, "lstmCellFwd");
  ReadArrays r;
  AXONAL_CHECK(read_all(args, false, kLstmFwd, count_of(kLstmFwd), &r));
  const F32Arg* a = r.a;
  AXONAL_CHECK(status_ok(args, axonal::lstm_cell_fwd(a[0].data, a[1].data, a[2].data, a[3].data, a[4].data, a[5].data,
                                                     a[6].data, a[7].data, r.rows, r.hidden)));
  return info.Env().Undefined();
}

Napi::Value LstmCellBwd(const Napi::CallbackInfo& info) {
  Args args(info, "lstmCellBwd");
  ReadArrays r;
  AXONAL_CHECK(read_all(args, false, kLstmBwd, count_of(kLstmBwd), &r));
  const F32Arg* a = r.a;
  AXONAL_CHECK(status_ok(args, axonal::lstm_cell_bwd(a[0].data, a[1].data, a[2].data, a[3].data, a[4].data, a[5].data,
                                                     r.rows, r.hidden)));
  return info.Env().Undefined();
}

Napi::Value GruCellFwd(const Napi::CallbackInfo& info) {
  Args args(info, "gruCellFwd");
  ReadArrays r;
  AXONAL_CHECK(read_all(args, false, kGruFwd, count_of(kGruFwd), &r));
  const F32Arg* a = r.a;
  AXONAL_CHECK(status_ok(args, axonal::gru_cell_fwd(a[0].data, a[1].data, a[2].data, a[3].data, a[4].data, a[5].data,
                                                    a[6].data, r.rows, r.hidden)));
  return info.Env().Undefined();
}

Napi::Value GruCellBwd(const Napi::CallbackInfo& info) {
  Args args(info, "gruCellBwd");
  ReadArrays r;
  AXONAL_CHECK(read_all(args, false, kGruBwd, count_of(kGruBwd), &r));
  const F32Arg* a = r.a;
  AXONAL_CHECK(status_ok(args, axonal::gru_cell_bwd(a[0].data, a[1].data, a[2].data, a[3].data, a[4].data, a[5].data,
                                                    r.rows, r.hidden)));
  return info.Env().Undefined();
}

Napi::Value RnnCellFwd(const Napi::CallbackInfo& info) {
  Args args(info, "rnnCellFwd");
  ReadArrays r;
  AXONAL_CHECK(read_all(args, true, kRnnFwd, count_of(kRnnFwd), &r));
  const F32Arg* a = r.a;
  AXONAL_CHECK(status_ok(
      args, axonal::rnn_cell_fwd(r.relu, a[0].data, a[1].data, a[2].data, a[3].data, a[4].data, r.rows, r.hidden)));
  return info.Env().Undefined();
}

Napi::Value RnnCellBwd(const Napi::CallbackInfo& info) {
  Args args(info, "rnnCellBwd");
  ReadArrays r;
  AXONAL_CHECK(read_all(args, true, kRnnBwd, count_of(kRnnBwd), &r));
  const F32Arg* a = r.a;
  AXONAL_CHECK(status_ok(args, axonal::rnn_cell_bwd(r.relu, a[0].data, a[1].data, a[2].data, r.rows, r.hidden)));
  return info.Env().Undefined();
}

}  // namespace

void register_rnn(Napi::Env env, Napi::Object exports) {
  exports.Set("lstmCellFwd", Napi::Function::New(env, LstmCellFwd, "lstmCellFwd"));
  exports.Set("lstmCellBwd", Napi::Function::New(env, LstmCellBwd, "lstmCellBwd"));
  exports.Set("gruCellFwd", Napi::Function::New(env, GruCellFwd, "gruCellFwd"));
  exports.Set("gruCellBwd", Napi::Function::New(env, GruCellBwd, "gruCellBwd"));
  exports.Set("rnnCellFwd", Napi::Function::New(env, RnnCellFwd, "rnnCellFwd"));
  exports.Set("rnnCellBwd", Napi::Function::New(env, RnnCellBwd, "rnnCellBwd"));
}

}  // namespace axonal_binding
