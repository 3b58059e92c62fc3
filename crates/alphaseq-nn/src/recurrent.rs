//! What the recurrent layers (LSTM, GRU, simple RNN) share: the input projection of all steps in
//! one GEMM, the last step of a feature-major sequence, and the weight gradients as large GEMMs
//! over all steps. Data are feature-major `[features][T*B]`, column `t*B + b`.

use crate::gemm::{matmul, matmul_strided, Mat, Op};
use crate::real::Real;

/// `out = W x + b` for all `n` columns: `w` is `[rows][input]`, `x` `[input][n]`, `out` `[rows][n]`.
pub fn project<T: Real>(
    w: &[T],
    bias: &[T],
    x: &[T],
    rows: usize,
    input: usize,
    n: usize,
    out: &mut Vec<T>,
) {
    out.resize(rows * n, T::ZERO);
    matmul(rows, n, input, w, Op::N, x, Op::N, out, false);
    for (row, b) in out.chunks_exact_mut(n).zip(bias) {
        row.iter_mut().for_each(|z| *z += *b);
    }
}

/// The last step's columns of `h` (`[units][steps*batch]`), as `[units][batch]`.
pub fn last_step<T: Real>(h: &[T], units: usize, steps: usize, batch: usize) -> Vec<T> {
    let (n, last) = (steps * batch, (steps - 1) * batch);
    (0..units).flat_map(|j| h[j * n + last..j * n + last + batch].iter().copied()).collect()
}

/// Adds row sums of `d` (`[rows][n]`) to `grad`.
pub fn add_row_sums<T: Real>(grad: &mut [T], d: &[T], n: usize) {
    for (g, row) in grad.iter_mut().zip(d.chunks_exact(n)) {
        *g += row.iter().fold(T::ZERO, |s, v| s + *v);
    }
}

/// `grad_w_hh += D_{1..T} H_{0..T-1}^T`: the recurrent weight gradient of all steps in one GEMM,
/// with `d` `[rows][steps*batch]` the pre-activation gradients and `h` `[units][steps*batch]`.
pub fn recurrent_weight_grad<T: Real>(
    grad_w_hh: &mut [T],
    d: &[T],
    h: &[T],
    rows: usize,
    units: usize,
    steps: usize,
    batch: usize,
) {
    if steps > 1 {
        let n = steps * batch;
        let later = Mat { data: &d[batch..], ld: n, op: Op::N };
        let earlier = Mat { data: h, ld: n, op: Op::T };
        matmul_strided(rows, units, n - batch, later, earlier, grad_w_hh, units, true);
    }
}

/// `grad_w_ih += D X^T` and, when asked, `dX = W_ih^T D`.
#[allow(clippy::too_many_arguments)]
pub fn input_grads<T: Real>(
    grad_w_ih: &mut [T],
    w_ih: &[T],
    d: &[T],
    x: &[T],
    rows: usize,
    input: usize,
    n: usize,
    input_grad: bool,
) -> Option<Vec<T>> {
    matmul(rows, input, n, d, Op::N, x, Op::T, grad_w_ih, true);
    input_grad.then(|| {
        let mut dx = vec![T::ZERO; input * n];
        matmul(input, n, rows, w_ih, Op::T, d, Op::N, &mut dx, false);
        dx
    })
}

/// `[cols][rows]` transpose of a row-major `[rows][cols]` matrix, into `out`.
pub fn transpose_into<T: Real>(w: &[T], rows: usize, cols: usize, out: &mut Vec<T>) {
    out.resize(rows * cols, T::ZERO);
    for r in 0..rows {
        for c in 0..cols {
            out[c * rows + r] = w[r * cols + c];
        }
    }
}

/// Writes step `t`'s block `[rows][batch]` into the columns of `dst` (`[rows][n]`).
pub fn scatter_step<T: Real>(block: &[T], dst: &mut [T], n: usize, t: usize, batch: usize) {
    let col = t * batch;
    for (r, row) in block.chunks_exact(batch).enumerate() {
        dst[r * n + col..r * n + col + batch].copy_from_slice(row);
    }
}

/// Reads step `t`'s columns of `src` (`[rows][n]`) into a dense `[rows][batch]` block.
pub fn gather_step<T: Real>(src: &[T], block: &mut [T], n: usize, t: usize, batch: usize) {
    let col = t * batch;
    for (r, row) in block.chunks_exact_mut(batch).enumerate() {
        row.copy_from_slice(&src[r * n + col..r * n + col + batch]);
    }
}
