// The addon instance: per-environment state, so the addon loads in any number of
// worker_threads (context-aware). No static JS handles anywhere in the binding.
#pragma once

#include "binding/napi_config.h"

namespace axonal_binding {

class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports);

  // The JS class thrown for failures that are not argument errors (setErrorClass).
  Napi::FunctionReference error_class;

  static Addon* of(Napi::Env env) { return env.GetInstanceData<Addon>(); }
};

// One function per op family adds that family's exports.
void register_backend(Napi::Env env, Napi::Object exports);
void register_gemm(Napi::Env env, Napi::Object exports);
void register_random(Napi::Env env, Napi::Object exports);
void register_activation(Napi::Env env, Napi::Object exports);
void register_loss(Napi::Env env, Napi::Object exports);
void register_reduce(Napi::Env env, Napi::Object exports);
void register_optim(Napi::Env env, Napi::Object exports);
void register_conv(Napi::Env env, Napi::Object exports);
void register_norm(Napi::Env env, Napi::Object exports);
void register_rnn(Napi::Env env, Napi::Object exports);
void register_gather(Napi::Env env, Napi::Object exports);
void register_select(Napi::Env env, Napi::Object exports);
void register_scan(Napi::Env env, Napi::Object exports);
void register_gather_dim(Napi::Env env, Napi::Object exports);
void register_sort(Napi::Env env, Napi::Object exports);

}  // namespace axonal_binding
