// JS entry points for the optim kernels: argument checks, then one native call.
//   sgdStep(param, grad, momentumBuffer, lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep)
//   adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, step, lr, beta1, beta2, eps, weightDecay, amsgrad,
//            maximize, decoupled)
//   rmspropStep(param, grad, squareAvg, gradAvg, momentumBuffer, lr, alpha, eps, weightDecay, momentum, centered,
//               maximize)
//   adagradStep(param, grad, stateSum, step, lr, lrDecay, eps, weightDecay, maximize)
//   adamaxStep(param, grad, expAvg, expInf, step, lr, beta1, beta2, eps, weightDecay, maximize)
//   nadamStep(param, grad, expAvg, expAvgSq, step, muProduct, lr, beta1, beta2, eps, weightDecay,
//             momentumDecay) -> new muProduct
//   radamStep(param, grad, expAvg, expAvgSq, step, lr, beta1, beta2, eps, weightDecay)
//   clipGradNorm(grads, maxNorm, normType, infNorm, errorIfNonfinite) -> total norm
//   clipGradValue(grad, clipValue)
//   dropoutForward(x, out, mask, p, seed, offset) -> words consumed
//   dropoutBackward(grad, mask, gradX)
//   dropout2dForward(batch, channels, spatial, x, out, mask, p, seed, offset) -> words consumed
//   dropout2dBackward(batch, channels, spatial, grad, mask, gradX)
// `step` is the step count after increment (1 on the first step), as PyTorch's state["step"].
#include <algorithm>
#include <cmath>
#include <vector>

#include "axonal/dropout.h"
#include "axonal/optim.h"
#include "binding/addon.h"
#include "binding/args.h"
#include "binding/reduce_optim_checks.h"

namespace axonal_binding {
namespace {

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

// Param, grad and every state buffer in use: equal lengths, pairwise disjoint.
struct Buffers {
  const char* names[6];
  F32Arg bufs[6];
  int count = 0;
  void add(const char* name, const F32Arg& b) {
    names[count] = name;
    bufs[count] = b;
    ++count;
  }
  bool check(const Args& args) const {
    for (int i = 0; i < count; ++i) {
      for (int j = 0; j < i; ++j) {
        if (!args.disjoint(names[i], bufs[i], names[j], bufs[j])) return false;
      }
    }
    return true;
  }
};

bool betas(const Args& args, double beta1, double beta2) {
  return ro::in_range(args, "beta1", beta1, 0.0, 1.0, true) && ro::in_range(args, "beta2", beta2, 0.0, 1.0, true);
}

// The ranges every Adam-family step shares: lr, eps, weightDecay >= 0 and betas in [0, 1).
bool adam_family_ranges(const Args& args, double lr, double beta1, double beta2, double eps, double weight_decay) {
  return ro::nonneg(args, "lr", lr) && betas(args, beta1, beta2) && ro::nonneg(args, "eps", eps) &&
         ro::nonneg(args, "weightDecay", weight_decay);
}

// Two state buffers as long as param, and param, grad and both states pairwise disjoint.
bool param_and_states(const Args& args, const F32Arg& param, const F32Arg& grad, const char* n0, const F32Arg& s0,
                      const char* n1, const F32Arg& s1) {
  if (!ro::same_length(args, n0, s0, "param", param) || !ro::same_length(args, n1, s1, "param", param)) return false;
  Buffers b;
  b.add("param", param);
  b.add("grad", grad);
  b.add(n0, s0);
  b.add(n1, s1);
  return b.check(args);
}

bool param_grad(const Args& args, F32Arg* param, F32Arg* grad) {
  return args.f32(0, "param", param) && args.f32(1, "grad", grad) && ro::same_length(args, "grad", *grad, "param", *param);
}

Napi::Value SgdStep(const Napi::CallbackInfo& info) {
  Args args(info, "sgdStep");
  F32Arg param, grad, buf;
  axonal::SgdOptions o;
  AXONAL_CHECK(args.count(10));
  AXONAL_CHECK(param_grad(args, &param, &grad));
  AXONAL_CHECK(args.f32(2, "momentumBuffer", &buf));
  AXONAL_CHECK(args.finite(3, "lr", &o.lr));
  AXONAL_CHECK(args.finite(4, "momentum", &o.momentum));
  AXONAL_CHECK(args.finite(5, "dampening", &o.dampening));
  AXONAL_CHECK(args.finite(6, "weightDecay", &o.weight_decay));
  AXONAL_CHECK(args.boolean(7, "nesterov", &o.nesterov));
  AXONAL_CHECK(args.boolean(8, "maximize", &o.maximize));
  AXONAL_CHECK(args.boolean(9, "firstStep", &o.first_step));
  AXONAL_CHECK(ro::nonneg(args, "lr", o.lr));
  AXONAL_CHECK(ro::nonneg(args, "momentum", o.momentum));
  AXONAL_CHECK(ro::nonneg(args, "weightDecay", o.weight_decay));
  if (o.nesterov && (o.momentum <= 0 || o.dampening != 0)) {
    throw_range_error(info.Env(), "sgdStep: nesterov requires momentum > 0 and dampening 0, but received momentum " +
                                      ro::num(o.momentum) + " and dampening " + ro::num(o.dampening));
    return Napi::Value();
  }
  const bool use_buf = o.momentum != 0;
  AXONAL_CHECK(ro::state_length(args, "momentumBuffer", buf, param, use_buf, "when momentum != 0"));
  Buffers b;
  b.add("param", param);
  b.add("grad", grad);
  if (use_buf) b.add("momentumBuffer", buf);
  AXONAL_CHECK(b.check(args));
  axonal::sgd_step(param.length, param.data, grad.data, use_buf ? buf.data : nullptr, o);
  return info.Env().Undefined();
}

Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  Args args(info, "adamStep");
  F32Arg param, grad, m, v, vmax;
  std::int64_t step = 0;
  axonal::AdamOptions o;
  AXONAL_CHECK(args.count(14));
  AXONAL_CHECK(param_grad(args, &param, &grad));
  AXONAL_CHECK(args.f32(2, "expAvg", &m));
  AXONAL_CHECK(args.f32(3, "expAvgSq", &v));
  AXONAL_CHECK(args.f32(4, "maxExpAvgSq", &vmax));
  AXONAL_CHECK(args.integer(5, "step", 1, kMaxSafeInteger, &step));
  AXONAL_CHECK(args.finite(6, "lr", &o.lr));
  AXONAL_CHECK(args.finite(7, "beta1", &o.beta1));
  AXONAL_CHECK(args.finite(8, "beta2", &o.beta2));
  AXONAL_CHECK(args.finite(9, "eps", &o.eps));
  AXONAL_CHECK(args.finite(10, "weightDecay", &o.weight_decay));
  AXONAL_CHECK(args.boolean(11, "amsgrad", &o.amsgrad));
  AXONAL_CHECK(args.boolean(12, "maximize", &o.maximize));
  AXONAL_CHECK(args.boolean(13, "decoupled", &o.decoupled));
  AXONAL_CHECK(adam_family_ranges(args, o.lr, o.beta1, o.beta2, o.eps, o.weight_decay));
  AXONAL_CHECK(ro::same_length(args, "expAvg", m, "param", param));
  AXONAL_CHECK(ro::same_length(args, "expAvgSq", v, "param", param));
  AXONAL_CHECK(ro::state_length(args, "maxExpAvgSq", vmax, param, o.amsgrad, "when amsgrad"));
  o.step = static_cast<double>(step);
  Buffers b;
  b.add("param", param);
  b.add("grad", grad);
  b.add("expAvg", m);
  b.add("expAvgSq", v);
  if (o.amsgrad) b.add("maxExpAvgSq", vmax);
  AXONAL_CHECK(b.check(args));
  axonal::adam_step(param.length, param.data, grad.data, m.data, v.data, o.amsgrad ? vmax.data : nullptr, o);
  return info.Env().Undefined();
}

Napi::Value RmspropStep(const Napi::CallbackInfo& info) {
  Args args(info, "rmspropStep");
  F32Arg param, grad, sq, ga, buf;
  axonal::RmspropOptions o;
  AXONAL_CHECK(args.count(12));
  AXONAL_CHECK(param_grad(args, &param, &grad));
  AXONAL_CHECK(args.f32(2, "squareAvg", &sq));
  AXONAL_CHECK(args.f32(3, "gradAvg", &ga));
  AXONAL_CHECK(args.f32(4, "momentumBuffer", &buf));
  AXONAL_CHECK(args.finite(5, "lr", &o.lr));
  AXONAL_CHECK(args.finite(6, "alpha", &o.alpha));
  AXONAL_CHECK(args.finite(7, "eps", &o.eps));
  AXONAL_CHECK(args.finite(8, "weightDecay", &o.weight_decay));
  AXONAL_CHECK(args.finite(9, "momentum", &o.momentum));
  AXONAL_CHECK(args.boolean(10, "centered", &o.centered));
  AXONAL_CHECK(args.boolean(11, "maximize", &o.maximize));
  AXONAL_CHECK(ro::nonneg(args, "lr", o.lr));
  AXONAL_CHECK(ro::nonneg(args, "alpha", o.alpha));
  AXONAL_CHECK(ro::nonneg(args, "eps", o.eps));
  AXONAL_CHECK(ro::nonneg(args, "weightDecay", o.weight_decay));
  AXONAL_CHECK(ro::nonneg(args, "momentum", o.momentum));
  AXONAL_CHECK(ro::same_length(args, "squareAvg", sq, "param", param));
  AXONAL_CHECK(ro::state_length(args, "gradAvg", ga, param, o.centered, "when centered"));
  const bool use_buf = o.momentum > 0;
  AXONAL_CHECK(ro::state_length(args, "momentumBuffer", buf, param, use_buf, "when momentum > 0"));
  Buffers b;
  b.add("param", param);
  b.add("grad", grad);
  b.add("squareAvg", sq);
  if (o.centered) b.add("gradAvg", ga);
  if (use_buf) b.add("momentumBuffer", buf);
  AXONAL_CHECK(b.check(args));
  axonal::rmsprop_step(param.length, param.data, grad.data, sq.data, o.centered ? ga.data : nullptr,
                       use_buf ? buf.data : nullptr, o);
  return info.Env().Undefined();
}

Napi::Value AdagradStep(const Napi::CallbackInfo& info) {
  Args args(info, "adagradStep");
  F32Arg param, grad, sum;
  std::int64_t step = 0;
  axonal::AdagradOptions o;
  AXONAL_CHECK(args.count(9));
  AXONAL_CHECK(param_grad(args, &param, &grad));
  AXONAL_CHECK(args.f32(2, "stateSum", &sum));
  AXONAL_CHECK(args.integer(3, "step", 1, kMaxSafeInteger, &step));
  AXONAL_CHECK(args.finite(4, "lr", &o.lr));
  AXONAL_CHECK(args.finite(5, "lrDecay", &o.lr_decay));
  AXONAL_CHECK(args.finite(6, "eps", &o.eps));
  AXONAL_CHECK(args.finite(7, "weightDecay", &o.weight_decay));
  AXONAL_CHECK(args.boolean(8, "maximize", &o.maximize));
  AXONAL_CHECK(ro::nonneg(args, "lr", o.lr));
  AXONAL_CHECK(ro::nonneg(args, "lrDecay", o.lr_decay));
  AXONAL_CHECK(ro::nonneg(args, "eps", o.eps));
  AXONAL_CHECK(ro::nonneg(args, "weightDecay", o.weight_decay));
  AXONAL_CHECK(ro::same_length(args, "stateSum", sum, "param", param));
  o.step = static_cast<double>(step);
  Buffers b;
  b.add("param", param);
  b.add("grad", grad);
  b.add("stateSum", sum);
  AXONAL_CHECK(b.check(args));
  axonal::adagrad_step(param.length, param.data, grad.data, sum.data, o);
  return info.Env().Undefined();
}

Napi::Value AdamaxStep(const Napi::CallbackInfo& info) {
  Args args(info, "adamaxStep");
  F32Arg param, grad, m, u;
  std::int64_t step = 0;
  axonal::AdamaxOptions o;
  AXONAL_CHECK(args.count(11));
  AXONAL_CHECK(param_grad(args, &param, &grad));
  AXONAL_CHECK(args.f32(2, "expAvg", &m));
  AXONAL_CHECK(args.f32(3, "expInf", &u));
  AXONAL_CHECK(args.integer(4, "step", 1, kMaxSafeInteger, &step));
  AXONAL_CHECK(args.finite(5, "lr", &o.lr));
  AXONAL_CHECK(args.finite(6, "beta1", &o.beta1));
  AXONAL_CHECK(args.finite(7, "beta2", &o.beta2));
  AXONAL_CHECK(args.finite(8, "eps", &o.eps));
  AXONAL_CHECK(args.finite(9, "weightDecay", &o.weight_decay));
  AXONAL_CHECK(args.boolean(10, "maximize", &o.maximize));
  AXONAL_CHECK(adam_family_ranges(args, o.lr, o.beta1, o.beta2, o.eps, o.weight_decay));
  o.step = static_cast<double>(step);
  AXONAL_CHECK(param_and_states(args, param, grad, "expAvg", m, "expInf", u));
  axonal::adamax_step(param.length, param.data, grad.data, m.data, u.data, o);
  return info.Env().Undefined();
}

Napi::Value NadamStep(const Napi::CallbackInfo& info) {
  Args args(info, "nadamStep");
  F32Arg param, grad, m, v;
  std::int64_t step = 0;
  double mu_product = 1;
  axonal::NadamOptions o;
  AXONAL_CHECK(args.count(12));
  AXONAL_CHECK(param_grad(args, &param, &grad));
  AXONAL_CHECK(args.f32(2, "expAvg", &m));
  AXONAL_CHECK(args.f32(3, "expAvgSq", &v));
  AXONAL_CHECK(args.integer(4, "step", 1, kMaxSafeInteger, &step));
  AXONAL_CHECK(args.finite(5, "muProduct", &mu_product));
  AXONAL_CHECK(args.finite(6, "lr", &o.lr));
  AXONAL_CHECK(args.finite(7, "beta1", &o.beta1));
  AXONAL_CHECK(args.finite(8, "beta2", &o.beta2));
  AXONAL_CHECK(args.finite(9, "eps", &o.eps));
  AXONAL_CHECK(args.finite(10, "weightDecay", &o.weight_decay));
  AXONAL_CHECK(args.finite(11, "momentumDecay", &o.momentum_decay));
  AXONAL_CHECK(ro::in_range(args, "muProduct", mu_product, 0.0, 1.0, false));
  AXONAL_CHECK(adam_family_ranges(args, o.lr, o.beta1, o.beta2, o.eps, o.weight_decay));
  AXONAL_CHECK(ro::nonneg(args, "momentumDecay", o.momentum_decay));
  o.step = static_cast<double>(step);
  o.mu_product = static_cast<float>(mu_product);
  AXONAL_CHECK(param_and_states(args, param, grad, "expAvg", m, "expAvgSq", v));
  const float next = axonal::nadam_step(param.length, param.data, grad.data, m.data, v.data, o);
  return Napi::Number::New(info.Env(), static_cast<double>(next));
}

Napi::Value RadamStep(const Napi::CallbackInfo& info) {
  Args args(info, "radamStep");
  F32Arg param, grad, m, v;
  std::int64_t step = 0;
  axonal::RadamOptions o;
  AXONAL_CHECK(args.count(10));
  AXONAL_CHECK(param_grad(args, &param, &grad));
  AXONAL_CHECK(args.f32(2, "expAvg", &m));
  AXONAL_CHECK(args.f32(3, "expAvgSq", &v));
  AXONAL_CHECK(args.integer(4, "step", 1, kMaxSafeInteger, &step));
  AXONAL_CHECK(args.finite(5, "lr", &o.lr));
  AXONAL_CHECK(args.finite(6, "beta1", &o.beta1));
  AXONAL_CHECK(args.finite(7, "beta2", &o.beta2));
  AXONAL_CHECK(args.finite(8, "eps", &o.eps));
  AXONAL_CHECK(args.finite(9, "weightDecay", &o.weight_decay));
  AXONAL_CHECK(adam_family_ranges(args, o.lr, o.beta1, o.beta2, o.eps, o.weight_decay));
  o.step = static_cast<double>(step);
  AXONAL_CHECK(param_and_states(args, param, grad, "expAvg", m, "expAvgSq", v));
  axonal::radam_step(param.length, param.data, grad.data, m.data, v.data, o);
  return info.Env().Undefined();
}

Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  Args args(info, "clipGradNorm");
  double max_norm = 0, norm_type = 2;
  bool inf_norm = false, error_if_nonfinite = false;
  AXONAL_CHECK(args.count(5));
  Napi::Value list = info[0];
  if (!list.IsArray()) {
    throw_type_error(info.Env(), "clipGradNorm: grads must be an Array of Float32Array, but received " + describe(list));
    return Napi::Value();
  }
  AXONAL_CHECK(args.finite(1, "maxNorm", &max_norm));
  AXONAL_CHECK(args.finite(2, "normType", &norm_type));
  AXONAL_CHECK(args.boolean(3, "infNorm", &inf_norm));
  AXONAL_CHECK(args.boolean(4, "errorIfNonfinite", &error_if_nonfinite));
  AXONAL_CHECK(ro::nonneg(args, "maxNorm", max_norm));
  if (!inf_norm && !(norm_type > 0)) {
    throw_range_error(info.Env(), "clipGradNorm: normType must be > 0, but received " + ro::num(norm_type));
    return Napi::Value();
  }
  Napi::Array arr = list.As<Napi::Array>();
  const std::uint32_t count = arr.Length();
  if (count > 1000000) {
    throw_range_error(info.Env(), "clipGradNorm: grads must hold at most 1000000 tensors, but holds " + std::to_string(count));
    return Napi::Value();
  }
  // Reading an item may run JS (an accessor) that detaches or shrinks an item read before
  // it: every item is read first, and only then are their pointers borrowed.
  std::vector<Napi::Value> items(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    items[i] = arr.Get(i);
    if (info.Env().IsExceptionPending()) return Napi::Value();
  }
  std::vector<F32Arg> grads(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const Napi::Value& v = items[i];
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      throw_type_error(info.Env(), "clipGradNorm: grads[" + std::to_string(i) + "] must be a Float32Array, but received " +
                                       describe(v));
      return Napi::Value();
    }
    Napi::Float32Array a = v.As<Napi::Float32Array>();
    bool detached = false;
    if (napi_is_detached_arraybuffer(info.Env(), a.ArrayBuffer(), &detached) != napi_ok || detached) {
      throw_type_error(info.Env(), "clipGradNorm: grads[" + std::to_string(i) +
                                       "] is a Float32Array whose buffer has been detached (transferred)");
      return Napi::Value();
    }
    grads[i].data = a.Data();
    grads[i].length = static_cast<std::int64_t>(a.ElementLength());
  }
  // Scaling in place: two entries sharing memory would be scaled twice. Sorted by
  // start address, only neighbours can overlap first.
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (grads[i].length > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) { return grads[x].data < grads[y].data; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const std::uint32_t i = order[k], j = order[k - 1];
    const std::string ni = "grads[" + std::to_string(i) + "]", nj = "grads[" + std::to_string(j) + "]";
    AXONAL_CHECK(args.disjoint(ni.c_str(), grads[i], nj.c_str(), grads[j]));
  }
  std::vector<float*> ptrs(count);
  std::vector<std::ptrdiff_t> lens(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    ptrs[i] = grads[i].data;
    lens[i] = grads[i].length;
  }
  double total = 0;
  const axonal::Status st = axonal::clip_grad_norm(static_cast<int>(count), ptrs.data(), lens.data(), max_norm, norm_type,
                                                   inf_norm, error_if_nonfinite, &total);
  if (st != axonal::Status::kOk) {
    throw_native_error(info.Env(),
                       "clipGradNorm: the total norm of order " + (inf_norm ? std::string("inf") : ro::num(norm_type)) +
                           " of the gradients is non-finite (" + ro::num(total) +
                           "), so it cannot be clipped; pass errorIfNonfinite false to scale by it anyway",
                       "ERR_AXONAL_NONFINITE");
    return Napi::Value();
  }
  return Napi::Number::New(info.Env(), total);
}

Napi::Value ClipGradValue(const Napi::CallbackInfo& info) {
  Args args(info, "clipGradValue");
  F32Arg grad;
  double clip = 0;
  AXONAL_CHECK(args.count(2));
  AXONAL_CHECK(args.f32(0, "grad", &grad));
  AXONAL_CHECK(args.finite(1, "clipValue", &clip));
  AXONAL_CHECK(ro::nonneg(args, "clipValue", clip));
  axonal::clip_grad_value(grad.length, grad.data, static_cast<float>(clip));
  return info.Env().Undefined();
}

bool dropout_p(const Args& args, std::size_t i, double* p) {
  return args.finite(i, "p", p) && ro::in_range(args, "p", *p, 0.0, 1.0, false);
}

bool seed_offset(const Args& args, std::size_t i, std::int64_t* seed, std::int64_t* offset) {
  if (!args.integer(i, "seed", 0, kMaxSafeInteger, seed) || !args.integer(i + 1, "offset", 0, kMaxSafeInteger, offset))
    return false;
  if (*offset % 4 == 0) return true;
  throw_range_error(args.env(), args.prefix() + "offset must be a multiple of 4, but received " + std::to_string(*offset));
  return false;
}

Napi::Value DropoutForward(const Napi::CallbackInfo& info) {
  Args args(info, "dropoutForward");
  F32Arg x, out, mask;
  double p = 0;
  std::int64_t seed = 0, offset = 0;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(args.f32(0, "x", &x));
  AXONAL_CHECK(args.f32(1, "out", &out));
  AXONAL_CHECK(args.f32(2, "mask", &mask));
  AXONAL_CHECK(dropout_p(args, 3, &p));
  AXONAL_CHECK(seed_offset(args, 4, &seed, &offset));
  AXONAL_CHECK(ro::same_length(args, "out", out, "x", x));
  AXONAL_CHECK(ro::same_length(args, "mask", mask, "x", x));
  AXONAL_CHECK(ro::same_or_disjoint(args, "out", out, "x", x));
  AXONAL_CHECK(args.disjoint("mask", mask, "x", x));
  AXONAL_CHECK(args.disjoint("mask", mask, "out", out));
  const std::uint64_t words = axonal::dropout_forward(x.length, x.data, out.data, mask.data, static_cast<float>(p),
                                                      static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(offset));
  return Napi::Number::New(info.Env(), static_cast<double>(words));
}

Napi::Value DropoutBackward(const Napi::CallbackInfo& info) {
  Args args(info, "dropoutBackward");
  F32Arg grad, mask, gx;
  AXONAL_CHECK(args.count(3));
  AXONAL_CHECK(args.f32(0, "grad", &grad));
  AXONAL_CHECK(args.f32(1, "mask", &mask));
  AXONAL_CHECK(args.f32(2, "gradX", &gx));
  AXONAL_CHECK(ro::same_length(args, "mask", mask, "grad", grad));
  AXONAL_CHECK(ro::same_length(args, "gradX", gx, "grad", grad));
  AXONAL_CHECK(ro::same_or_disjoint(args, "gradX", gx, "grad", grad));
  AXONAL_CHECK(ro::same_or_disjoint(args, "gradX", gx, "mask", mask));
  axonal::dropout_backward(grad.length, grad.data, mask.data, gx.data);
  return info.Env().Undefined();
}

bool channel_dims(const Args& args, std::int64_t* batch, std::int64_t* channels, std::int64_t* spatial,
                  std::int64_t* planes, std::int64_t* n) {
  if (!args.dim(0, "batch", batch) || !args.dim(1, "channels", channels) || !args.dim(2, "spatial", spatial)) return false;
  if (checked_mul(*batch, *channels, planes) && checked_mul(*planes, *spatial, n) && *n <= kMaxSafeInteger) return true;
  throw_range_error(args.env(), args.prefix() + "batch x channels x spatial is too large");
  return false;
}

std::string nchw(std::int64_t b, std::int64_t c, std::int64_t s) {
  return "a [" + std::to_string(b) + ", " + std::to_string(c) + ", " + std::to_string(s) + "] input";
}

Napi::Value Dropout2dForward(const Napi::CallbackInfo& info) {
  Args args(info, "dropout2dForward");
  std::int64_t batch = 0, channels = 0, spatial = 0, planes = 0, n = 0, seed = 0, offset = 0;
  F32Arg x, out, mask;
  double p = 0;
  AXONAL_CHECK(args.count(9));
  AXONAL_CHECK(channel_dims(args, &batch, &channels, &spatial, &planes, &n));
  AXONAL_CHECK(args.f32(3, "x", &x));
  AXONAL_CHECK(args.f32(4, "out", &out));
  AXONAL_CHECK(args.f32(5, "mask", &mask));
  AXONAL_CHECK(dropout_p(args, 6, &p));
  AXONAL_CHECK(seed_offset(args, 7, &seed, &offset));
  AXONAL_CHECK(args.exact_length("x", x, n, nchw(batch, channels, spatial)));
  AXONAL_CHECK(args.exact_length("out", out, n, nchw(batch, channels, spatial)));
  AXONAL_CHECK(args.exact_length("mask", mask, planes, "one value per (batch, channel)"));
  AXONAL_CHECK(ro::same_or_disjoint(args, "out", out, "x", x));
  AXONAL_CHECK(args.disjoint("mask", mask, "x", x));
  AXONAL_CHECK(args.disjoint("mask", mask, "out", out));
  const std::uint64_t words =
      axonal::dropout_channel_forward(batch, channels, spatial, x.data, out.data, mask.data, static_cast<float>(p),
                                      static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(offset));
  return Napi::Number::New(info.Env(), static_cast<double>(words));
}

Napi::Value Dropout2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "dropout2dBackward");
  std::int64_t batch = 0, channels = 0, spatial = 0, planes = 0, n = 0;
  F32Arg grad, mask, gx;
  AXONAL_CHECK(args.count(6));
  AXONAL_CHECK(channel_dims(args, &batch, &channels, &spatial, &planes, &n));
  AXONAL_CHECK(args.f32(3, "grad", &grad));
  AXONAL_CHECK(args.f32(4, "mask", &mask));
  AXONAL_CHECK(args.f32(5, "gradX", &gx));
  AXONAL_CHECK(args.exact_length("grad", grad, n, nchw(batch, channels, spatial)));
  AXONAL_CHECK(args.exact_length("mask", mask, planes, "one value per (batch, channel)"));
  AXONAL_CHECK(args.exact_length("gradX", gx, n, nchw(batch, channels, spatial)));
  AXONAL_CHECK(ro::same_or_disjoint(args, "gradX", gx, "grad", grad));
  AXONAL_CHECK(args.disjoint("gradX", gx, "mask", mask));
  axonal::dropout_channel_backward(batch, channels, spatial, grad.data, mask.data, gx.data);
  return info.Env().Undefined();
}

}  // namespace

void register_optim(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdStep", Napi::Function::New(env, SgdStep, "sgdStep"));
  exports.Set("adamStep", Napi::Function::New(env, AdamStep, "adamStep"));
  exports.Set("rmspropStep", Napi::Function::New(env, RmspropStep, "rmspropStep"));
  exports.Set("adagradStep", Napi::Function::New(env, AdagradStep, "adagradStep"));
  exports.Set("adamaxStep", Napi::Function::New(env, AdamaxStep, "adamaxStep"));
  exports.Set("nadamStep", Napi::Function::New(env, NadamStep, "nadamStep"));
  exports.Set("radamStep", Napi::Function::New(env, RadamStep, "radamStep"));
  exports.Set("clipGradNorm", Napi::Function::New(env, ClipGradNorm, "clipGradNorm"));
  exports.Set("clipGradValue", Napi::Function::New(env, ClipGradValue, "clipGradValue"));
  exports.Set("dropoutForward", Napi::Function::New(env, DropoutForward, "dropoutForward"));
  exports.Set("dropoutBackward", Napi::Function::New(env, DropoutBackward, "dropoutBackward"));
  exports.Set("dropout2dForward", Napi::Function::New(env, Dropout2dForward, "dropout2dForward"));
  exports.Set("dropout2dBackward", Napi::Function::New(env, Dropout2dBackward, "dropout2dBackward"));
}

}  // namespace axonal_binding
