// Per-ISA rnn kernels: the fused gate math of one time step of an LSTM, GRU or
// Elman RNN cell, forward and backward, over `rows` batch rows of `hidden` units.
// The matrix products around them (x W_ih^T for all steps at once, h W_hh^T per
// step, and the weight/input gradients) run on sgemm; these kernels do everything
// elementwise in between. Formulas and gate orders follow PyTorch 1.13
// (aten/src/ATen/native/RNN.cpp): LSTM gates i,f,g,o; GRU gates r,z,n with
// n = tanh(gi_n + b_in + r * (gh_n + b_hn)).
//
// Layouts (row-major, contiguous): gi, gh [rows, G*hidden] (G = 4 LSTM, 3 GRU,
// 1 RNN) hold x W_ih^T and h W_hh^T without biases; bih, bhh [G*hidden] are the
// biases (zeros when the layer has none); state arrays are [rows, hidden].
// Outputs never alias inputs.
#pragma once

#include <cstddef>
#include <cstdint>

namespace axonal {

// LSTM step forward. a = gi + bih + gh + bhh; i,f,o = sigmoid, g = tanh;
// c = f*c_prev + i*g; h = o*tanh(c). save [rows, 5*hidden] = i, f, g, o, tanh(c).
typedef void (*LstmFwdFn)(const float* gi, const float* gh, const float* bih, const float* bhh, const float* c_prev,
                          float* h, float* c, float* save, std::size_t rows, std::size_t hidden) noexcept;
// LSTM step backward from dh (gradient of h) and dc (gradient of c from later steps
// and the final state): dgates [rows, 4*hidden] = gradient of the pre-activations
// (of gi and of gh alike), dc_prev = dc_total * f.
typedef void (*LstmBwdFn)(const float* dh, const float* dc, const float* c_prev, const float* save, float* dgates,
                          float* dc_prev, std::size_t rows, std::size_t hidden) noexcept;
// GRU step forward. r,z = sigmoid(gi + bih + gh + bhh); hn = gh_n + bhh_n;
// n = tanh(gi_n + bih_n + r*hn); h = (1-z)*n + z*h_prev.
// save [rows, 4*hidden] = r, z, n, hn.
typedef void (*GruFwdFn)(const float* gi, const float* gh, const float* bih, const float* bhh, const float* h_prev,
                         float* h, float* save, std::size_t rows, std::size_t hidden) noexcept;
// GRU step backward from dh: dgi [rows, 3*hidden] (gradient of gi, = of bih),
// dgh [rows, 3*hidden] (gradient of gh, = of bhh), dh_prev = dh*z (the direct
// path; the caller adds dgh W_hh).
typedef void (*GruBwdFn)(const float* dh, const float* h_prev, const float* save, float* dgi, float* dgh,
                         float* dh_prev, std::size_t rows, std::size_t hidden) noexcept;
// Elman step forward: h = act(gi + bih + gh + bhh), act = tanh or relu.
typedef void (*RnnFwdFn)(const float* gi, const float* gh, const float* bih, const float* bhh, float* h,
                         std::size_t rows, std::size_t hidden) noexcept;
// Elman step backward from the step's output h: dgates = dh * act'(h).
typedef void (*RnnBwdFn)(const float* dh, const float* h, float* dgates, std::size_t rows, std::size_t hidden) noexcept;

struct RnnKernels {
  LstmFwdFn lstm_fwd;
  LstmBwdFn lstm_bwd;
  GruFwdFn gru_fwd;
  GruBwdFn gru_bwd;
  RnnFwdFn rnn_tanh_fwd;
  RnnBwdFn rnn_tanh_bwd;
  RnnFwdFn rnn_relu_fwd;
  RnnBwdFn rnn_relu_bwd;
};

namespace scalar { const RnnKernels& rnn_kernels() noexcept; }
#if defined(AXONAL_HAVE_X86_KERNELS)
namespace avx2 { const RnnKernels& rnn_kernels() noexcept; }
namespace avx512 { const RnnKernels& rnn_kernels() noexcept; }
#endif
#if defined(AXONAL_HAVE_NEON_KERNELS)
namespace neon { const RnnKernels& rnn_kernels() noexcept; }
#endif

}  // namespace axonal
