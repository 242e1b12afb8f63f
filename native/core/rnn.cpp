// Recurrent-cell drivers: split the rows of one time step into size-determined
// blocks and run the active ISA's fused gate kernels on the thread pool. Every
// element is computed independently, so results do not depend on the split.
#include "axonal/rnn.h"

#include "axonal/dispatch.h"
#include "axonal/threadpool.h"

namespace axonal {
namespace {

// Hidden units per task (gate math is a few dozen flops per unit).
constexpr std::ptrdiff_t kGrain = 1 << 13;

bool bad_sizes(std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept { return rows < 0 || hidden < 0; }

// Runs f(r0, nrows) over blocks of rows.
template <class F>
void over_rows(std::ptrdiff_t rows, std::ptrdiff_t hidden, const F& f) noexcept {
  std::ptrdiff_t per = kGrain / (hidden > 0 ? hidden : 1);
  if (per < 1) per = 1;
  const std::ptrdiff_t tasks = (rows + per - 1) / per;
  if (tasks == 1) {
    f(std::ptrdiff_t{0}, rows);
    return;
  }
  parallel_for(tasks, [&](std::ptrdiff_t t) {
    const std::ptrdiff_t r0 = t * per;
    f(r0, rows - r0 < per ? rows - r0 : per);
  });
}

inline std::size_t sz(std::ptrdiff_t v) noexcept { return static_cast<std::size_t>(v); }

}  // namespace

Status lstm_cell_fwd(const float* gi, const float* gh, const float* bih, const float* bhh, const float* c_prev,
                     float* h, float* c, float* save, std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept {
  if (bad_sizes(rows, hidden)) return Status::kInvalidArgument;
  if (rows == 0 || hidden == 0) return Status::kOk;
  const LstmFwdFn fn = kernels().rnn->lstm_fwd;
  const std::ptrdiff_t H = hidden;
  over_rows(rows, H, [&](std::ptrdiff_t r0, std::ptrdiff_t n) {
    fn(gi + r0 * 4 * H, gh + r0 * 4 * H, bih, bhh, c_prev + r0 * H, h + r0 * H, c + r0 * H, save + r0 * 5 * H, sz(n),
       sz(H));
  });
  return Status::kOk;
}

Status lstm_cell_bwd(const float* dh, const float* dc, const float* c_prev, const float* save, float* dgates,
                     float* dc_prev, std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept {
  if (bad_sizes(rows, hidden)) return Status::kInvalidArgument;
  if (rows == 0 || hidden == 0) return Status::kOk;
  const LstmBwdFn fn = kernels().rnn->lstm_bwd;
  const std::ptrdiff_t H = hidden;
  over_rows(rows, H, [&](std::ptrdiff_t r0, std::ptrdiff_t n) {
    fn(dh + r0 * H, dc + r0 * H, c_prev + r0 * H, save + r0 * 5 * H, dgates + r0 * 4 * H, dc_prev + r0 * H, sz(n),
       sz(H));
  });
  return Status::kOk;
}

Status gru_cell_fwd(const float* gi, const float* gh, const float* bih, const float* bhh, const float* h_prev, float* h,
                    float* save, std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept {
  if (bad_sizes(rows, hidden)) return Status::kInvalidArgument;
  if (rows == 0 || hidden == 0) return Status::kOk;
  const GruFwdFn fn = kernels().rnn->gru_fwd;
  const std::ptrdiff_t H = hidden;
  over_rows(rows, H, [&](std::ptrdiff_t r0, std::ptrdiff_t n) {
    fn(gi + r0 * 3 * H, gh + r0 * 3 * H, bih, bhh, h_prev + r0 * H, h + r0 * H, save + r0 * 4 * H, sz(n), sz(H));
  });
  return Status::kOk;
}

Status gru_cell_bwd(const float* dh, const float* h_prev, const float* save, float* dgi, float* dgh, float* dh_prev,
                    std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept {
  if (bad_sizes(rows, hidden)) return Status::kInvalidArgument;
  if (rows == 0 || hidden == 0) return Status::kOk;
  const GruBwdFn fn = kernels().rnn->gru_bwd;
  const std::ptrdiff_t H = hidden;
  over_rows(rows, H, [&](std::ptrdiff_t r0, std::ptrdiff_t n) {
    fn(dh + r0 * H, h_prev + r0 * H, save + r0 * 4 * H, dgi + r0 * 3 * H, dgh + r0 * 3 * H, dh_prev + r0 * H, sz(n),
       sz(H));
  });
  return Status::kOk;
}

Status rnn_cell_fwd(bool relu, const float* gi, const float* gh, const float* bih, const float* bhh, float* h,
                    std::ptrdiff_t rows, std::ptrdiff_t hidden) noexcept {
  if (bad_sizes(rows, hidden)) return Status::kInvalidArgument;
  if (rows == 0 || hidden == 0) return Status::kOk;
  const RnnFwdFn fn = relu ? kernels().rnn->rnn_relu_fwd : kernels().rnn->rnn_tanh_fwd;
  const std::ptrdiff_t H = hidden;
  over_rows(rows, H, [&](std::ptrdiff_t r0, std::ptrdiff_t n) {
    fn(gi + r0 * H, gh + r0 * H, bih, bhh, h + r0 * H, sz(n), sz(H));
  });
  return Status::kOk;
}

Status rnn_cell_bwd(bool relu, const float* dh, const float* h, float* dgates, std::ptrdiff_t rows,
                    std::ptrdiff_t hidden) noexcept {
  if (bad_sizes(rows, hidden)) return Status::kInvalidArgument;
  if (rows == 0 || hidden == 0) return Status::kOk;
  const RnnBwdFn fn = relu ? kernels().rnn->rnn_relu_bwd : kernels().rnn->rnn_tanh_bwd;
  const std::ptrdiff_t H = hidden;
  over_rows(rows, H, [&](std::ptrdiff_t r0, std::ptrdiff_t n) {
    fn(dh + r0 * H, h + r0 * H, dgates + r0 * H, sz(n), sz(H));
  });
  return Status::kOk;
}

}  // namespace axonal
