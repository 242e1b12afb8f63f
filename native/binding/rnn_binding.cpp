// JS entry points for the rnn kernels: argument checks, then one native call.
#include "binding/addon.h"
#include "binding/args.h"

namespace axonal_binding {

void register_rnn(Napi::Env env, Napi::Object exports) {}

}  // namespace axonal_binding
