//! Weight initialisation, seeded: Keras defaults (glorot-uniform kernels, orthogonal recurrent
//! kernels, zero biases with the forget-gate bias at 1) or PyTorch defaults (LSTM: every weight
//! and bias U(-1/sqrt(H), 1/sqrt(H)); Linear: U(-1/sqrt(in), 1/sqrt(in))).

use serde::{Deserialize, Serialize};

use crate::real::Real;
use crate::rng::Rng;

/// Which framework's defaults to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitScheme {
    /// Keras: glorot uniform, orthogonal recurrent, zero bias, unit forget bias.
    #[default]
    Keras,
    /// PyTorch: uniform in +-1/sqrt(fan).
    Torch,
}

/// Fills `w` with U(-limit, limit).
pub fn uniform<T: Real>(w: &mut [T], limit: f64, rng: &mut Rng) {
    w.iter_mut().for_each(|v| *v = T::from_f64((2.0 * rng.uniform() - 1.0) * limit));
}

/// Glorot (Xavier) uniform for a kernel with `fan_in` inputs and `fan_out` outputs.
pub fn glorot_uniform<T: Real>(w: &mut [T], fan_in: usize, fan_out: usize, rng: &mut Rng) {
    uniform(w, (6.0 / (fan_in + fan_out) as f64).sqrt(), rng);
}

/// A `rows x cols` row-major matrix with orthonormal columns (rows >= cols) from Gram-Schmidt on
/// a standard-normal matrix, as Keras' `Orthogonal` (sign-corrected QR) gives for the transpose.
pub fn orthogonal<T: Real>(w: &mut [T], rows: usize, cols: usize, rng: &mut Rng) {
    assert!(rows >= cols && w.len() == rows * cols, "orthogonal: need rows >= cols");
    let mut q: Vec<f64> = (0..rows * cols).map(|_| rng.normal()).collect();
    for j in 0..cols {
        for p in 0..j {
            let dot: f64 = (0..rows).map(|i| q[i * cols + j] * q[i * cols + p]).sum();
            for i in 0..rows {
                q[i * cols + j] -= dot * q[i * cols + p];
            }
        }
        let norm = (0..rows).map(|i| q[i * cols + j].powi(2)).sum::<f64>().sqrt();
        for i in 0..rows {
            q[i * cols + j] /= norm;
        }
    }
    w.iter_mut().zip(q).for_each(|(v, x)| *v = T::from_f64(x));
}

/// Kernels of a recurrent layer with `gates` gate blocks: Keras glorot-uniform input kernel
/// (fan_in F, fan_out gates*H) and orthogonal recurrent kernel; PyTorch U(-1/sqrt(H), 1/sqrt(H)).
#[allow(clippy::too_many_arguments)]
pub fn recurrent_kernels<T: Real>(
    w_ih: &mut [T],
    w_hh: &mut [T],
    gates: usize,
    input: usize,
    units: usize,
    scheme: InitScheme,
    rng: &mut Rng,
) {
    match scheme {
        InitScheme::Keras => {
            glorot_uniform(w_ih, input, gates * units, rng);
            orthogonal(w_hh, gates * units, units, rng);
        }
        InitScheme::Torch => {
            let k = 1.0 / (units as f64).sqrt();
            uniform(w_ih, k, rng);
            uniform(w_hh, k, rng);
        }
    }
}

/// PyTorch draws bias_ih and bias_hh separately; one bias holds their sum.
pub fn torch_two_biases<T: Real>(bias: &mut [T], units: usize, rng: &mut Rng) {
    let k = 1.0 / (units as f64).sqrt();
    let (mut b_ih, mut b_hh) = (vec![T::ZERO; bias.len()], vec![T::ZERO; bias.len()]);
    uniform(&mut b_ih, k, rng);
    uniform(&mut b_hh, k, rng);
    bias.iter_mut().zip(b_ih.iter().zip(&b_hh)).for_each(|(b, (x, y))| *b = *x + *y);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orthogonal_columns_are_orthonormal() {
        let (rows, cols) = (40, 10);
        let mut w = vec![0.0f64; rows * cols];
        orthogonal(&mut w, rows, cols, &mut Rng::new(3));
        for a in 0..cols {
            for b in 0..cols {
                let dot: f64 = (0..rows).map(|i| w[i * cols + a] * w[i * cols + b]).sum();
                assert!((dot - if a == b { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
    }
}
