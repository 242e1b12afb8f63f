// sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
// sgemmEx(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, activation[, packCache])
// sgemmBatched(...sgemm's 13, count0, count1, strideA0, strideA1, strideB0, strideB1, strideC0, strideC1)
#include <cstdint>
#include <string>

#include "axonal/gemm.h"
#include "axonal/kernels/gemm_kernels.h"
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {
namespace {

#define AXONAL_CHECK_FALSE(expr) \
  do {                           \
    if (!(expr)) return false;   \
  } while (0)

bool check_matrix(const Args& args, const char* name, const F32Arg& buf, std::int64_t rows, std::int64_t cols,
                  const char* ld_name, std::int64_t ld) {
  return args.strided(name, buf, rows, cols, ld_name, ld, "matrix", true);
}

// Reads and checks the 13 BLAS arguments shared by sgemm, sgemmEx and sgemmBatched into
// g (and the operand buffers into a_out / b_out when given).
bool read_gemm_args(const Args& args, axonal::SgemmArgs* g, F32Arg* c_out, F32Arg* a_out = nullptr,
                    F32Arg* b_out = nullptr) {
  bool trans_a = false, trans_b = false;
  std::int64_t m = 0, n = 0, k = 0, lda = 0, ldb = 0, ldc = 0;
  double alpha = 0, beta = 0;
  F32Arg a, b, c;
  AXONAL_CHECK_FALSE(args.boolean(0, "transA", &trans_a));
  AXONAL_CHECK_FALSE(args.boolean(1, "transB", &trans_b));
  AXONAL_CHECK_FALSE(args.dim(2, "m", &m));
  AXONAL_CHECK_FALSE(args.dim(3, "n", &n));
  AXONAL_CHECK_FALSE(args.dim(4, "k", &k));
  AXONAL_CHECK_FALSE(args.finite(5, "alpha", &alpha));
  AXONAL_CHECK_FALSE(args.f32(6, "a", &a));
  AXONAL_CHECK_FALSE(args.dim(7, "lda", &lda));
  AXONAL_CHECK_FALSE(args.f32(8, "b", &b));
  AXONAL_CHECK_FALSE(args.dim(9, "ldb", &ldb));
  AXONAL_CHECK_FALSE(args.finite(10, "beta", &beta));
  AXONAL_CHECK_FALSE(args.f32(11, "c", &c));
  AXONAL_CHECK_FALSE(args.dim(12, "ldc", &ldc));
  AXONAL_CHECK_FALSE(check_matrix(args, "a", a, trans_a ? k : m, trans_a ? m : k, "lda", lda));
  AXONAL_CHECK_FALSE(check_matrix(args, "b", b, trans_b ? n : k, trans_b ? k : n, "ldb", ldb));
  AXONAL_CHECK_FALSE(check_matrix(args, "c", c, m, n, "ldc", ldc));
  AXONAL_CHECK_FALSE(args.disjoint("c", c, "a", a));
  AXONAL_CHECK_FALSE(args.disjoint("c", c, "b", b));
  g->trans_a = trans_a;
  g->trans_b = trans_b;
  g->m = m;
  g->n = n;
  g->k = k;
  g->alpha = static_cast<float>(alpha);
  g->a = a.data;
  g->lda = lda;
  g->b = b.data;
  g->ldb = ldb;
  g->beta = static_cast<float>(beta);
  g->c = c.data;
  g->ldc = ldc;
  *c_out = c;
  if (a_out != nullptr) *a_out = a;
  if (b_out != nullptr) *b_out = b;
  return true;
}

// Floats of slack in a packCache entry, so that its packing can start 64-byte aligned
// (a Float32Array's data is only 8- or 16-byte aligned; the micro-kernels' packed-B
// loads split cache lines otherwise).
constexpr std::int64_t kPackSlack = 16;

float* aligned_start(float* p) {
  const auto u = reinterpret_cast<std::uintptr_t>(p);
  return reinterpret_cast<float*>((u + 63) & ~std::uintptr_t{63});
}

// The packing of op(B) in cache entry `have` (see SgemmEx) if it fits g, else an empty
// PackedB. Runs no JS.
axonal::PackedB cached_view(Napi::Value have, const axonal::SgemmArgs& g, int config, std::int64_t floats,
                            const F32Arg& c) {
  if (!have.IsTypedArray() || have.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) return {};
  Napi::Float32Array arr = have.As<Napi::Float32Array>();
  const std::int64_t length = static_cast<std::int64_t>(arr.ElementLength());
  float* base = arr.Data();
  // Not one that c overlaps: C is written while the packing is read.
  if (length != floats + kPackSlack || base == nullptr || !(c.data + c.length <= base || base + length <= c.data)) return {};
  return axonal::sgemm_packed_b_view(g, config, aligned_start(base), floats);
}

Napi::Value run(const Napi::CallbackInfo& info, const char* op, const axonal::SgemmArgs& g) {
  const axonal::Status st = axonal::sgemm(g);
  if (st != axonal::Status::kOk) {
    throw_native_error(info.Env(), std::string(op) + ": " + axonal::status_name(st));
    return Napi::Value();
  }
  return info.Env().Undefined();
}

Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Args args(info, "sgemm");
  AXONAL_CHECK(args.count(13));
  axonal::SgemmArgs g;
  F32Arg c;
  AXONAL_CHECK(read_gemm_args(args, &g, &c));
  return run(info, "sgemm", g);
}

// sgemmEx's 15 arguments (sgemm's 13, bias, activation) into g, checked.
bool read_ex_args(const Napi::CallbackInfo& info, const Args& args, axonal::SgemmArgs* g, F32Arg* c) {
  AXONAL_CHECK_FALSE(read_gemm_args(args, g, c));
  if (!info[13].IsNull()) {
    if (!info[13].IsTypedArray() || info[13].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      throw_type_error(info.Env(), args.prefix() + "bias must be a Float32Array or null, but received " + describe(info[13]));
      return false;
    }
    F32Arg bias;
    AXONAL_CHECK_FALSE(args.f32(13, "bias", &bias));
    AXONAL_CHECK_FALSE(args.exact_length("bias", bias, g->n, "one value per column of c (n = " + std::to_string(g->n) + ")"));
    AXONAL_CHECK_FALSE(args.disjoint("c", *c, "bias", bias));
    g->bias = bias.data;
  }
  std::int64_t act = 0;
  AXONAL_CHECK_FALSE(args.integer(14, "activation", 0, axonal::kGemmActivationCount - 1, &act));
  g->activation = static_cast<int>(act);
  return true;
}

// sgemmEx(...sgemm's 13, bias: Float32Array | null, activation: 0 none | 1 relu | 2 gelu | 3 gelu tanh
//         [, packCache: object])
//   (the GemmActivation codes; the range check follows kGemmActivationCount)
//   C = act(alpha op(A) op(B) + beta C + bias), bias broadcast over rows (n values).
//   packCache: an object the caller keeps with one B that it never writes again (a frozen
//   layer's weights): op(B)'s packing is kept there, a Float32Array per kernel config
//   (keyed by its number), and later calls read B from it instead of packing it again.
//   An entry that does not fit this product (another config, another length) is
//   replaced, so the cache can only be stale if the caller writes B.
//   Reading or writing the cache may run JS (a getter, a setter, a Proxy trap) that
//   detaches or shrinks any argument's buffer: the arguments are read again after the
//   lookup, and a new entry is stored only after the product.
Napi::Value SgemmEx(const Napi::CallbackInfo& info) {
  Args args(info, "sgemmEx");
  if (info.Length() != 16) AXONAL_CHECK(args.count(15));
  axonal::SgemmArgs g;
  F32Arg c;
  AXONAL_CHECK(read_ex_args(info, args, &g, &c));
  if (info.Length() < 16 || info[15].IsUndefined()) return run(info, "sgemmEx", g);
  if (!info[15].IsObject() || info[15].IsTypedArray() || info[15].IsArray() || info[15].IsFunction()) {
    throw_type_error(info.Env(), args.prefix() + "packCache must be a plain object or undefined, but received " + describe(info[15]));
    return Napi::Value();
  }
  const int config = axonal::sgemm_packed_b_config(g);
  if (config == 0) return run(info, "sgemmEx", g);
  Napi::Object cache = info[15].As<Napi::Object>();
  const std::string key = std::to_string(config);
  const std::int64_t floats = axonal::sgemm_packed_b_floats(g);
  Napi::Value have = cache.Get(key);
  if (info.Env().IsExceptionPending()) return Napi::Value();
  AXONAL_CHECK(read_ex_args(info, args, &g, &c));
  axonal::PackedB packed = cached_view(have, g, config, floats, c);
  Napi::Float32Array fresh;
  if (packed.data == nullptr) {
    fresh = Napi::Float32Array::New(info.Env(), static_cast<std::size_t>(floats + kPackSlack));
    if (info.Env().IsExceptionPending()) return Napi::Value();
    if (axonal::sgemm_pack_b(g, aligned_start(fresh.Data()), floats, &packed) != config) packed = axonal::PackedB{};
  }
  if (packed.data != nullptr) g.packed_b = &packed;
  Napi::Value result = run(info, "sgemmEx", g);
  if (result.IsEmpty() || fresh.IsEmpty() || packed.data == nullptr) return result;
  cache.Set(key, fresh);
  return info.Env().IsExceptionPending() ? Napi::Value() : result;
}

// The batch's last item of operand `name` (rows x cols, row stride ld) lies inside buf:
// (count0 - 1) * s0 + (count1 - 1) * s1 + its extent <= length, without overflow.
bool check_batch_extent(const Args& args, const char* name, const F32Arg& buf, std::int64_t rows, std::int64_t cols,
                        std::int64_t ld, const std::int64_t count[2], const std::int64_t stride[2]) {
  if (rows == 0 || cols == 0) return true;
  std::int64_t need = (rows - 1) * ld + cols, step = 0;  // both < 2^62 (dims <= kMaxDim)
  for (int d = 0; d < 2; ++d) {
    if (!checked_mul(count[d] - 1, stride[d], &step) || need > INT64_MAX - step) {
      throw_range_error(args.env(), args.prefix() + name + ": the batch's extent overflows (count" + std::to_string(d) +
                                        " = " + std::to_string(count[d]) + ", stride " + std::to_string(stride[d]) + ")");
      return false;
    }
    need += step;
  }
  return args.min_length(name, buf, need, "the batch's last matrix");
}

// A batch of sgemm products over one set of buffers: item (i, j) for i < count0,
// j < count1 reads a + i * strideA0 + j * strideA1 (likewise b, c) with sgemm's sizes and
// leading dimensions. The items' c blocks must not overlap.
Napi::Value SgemmBatched(const Napi::CallbackInfo& info) {
  Args args(info, "sgemmBatched");
  AXONAL_CHECK(args.count(21));
  std::int64_t count[2] = {0, 0}, sa[2] = {0, 0}, sb[2] = {0, 0}, sc[2] = {0, 0};
  AXONAL_CHECK(args.dim(13, "count0", &count[0]));
  AXONAL_CHECK(args.dim(14, "count1", &count[1]));
  AXONAL_CHECK(args.dim(15, "strideA0", &sa[0]));
  AXONAL_CHECK(args.dim(16, "strideA1", &sa[1]));
  AXONAL_CHECK(args.dim(17, "strideB0", &sb[0]));
  AXONAL_CHECK(args.dim(18, "strideB1", &sb[1]));
  AXONAL_CHECK(args.dim(19, "strideC0", &sc[0]));
  AXONAL_CHECK(args.dim(20, "strideC1", &sc[1]));
  axonal::SgemmArgs g;
  F32Arg c;
  if (count[0] == 0 || count[1] == 0) {  // no product: only the types are checked
    F32Arg a, b;
    AXONAL_CHECK(args.f32(6, "a", &a));
    AXONAL_CHECK(args.f32(8, "b", &b));
    AXONAL_CHECK(args.f32(11, "c", &c));
    return info.Env().Undefined();
  }
  F32Arg a, b;
  AXONAL_CHECK(read_gemm_args(args, &g, &c, &a, &b));
  AXONAL_CHECK(check_batch_extent(args, "a", a, g.trans_a ? g.k : g.m, g.trans_a ? g.m : g.k, g.lda, count, sa));
  AXONAL_CHECK(check_batch_extent(args, "b", b, g.trans_b ? g.n : g.k, g.trans_b ? g.k : g.n, g.ldb, count, sb));
  AXONAL_CHECK(check_batch_extent(args, "c", c, g.m, g.n, g.ldc, count, sc));
  axonal::GemmBatch batch;
  for (int d = 0; d < 2; ++d) {
    batch.count[d] = count[d];
    batch.a_stride[d] = sa[d];
    batch.b_stride[d] = sb[d];
    batch.c_stride[d] = sc[d];
  }
  // Items one zero C stride apart share their block; said at once, as the pairwise check
  // would first step through count1 differences (2 s at count1 = 2^31 - 1, which an
  // empty a and b and a zero stride leave unbounded).
  const bool zero_stride = g.m > 0 && g.n > 0 && ((count[0] > 1 && sc[0] == 0) || (count[1] > 1 && sc[1] == 0));
  if (zero_stride || !axonal::sgemm_batch_outputs_disjoint(g, batch)) {
    throw_range_error(info.Env(), args.prefix() + "c: the batch's " + std::to_string(g.m) + " x " + std::to_string(g.n) +
                                      " output blocks overlap (ldc " + std::to_string(g.ldc) + ", strideC0 " +
                                      std::to_string(sc[0]) + ", strideC1 " + std::to_string(sc[1]) + ")",
                      kCodeAlias);
    return Napi::Value();
  }
  const axonal::Status st = axonal::sgemm_batched(g, batch);
  if (st != axonal::Status::kOk) {
    throw_native_error(info.Env(), std::string("sgemmBatched: ") + axonal::status_name(st));
    return Napi::Value();
  }
  return info.Env().Undefined();
}

}  // namespace

void register_gemm(Napi::Env env, Napi::Object exports) {
  exports.Set("sgemmBatched", Napi::Function::New(env, SgemmBatched, "sgemmBatched"));
  exports.Set("sgemm", Napi::Function::New(env, Sgemm, "sgemm"));
  exports.Set("sgemmEx", Napi::Function::New(env, SgemmEx, "sgemmEx"));
}

}  // namespace axonal_binding
