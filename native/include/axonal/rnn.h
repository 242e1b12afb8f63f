// Recurrent-cell drivers: one time step of the fused LSTM / GRU / Elman gate math
// over [rows, hidden] (layouts and formulas in kernels/rnn_kernels.h), split over
// the thread pool in blocks of rows whose boundaries depend only on the sizes.
#pragma once

#include <cstddef>

#include "axonal/kernels/rnn_kernels.h"
#include "axonal/status.h"

namespace axonal {

Status lstm_cell_fwd(const float* gi, const float* gh, const float* bih, const float* bhh, const float* c_prev,
                     float* h, float* c, float* save, std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept;
Status lstm_cell_bwd(const float* dh, const float* dc, const float* c_prev, const float* save, float* dgates,
                     float* dc_prev, std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept;
Status gru_cell_fwd(const float* gi, const float* gh, const float* bih, const float* bhh, const float* h_prev, float* h,
                    float* save, std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept;
Status gru_cell_bwd(const float* dh, const float* h_prev, const float* save, float* dgi, float* dgh, float* dh_prev,
                    std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept;
// relu selects the nonlinearity (false: tanh).
Status rnn_cell_fwd(bool relu, const float* gi, const float* gh, const float* bih, const float* bhh, float* h,
                    std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept;
Status rnn_cell_bwd(bool relu, const float* dh, const float* h, float* dgates, std::ptrdiff_t rows,
                    std::ptrdiff_t hidden) noexcept;

}  // namespace axonal
