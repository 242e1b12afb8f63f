#include "binding/addon.h"

#include <cstdlib>

#include "axonal/dispatch.h"
#include "binding/args.h"

namespace axonal_binding {

Addon::Addon(Napi::Env env, Napi::Object exports) {
  // Selection happens once per process; a bad AXONAL_ISA fails every load with the
  // same sentence, so a worker_thread sees the error its parent saw.
  char err[256];
  if (axonal::dispatch_init(std::getenv("AXONAL_ISA"), err, sizeof err) != axonal::Status::kOk) {
    Napi::Error e = Napi::Error::New(env, std::string("axonal: ") + err);
    e.Set("code", Napi::String::New(env, "ERR_AXONAL_ISA"));
    e.ThrowAsJavaScriptException();
    return;
  }
  register_backend(env, exports);
  register_gemm(env, exports);
  register_random(env, exports);
  register_activation(env, exports);
  register_loss(env, exports);
  register_reduce(env, exports);
  register_optim(env, exports);
  register_conv(env, exports);
  register_norm(env, exports);
  register_rnn(env, exports);
  register_gather(env, exports);
  register_select(env, exports);
  register_scan(env, exports);
  register_gather_dim(env, exports);
  register_sort(env, exports);
}

}  // namespace axonal_binding

// The macro pastes the class name into identifiers: it needs an unqualified name.
using AxonalAddon = axonal_binding::Addon;
NODE_API_ADDON(AxonalAddon)
