// JS entry points for convolution and pooling: argument checks (types, geometry,
// overflow-safe sizes, exact buffer lengths, aliasing), then one native call.
//   conv2dForward(x, weight, bias, y, n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups)
//   conv2dBackward(x, weight, dy, dx, dweight, dbias, <same 14 sizes>)
//   convTranspose2dForward(x, weight, bias, y, n, cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, dh, dw, groups, oph, opw)
//   convTranspose2dBackward(x, weight, dy, dx, dweight, dbias, <same 16 sizes>)
//   maxPool2dForward(x, y, idx, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceilMode)
//   maxPool2dBackward(dy, idx, dx, <the forward's 11 sizes and ceilMode>)
//   avgPool2dForward(x, y, planes, h, w, kh, kw, sh, sw, ph, pw, ceilMode, countIncludePad, divisorOverride)
//   avgPool2dBackward(dy, dx, <same 12 sizes and flags>)
//   adaptiveAvgPool2dForward(x, y, planes, h, w, oh, ow), adaptiveAvgPool2dBackward(dy, dx, same)
// Empty bias / gradient buffers mean "none" / "skip".
#include <algorithm>

#include "axonal/conv.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

// Column scratch larger than this is refused (RangeError) rather than attempted.
constexpr std::int64_t kMaxScratch = std::int64_t{1} << 32;

bool fail_range(const Args& args, const std::string& msg, const char* code = kCodeInvalidValue) {
  throw_range_error(args.env(), args.prefix() + msg, code);
  return false;
}

// Product of the factors, or a RangeError naming `what` if it overflows int64.
bool product(const Args& args, std::initializer_list<std::int64_t> f, const char* what, std::int64_t* out) {
  std::int64_t p = 1;
  for (std::int64_t v : f) {
    if (!checked_mul(p, v, &p)) return fail_range(args, std::string(what) + " is too large to address");
  }
  *out = p;
  return true;
}

bool at_least(const Args& args, const char* name, std::int64_t v, std::int64_t lo) {
  if (v >= lo) return true;
  return fail_range(args, std::string(name) + " must be at least " + std::to_string(lo) + ", but received " +
                              std::to_string(v));
}

bool optional_len(const Args& args, const char* name, const F32Arg& a, std::int64_t n, const std::string& what) {
  if (a.length == 0) return true;
  return args.exact_length(name, a, n, what + " (or be empty for none)");
}

std::string shape4(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d) {
  return "shape [" + std::to_string(a) + ", " + std::to_string(b) + ", " + std::to_string(c) + ", " +
         std::to_string(d) + "]";
}

// Reads n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups from argument `first`.
// reads_from: the position (1 for c, 4 for o) of the channels the underlying convolution
// reads (a transposed convolution's cOut), which must be at least 1: the core sizes its
// column bands by dividing by them (zero input channels was a SIGFPE).
bool read_conv(const Args& args, std::size_t first, const char* cname, const char* oname, std::size_t reads_from,
               axonal::Conv2dGeom* g) {
  std::int64_t v[14];
  const char* names[14] = {"n", cname, "h", "w", oname, "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "groups"};
  for (std::size_t i = 0; i < 14; ++i) {
    if (!args.dim(first + i, names[i], &v[i])) return false;
  }
  const std::size_t positive[] = {reads_from, 5, 6, 7, 8, 11, 12, 13};
  for (std::size_t i : positive) {
    if (!at_least(args, names[i], v[i], 1)) return false;
  }
  g->n = v[0];
  g->c = v[1];
  g->h = v[2];
  g->w = v[3];
  g->o = v[4];
  g->kh = v[5];
  g->kw = v[6];
  g->sh = v[7];
  g->sw = v[8];
  g->ph = v[9];
  g->pw = v[10];
  g->dh = v[11];
  g->dw = v[12];
  g->groups = v[13];
  if (g->c % g->groups != 0 || g->o % g->groups != 0) {
    return fail_range(args, std::string(cname) + " (" + std::to_string(g->c) + ") and " + oname + " (" +
                                std::to_string(g->o) + ") must both be divisible by groups (" +
                                std::to_string(g->groups) + ")");
  }
  return true;
}

// Checks the conv geometry (output size >= 1) and every buffer length of a conv
// with input [n, c, h, w], weight [o, c/g, kh, kw], output [n, o, oh, ow].
struct ConvSizes {
  std::int64_t in = 0, weight = 0, out = 0;
};

bool plan(const Args& args, axonal::Conv2dGeom* g, ConvSizes* s) {
  const std::int64_t eh = (g->kh - 1) * g->dh + 1, ew = (g->kw - 1) * g->dw + 1;  // < 2^62: fine
  if (eh > g->h + 2 * g->ph || ew > g->w + 2 * g->pw) {
    return fail_range(args, "the dilated kernel (" + std::to_string(eh) + "x" + std::to_string(ew) +
                                ") is larger than the padded input (" + std::to_string(g->h + 2 * g->ph) + "x" +
                                std::to_string(g->w + 2 * g->pw) + ")",
                      kCodeShape);
  }
  if (axonal::conv2d_plan(g) != axonal::Status::kOk) return fail_range(args, "invalid convolution geometry");
  std::int64_t scratch = 0;
  if (!product(args, {g->n, g->c, g->h, g->w}, "the input", &s->in)) return false;
  if (!product(args, {g->o, g->c / g->groups, g->kh, g->kw}, "the weight", &s->weight)) return false;
  if (!product(args, {g->n, g->o, g->oh, g->ow}, "the output", &s->out)) return false;
  if (!product(args, {g->c, g->kh, g->kw, g->oh, g->ow}, "the column buffer", &scratch)) return false;
  if (scratch > kMaxScratch) {
    return fail_range(args, "the column buffer would need " + std::to_string(scratch) +
                                " elements, more than the supported " + std::to_string(kMaxScratch));
  }
  return true;
}

Napi::Value status_result(const Napi::CallbackInfo& info, const char* op, axonal::Status st) {
  if (st != axonal::Status::kOk) {
    throw_native_error(info.Env(), std::string(op) + ": " + axonal::status_name(st));
    return Napi::Value();
  }
  return info.Env().Undefined();
}

const float* opt(const F32Arg& a) { return a.length == 0 ? nullptr : a.data; }
float* opt_out(const F32Arg& a) { return a.length == 0 ? nullptr : a.data; }

// y shares no memory with x, weight or bias.
bool output_disjoint(const Args& args, const F32Arg& x, const F32Arg& w, const F32Arg& b, const F32Arg& y) {
  return args.disjoint("y", y, "x", x) && args.disjoint("y", y, "weight", w) && args.disjoint("y", y, "bias", b);
}

// Each gradient buffer shares no memory with the inputs or with another gradient.
bool grads_disjoint(const Args& args, const F32Arg& x, const F32Arg& w, const F32Arg& dy, const F32Arg& dx,
                    const F32Arg& dw, const F32Arg& db) {
  const F32Arg* outs[3] = {&dx, &dw, &db};
  const char* out_names[3] = {"dx", "dweight", "dbias"};
  const F32Arg* ins[3] = {&x, &w, &dy};
  const char* in_names[3] = {"x", "weight", "dy"};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j)
      if (!args.disjoint(out_names[i], *outs[i], in_names[j], *ins[j])) return false;
    for (int j = i + 1; j < 3; ++j)
      if (!args.disjoint(out_names[i], *outs[i], out_names[j], *outs[j])) return false;
  }
  return true;
}

// no_output: a convolution with no output elements (o = 0 or n = 0) computes nothing.
// The binding returns before the core, which would still walk every image and build its
// columns: with an empty input plane (h = 0 under padding) no buffer length bounds n
// (n = 2^31 - 1, h = 0, o = 0 ran for minutes), and with o = 0 none bounds the padded
// output plane the columns cover.

Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dForward");
  F32Arg x, w, b, y;
  axonal::Conv2dGeom g;
  ConvSizes s;
  AXONAL_CHECK(args.count(18));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "weight", &w));
  AXONAL_CHECK(args.f32(2, "bias", &b));
  AXONAL_CHECK(args.f32(3, "y", &y));
  AXONAL_CHECK(read_conv(args, 4, "c", "o", 1, &g));
  AXONAL_CHECK(plan(args, &g, &s));
  AXONAL_CHECK(args.exact_length("x", x, s.in, shape4(g.n, g.c, g.h, g.w)));
  AXONAL_CHECK(args.exact_length("weight", w, s.weight, shape4(g.o, g.c / g.groups, g.kh, g.kw)));
  AXONAL_CHECK(optional_len(args, "bias", b, g.o, "o = " + std::to_string(g.o)));
  AXONAL_CHECK(args.exact_length("y", y, s.out, shape4(g.n, g.o, g.oh, g.ow)));
  AXONAL_CHECK(output_disjoint(args, x, w, b, y));
  if (s.out == 0) return info.Env().Undefined();  // see no_output
  return status_result(info, "conv2dForward", axonal::conv2d_fwd(g, x.data, w.data, opt(b), y.data));
}

Napi::Value Conv2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dBackward");
  F32Arg x, w, dy, dx, dw, db;
  axonal::Conv2dGeom g;
  ConvSizes s;
  AXONAL_CHECK(args.count(20));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "weight", &w));
  AXONAL_CHECK(args.f32(2, "dy", &dy));
  AXONAL_CHECK(args.f32(3, "dx", &dx));
  AXONAL_CHECK(args.f32(4, "dweight", &dw));
  AXONAL_CHECK(args.f32(5, "dbias", &db));
  AXONAL_CHECK(read_conv(args, 6, "c", "o", 1, &g));
  AXONAL_CHECK(plan(args, &g, &s));
  AXONAL_CHECK(args.exact_length("x", x, s.in, shape4(g.n, g.c, g.h, g.w)));
  AXONAL_CHECK(args.exact_length("weight", w, s.weight, shape4(g.o, g.c / g.groups, g.kh, g.kw)));
  AXONAL_CHECK(args.exact_length("dy", dy, s.out, shape4(g.n, g.o, g.oh, g.ow)));
  AXONAL_CHECK(optional_len(args, "dx", dx, s.in, shape4(g.n, g.c, g.h, g.w)));
  AXONAL_CHECK(optional_len(args, "dweight", dw, s.weight, shape4(g.o, g.c / g.groups, g.kh, g.kw)));
  AXONAL_CHECK(optional_len(args, "dbias", db, g.o, "o = " + std::to_string(g.o)));
  AXONAL_CHECK(grads_disjoint(args, x, w, dy, dx, dw, db));
  if (s.out == 0) {  // see no_output: y has no elements, so every gradient is zero
    for (const F32Arg* grad : {&dx, &dw, &db}) std::fill(grad->data, grad->data + grad->length, 0.0f);
    return info.Env().Undefined();
  }
  return status_result(info, "conv2dBackward",
                       axonal::conv2d_bwd(g, x.data, w.data, dy.data, opt_out(dx), opt_out(dw), opt_out(db)));
}

// Reads the transposed-conv sizes from `first` and builds the equivalent conv
// geometry (conv input = this op's output). Sizes: in = x, out = y.
bool read_transpose(const Args& args, std::size_t first, axonal::Conv2dGeom* g, ConvSizes* s, std::int64_t* xh,
                    std::int64_t* xw) {
  axonal::Conv2dGeom t;
  std::int64_t oph = 0, opw = 0;
  if (!read_conv(args, first, "cIn", "cOut", 4, &t)) return false;
  if (!args.dim(first + 14, "oph", &oph) || !args.dim(first + 15, "opw", &opw)) return false;
  if ((oph >= t.sh && oph >= t.dh) || (opw >= t.sw && opw >= t.dw)) {
    return fail_range(args, "output padding (" + std::to_string(oph) + ", " + std::to_string(opw) +
                                ") must be smaller than either stride or dilation");
  }
  if (!at_least(args, "h", t.h, 1) || !at_least(args, "w", t.w, 1)) return false;
  // (in - 1) * s - 2p + d (k - 1) + op + 1: every term < 2^62
  const std::int64_t hout = (t.h - 1) * t.sh - 2 * t.ph + t.dh * (t.kh - 1) + oph + 1;
  const std::int64_t wout = (t.w - 1) * t.sw - 2 * t.pw + t.dw * (t.kw - 1) + opw + 1;
  if (hout < 1 || wout < 1) {
    return fail_range(args, "the output size (" + std::to_string(hout) + "x" + std::to_string(wout) +
                                ") must be positive", kCodeShape);
  }
  if (hout > kMaxDim || wout > kMaxDim) return fail_range(args, "the output is too large to address");
  *g = t;
  g->c = t.o;  // conv input channels = cOut
  g->o = t.c;  // conv output channels = cIn
  g->h = hout;
  g->w = wout;
  if (!plan(args, g, s)) return false;
  // oh = h + floor(oph / sh) >= h: x is zero-extended when an output padding reaches a whole stride
  if (g->oh < t.h || g->ow < t.w) return fail_range(args, "inconsistent transposed-convolution geometry");
  std::int64_t padded = 0;
  if (!product(args, {g->n, g->o, g->oh, g->ow}, "the padded input", &padded)) return false;
  if (padded > kMaxScratch) return fail_range(args, "the padded input would be too large");
  *xh = t.h;
  *xw = t.w;
  return true;
}

Napi::Value ConvTranspose2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "convTranspose2dForward");
  F32Arg x, w, b, y;
  axonal::Conv2dGeom g;
  ConvSizes s;
  AXONAL_CHECK(args.count(20));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "weight", &w));
  AXONAL_CHECK(args.f32(2, "bias", &b));
  AXONAL_CHECK(args.f32(3, "y", &y));
  std::int64_t xh = 0, xw = 0, xin = 0;
  AXONAL_CHECK(read_transpose(args, 4, &g, &s, &xh, &xw));
  AXONAL_CHECK(product(args, {g.n, g.o, xh, xw}, "the input", &xin));
  AXONAL_CHECK(args.exact_length("x", x, xin, shape4(g.n, g.o, xh, xw)));
  AXONAL_CHECK(args.exact_length("weight", w, s.weight, shape4(g.o, g.c / g.groups, g.kh, g.kw)));
  AXONAL_CHECK(optional_len(args, "bias", b, g.c, "cOut = " + std::to_string(g.c)));
  AXONAL_CHECK(args.exact_length("y", y, s.in, shape4(g.n, g.c, g.h, g.w)));
  AXONAL_CHECK(output_disjoint(args, x, w, b, y));
  return status_result(info, "convTranspose2dForward", axonal::conv_transpose2d_fwd(g, xh, xw, x.data, w.data, opt(b), y.data));
}

Napi::Value ConvTranspose2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "convTranspose2dBackward");
  F32Arg x, w, dy, dx, dw, db;
  axonal::Conv2dGeom g;
  ConvSizes s;
  AXONAL_CHECK(args.count(22));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "weight", &w));
  AXONAL_CHECK(args.f32(2, "dy", &dy));
  AXONAL_CHECK(args.f32(3, "dx", &dx));
  AXONAL_CHECK(args.f32(4, "dweight", &dw));
  AXONAL_CHECK(args.f32(5, "dbias", &db));
  std::int64_t xh = 0, xw = 0, xin = 0;
  AXONAL_CHECK(read_transpose(args, 6, &g, &s, &xh, &xw));
  AXONAL_CHECK(product(args, {g.n, g.o, xh, xw}, "the input", &xin));
  AXONAL_CHECK(args.exact_length("x", x, xin, shape4(g.n, g.o, xh, xw)));
  AXONAL_CHECK(args.exact_length("weight", w, s.weight, shape4(g.o, g.c / g.groups, g.kh, g.kw)));
  AXONAL_CHECK(args.exact_length("dy", dy, s.in, shape4(g.n, g.c, g.h, g.w)));
  AXONAL_CHECK(optional_len(args, "dx", dx, xin, shape4(g.n, g.o, xh, xw)));
  AXONAL_CHECK(optional_len(args, "dweight", dw, s.weight, shape4(g.o, g.c / g.groups, g.kh, g.kw)));
  AXONAL_CHECK(optional_len(args, "dbias", db, g.c, "cOut = " + std::to_string(g.c)));
  AXONAL_CHECK(grads_disjoint(args, x, w, dy, dx, dw, db));
  return status_result(
      info, "convTranspose2dBackward",
      axonal::conv_transpose2d_bwd(g, xh, xw, x.data, w.data, dy.data, opt_out(dx), opt_out(dw), opt_out(db)));
}

// Pool geometry: planes, h, w, kh, kw, sh, sw, ph, pw [, dh, dw] from `first`;
// pad at most half the kernel (PyTorch's rule), input and output sizes >= 1.
bool read_pool(const Args& args, std::size_t first, bool dilation, bool ceil_mode_at_end, std::int64_t* planes,
               axonal::PlaneGeom* g, bool* ceil_mode) {
  const std::size_t count = dilation ? 11 : 9;
  std::int64_t v[11] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
  const char* names[11] = {"planes", "h", "w", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw"};
  for (std::size_t i = 0; i < count; ++i) {
    if (!args.dim(first + i, names[i], &v[i])) return false;
  }
  if (ceil_mode_at_end && !args.boolean(first + count, "ceilMode", ceil_mode)) return false;
  // h, w >= 1 as PyTorch asks: with an empty plane no buffer length bounds the other side,
  // and a window's rows are walked even when it has no columns (h = 2^31 - 1 with w = 0
  // ran for seconds).
  for (std::size_t i : {1, 2, 3, 4, 5, 6, 9, 10}) {
    if (!at_least(args, names[i], v[i], 1)) return false;
  }
  if (v[7] > v[3] / 2 || v[8] > v[4] / 2) {
    return fail_range(args, "padding (" + std::to_string(v[7]) + ", " + std::to_string(v[8]) +
                                ") must be at most half the kernel size (" + std::to_string(v[3]) + ", " +
                                std::to_string(v[4]) + ")");
  }
  *planes = v[0];
  g->h = v[1];
  g->w = v[2];
  g->kh = v[3];
  g->kw = v[4];
  g->sh = v[5];
  g->sw = v[6];
  g->ph = v[7];
  g->pw = v[8];
  g->dh = v[9];
  g->dw = v[10];
  g->oh = axonal::pool_output_size(g->h, g->kh, g->sh, g->ph, g->dh, *ceil_mode);
  g->ow = axonal::pool_output_size(g->w, g->kw, g->sw, g->pw, g->dw, *ceil_mode);
  if (g->oh < 1 || g->ow < 1) {
    return fail_range(args, "the output size (" + std::to_string(g->oh) + "x" + std::to_string(g->ow) +
                                ") is too small for input " + std::to_string(g->h) + "x" + std::to_string(g->w),
                      kCodeShape);
  }
  return true;
}

std::string planes_what(std::int64_t planes, std::int64_t h, std::int64_t w) {
  return std::to_string(planes) + " planes of " + std::to_string(h) + "x" + std::to_string(w);
}

bool plane_sizes(const Args& args, std::int64_t planes, const axonal::PlaneGeom& g, std::int64_t* in,
                 std::int64_t* out) {
  return product(args, {planes, g.h, g.w}, "the input", in) && product(args, {planes, g.oh, g.ow}, "the output", out);
}

Napi::Value MaxPool2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2dForward");
  F32Arg x, y;
  I32Arg idx;
  axonal::PlaneGeom g;
  std::int64_t planes = 0, in = 0, out = 0;
  bool ceil_mode = false;
  AXONAL_CHECK(args.count(15));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "y", &y));
  AXONAL_CHECK(args.i32(2, "idx", &idx));
  AXONAL_CHECK(read_pool(args, 3, true, true, &planes, &g, &ceil_mode));
  AXONAL_CHECK(plane_sizes(args, planes, g, &in, &out));
  if (g.h * g.w > INT32_MAX) {
    fail_range(args, "a plane of " + std::to_string(g.h * g.w) + " elements is too large for int32 indices");
    return Napi::Value();
  }
  AXONAL_CHECK(args.exact_length("x", x, in, planes_what(planes, g.h, g.w)));
  AXONAL_CHECK(args.exact_length("y", y, out, planes_what(planes, g.oh, g.ow)));
  if (idx.length != out) {
    fail_range(args, "idx must have " + std::to_string(out) + " elements for " + planes_what(planes, g.oh, g.ow) +
                         ", but has " + std::to_string(idx.length), kCodeShape);
    return Napi::Value();
  }
  AXONAL_CHECK(args.disjoint("y", y, "x", x));
  return status_result(info, "maxPool2dForward", axonal::maxpool2d_fwd(planes, g, x.data, y.data, idx.data));
}

// max over i of (uint32) idx[i] + 1: -1 maps to 0, negatives below it to the top.
// Kept out of line: inlined into the binding, GCC 12 reloads the bound from the
// stack each iteration and leaves the loop scalar (a third of a 2x2 backward).
__attribute__((noinline)) std::uint32_t max_index_plus_one(const std::int32_t* idx, std::int64_t n) {
  std::uint32_t m = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t v = static_cast<std::uint32_t>(idx[i]) + 1u;
    m = v > m ? v : m;
  }
  return m;
}

Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2dBackward");
  F32Arg dy, dx;
  IndexArg index;
  axonal::PlaneGeom g;
  std::int64_t planes = 0, in = 0, out = 0;
  bool ceil_mode = false;
  AXONAL_CHECK(args.count(15));
  AXONAL_CHECK(args.f32(0, "dy", &dy));
  AXONAL_CHECK(args.indices(1, "idx", &index));
  const I32Arg& idx = index.read;
  AXONAL_CHECK(args.f32(2, "dx", &dx));
  AXONAL_CHECK(read_pool(args, 3, true, true, &planes, &g, &ceil_mode));
  AXONAL_CHECK(plane_sizes(args, planes, g, &in, &out));
  AXONAL_CHECK(args.exact_length("dy", dy, out, planes_what(planes, g.oh, g.ow)));
  if (idx.length != out) {
    fail_range(args, "idx must have " + std::to_string(out) + " elements for " + planes_what(planes, g.oh, g.ow) +
                         ", but has " + std::to_string(idx.length), kCodeShape);
    return Napi::Value();
  }
  AXONAL_CHECK(args.exact_length("dx", dx, in, planes_what(planes, g.h, g.w)));
  AXONAL_CHECK(args.disjoint("dx", dx, "dy", dy));
  AXONAL_CHECK(args.disjoint("dx", dx, "idx", index.where));  // read while dx is written
  // One branch-free pass over idx (it vectorises: idx + 1 in [0, plane + 1) as unsigned);
  // the loop that names the culprit runs only on failure.
  const std::int64_t plane = g.h * g.w;
  const std::uint32_t lim = plane >= INT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(plane) + 1u;
  const bool bad = max_index_plus_one(idx.data, out) >= lim;
  for (std::int64_t i = 0; bad && i < out; ++i) {
    if (idx.data[i] < -1 || idx.data[i] >= plane) {
      fail_range(args, "idx[" + std::to_string(i) + "] must be -1 or an index into a plane of " +
                           std::to_string(plane) + " elements, but is " + std::to_string(idx.data[i]));
      return Napi::Value();
    }
  }
  return status_result(info, "maxPool2dBackward", axonal::maxpool2d_bwd(planes, g, dy.data, idx.data, dx.data));
}

bool read_avg(const Args& args, std::size_t first, std::int64_t* planes, axonal::PlaneGeom* g,
              axonal::AvgPoolParams* p) {
  bool ceil_mode = false, include = true;
  std::int64_t div = 0;
  if (!read_pool(args, first, false, true, planes, g, &ceil_mode)) return false;
  if (!args.boolean(first + 10, "countIncludePad", &include)) return false;
  if (!args.dim(first + 11, "divisorOverride", &div)) return false;
  p->count_include_pad = include;
  p->divisor_override = div;
  return true;
}

Napi::Value AvgPool2d(const Napi::CallbackInfo& info, bool backward) {
  Args args(info, backward ? "avgPool2dBackward" : "avgPool2dForward");
  F32Arg a, b;  // forward: x, y; backward: dy, dx
  axonal::PlaneGeom g;
  axonal::AvgPoolParams p;
  std::int64_t planes = 0, in = 0, out = 0;
  AXONAL_CHECK(args.count(14));
  AXONAL_CHECK(args.f32(0, backward ? "dy" : "x", &a));
  AXONAL_CHECK(args.f32(1, backward ? "dx" : "y", &b));
  AXONAL_CHECK(read_avg(args, 2, &planes, &g, &p));
  AXONAL_CHECK(plane_sizes(args, planes, g, &in, &out));
  if (backward) {
    AXONAL_CHECK(args.exact_length("dy", a, out, planes_what(planes, g.oh, g.ow)));
    AXONAL_CHECK(args.exact_length("dx", b, in, planes_what(planes, g.h, g.w)));
    AXONAL_CHECK(args.disjoint("dx", b, "dy", a));
    return status_result(info, args.op(), axonal::avgpool2d_bwd(planes, g, p, a.data, b.data));
  }
  AXONAL_CHECK(args.exact_length("x", a, in, planes_what(planes, g.h, g.w)));
  AXONAL_CHECK(args.exact_length("y", b, out, planes_what(planes, g.oh, g.ow)));
  AXONAL_CHECK(args.disjoint("y", b, "x", a));
  return status_result(info, args.op(), axonal::avgpool2d_fwd(planes, g, p, a.data, b.data));
}

Napi::Value AvgPool2dForward(const Napi::CallbackInfo& info) { return AvgPool2d(info, false); }
Napi::Value AvgPool2dBackward(const Napi::CallbackInfo& info) { return AvgPool2d(info, true); }

Napi::Value AdaptiveAvgPool2d(const Napi::CallbackInfo& info, bool backward) {
  Args args(info, backward ? "adaptiveAvgPool2dBackward" : "adaptiveAvgPool2dForward");
  F32Arg a, b;
  std::int64_t planes = 0, h = 0, w = 0, oh = 0, ow = 0, in = 0, out = 0;
  AXONAL_CHECK(args.count(7));
  AXONAL_CHECK(args.f32(0, backward ? "dy" : "x", &a));
  AXONAL_CHECK(args.f32(1, backward ? "dx" : "y", &b));
  AXONAL_CHECK(args.dim(2, "planes", &planes));
  AXONAL_CHECK(args.dim(3, "h", &h));
  AXONAL_CHECK(args.dim(4, "w", &w));
  AXONAL_CHECK(args.dim(5, "oh", &oh));
  AXONAL_CHECK(args.dim(6, "ow", &ow));
  AXONAL_CHECK(at_least(args, "h", h, 1));
  AXONAL_CHECK(at_least(args, "w", w, 1));
  AXONAL_CHECK(product(args, {planes, h, w}, "the input", &in));
  AXONAL_CHECK(product(args, {planes, oh, ow}, "the output", &out));
  axonal::PlaneGeom g;
  g.h = h;
  g.w = w;
  g.oh = oh;
  g.ow = ow;
  // No output (oh or ow 0): nothing to average, and every input gradient is zero. The
  // kernels would still walk oh rows of empty windows (oh = 2^31 - 1, ow = 0: 40 s a call
  // unless the compiler happens to drop the empty loop, as GCC -O3 does).
  const bool no_output = out == 0;
  if (backward) {
    AXONAL_CHECK(args.exact_length("dy", a, out, planes_what(planes, oh, ow)));
    AXONAL_CHECK(args.exact_length("dx", b, in, planes_what(planes, h, w)));
    AXONAL_CHECK(args.disjoint("dx", b, "dy", a));
    if (no_output) {
      std::fill(b.data, b.data + b.length, 0.0f);
      return info.Env().Undefined();
    }
    return status_result(info, args.op(), axonal::adaptive_avgpool2d_bwd(planes, g, a.data, b.data));
  }
  AXONAL_CHECK(args.exact_length("x", a, in, planes_what(planes, h, w)));
  AXONAL_CHECK(args.exact_length("y", b, out, planes_what(planes, oh, ow)));
  AXONAL_CHECK(args.disjoint("y", b, "x", a));
  if (no_output) return info.Env().Undefined();
  return status_result(info, args.op(), axonal::adaptive_avgpool2d_fwd(planes, g, a.data, b.data));
}

Napi::Value AdaptiveAvgPool2dForward(const Napi::CallbackInfo& info) { return AdaptiveAvgPool2d(info, false); }
Napi::Value AdaptiveAvgPool2dBackward(const Napi::CallbackInfo& info) { return AdaptiveAvgPool2d(info, true); }

}  // namespace

void register_conv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2dForward", Napi::Function::New(env, Conv2dForward, "conv2dForward"));
  exports.Set("conv2dBackward", Napi::Function::New(env, Conv2dBackward, "conv2dBackward"));
  exports.Set("convTranspose2dForward", Napi::Function::New(env, ConvTranspose2dForward, "convTranspose2dForward"));
  exports.Set("convTranspose2dBackward", Napi::Function::New(env, ConvTranspose2dBackward, "convTranspose2dBackward"));
  exports.Set("maxPool2dForward", Napi::Function::New(env, MaxPool2dForward, "maxPool2dForward"));
  exports.Set("maxPool2dBackward", Napi::Function::New(env, MaxPool2dBackward, "maxPool2dBackward"));
  exports.Set("avgPool2dForward", Napi::Function::New(env, AvgPool2dForward, "avgPool2dForward"));
  exports.Set("avgPool2dBackward", Napi::Function::New(env, AvgPool2dBackward, "avgPool2dBackward"));
  exports.Set("adaptiveAvgPool2dForward",
              Napi::Function::New(env, AdaptiveAvgPool2dForward, "adaptiveAvgPool2dForward"));
  exports.Set("adaptiveAvgPool2dBackward",
              Napi::Function::New(env, AdaptiveAvgPool2dBackward, "adaptiveAvgPool2dBackward"));
}

}  // namespace axonal_binding
