//! The LSTM layer, fused. Gate order i, f, g, o (PyTorch's), sigmoid gates, a configurable
//! candidate/cell activation (tanh by default; elu and relu as Keras `activation=` allows), one
//! bias per gate (Keras; exported to PyTorch as `bias_ih = bias`, `bias_hh = 0`).
//!
//! Data are feature-major: `x` is `[F][T*B]` with column `t*B + b`. Forward: `Z = W_ih X + b` for
//! all steps in one GEMM (`[4H][T*B]`), then per step `Z_t += W_hh H_{t-1}` (one 4H x H x B GEMM
//! on the step's columns) and one elementwise pass along contiguous batch rows. Backward through
//! time mirrors it, keeping `dZ` for every step so that `dW_ih = dZ X^T`,
//! `dW_hh = dZ_{1..} H_{..T-1}^T` and `dX = W_ih^T dZ` are three large GEMMs after the loop.

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::gemm::{matmul, matmul_strided, Mat, Op};
use crate::real::Real;
use crate::recurrent;

/// Configuration of an LSTM layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LstmConfig {
    /// Input features per step.
    pub input: usize,
    /// Hidden units H.
    pub units: usize,
    /// Output every step (`[T][B][H]`) or only the last (`[B][H]`).
    pub return_sequences: bool,
    /// Candidate and cell-output activation (Keras `activation`).
    pub activation: Activation,
}

impl LstmConfig {
    /// Parameters, as Keras counts them: 4 * (H * (F + H) + H).
    pub fn parameters(&self) -> usize {
        4 * (self.units * (self.input + self.units) + self.units)
    }
}

/// An LSTM layer with its parameters, gradients and the cache of the last forward pass.
#[derive(Debug, Clone)]
pub struct Lstm<T> {
    /// Configuration.
    pub config: LstmConfig,
    /// Input weights `[4H][F]` (PyTorch `weight_ih_l0`).
    pub w_ih: Vec<T>,
    /// Recurrent weights `[4H][H]` (PyTorch `weight_hh_l0`).
    pub w_hh: Vec<T>,
    /// Bias `[4H]`.
    pub bias: Vec<T>,
    /// Gradient of `w_ih`.
    pub grad_w_ih: Vec<T>,
    /// Gradient of `w_hh`.
    pub grad_w_hh: Vec<T>,
    /// Gradient of `bias`.
    pub grad_bias: Vec<T>,
    cache: Cache<T>,
}

#[derive(Debug, Clone, Default)]
struct Cache<T> {
    steps: usize,
    batch: usize,
    /// Input projection `W_ih X + b`, `[4H][T*B]`.
    proj: Vec<T>,
    /// Activated gates per step, `[T][4H][B]`: sigmoid(i), sigmoid(f), act(g), sigmoid(o).
    gates: Vec<T>,
    /// Cell states per step, `[T][H][B]`.
    c: Vec<T>,
    /// act(c) per step, `[T][H][B]`.
    act_c: Vec<T>,
    /// Hidden states `[H][T*B]` (the layer's sequence output).
    h: Vec<T>,
    /// Gate gradients `[4H][T*B]`.
    dz: Vec<T>,
    /// One step's gate gradients, `[4H][B]`.
    dz_t: Vec<T>,
    /// `W_hh` transposed, `[H][4H]`, for the backward step GEMM.
    w_hh_t: Vec<T>,
}

impl<T: Real> Lstm<T> {
    /// A layer with all parameters zero (initialise with [`crate::init`]).
    pub fn new(config: LstmConfig) -> Lstm<T> {
        let (f, h) = (config.input, config.units);
        Lstm {
            config,
            w_ih: vec![T::ZERO; 4 * h * f],
            w_hh: vec![T::ZERO; 4 * h * h],
            bias: vec![T::ZERO; 4 * h],
            grad_w_ih: vec![T::ZERO; 4 * h * f],
            grad_w_hh: vec![T::ZERO; 4 * h * h],
            grad_bias: vec![T::ZERO; 4 * h],
            cache: Cache::default(),
        }
    }

    /// Output features.
    pub fn units(&self) -> usize {
        self.config.units
    }

    /// Runs the layer on `x` (`[input][steps*batch]`), keeping what backward needs. Returns
    /// `[H][steps*batch]`, or `[H][batch]` (the last step) without `return_sequences`.
    pub fn forward(&mut self, x: &[T], steps: usize, batch: usize) -> Vec<T> {
        let (f, h) = (self.config.input, self.config.units);
        let (g4, n) = (4 * h, steps * batch);
        let (hb, gb) = (h * batch, g4 * batch);
        assert_eq!(x.len(), f * n, "lstm input length");
        let act = self.config.activation;
        let c = &mut self.cache;
        c.steps = steps;
        c.batch = batch;
        c.gates.resize(steps * gb, T::ZERO);
        c.c.resize(steps * hb, T::ZERO);
        c.act_c.resize(steps * hb, T::ZERO);
        c.h.resize(h * n, T::ZERO);
        recurrent::project(&self.w_ih, &self.bias, x, g4, f, n, &mut c.proj);
        for t in 0..steps {
            let col = t * batch;
            let z = &mut c.gates[t * gb..(t + 1) * gb];
            recurrent::gather_step(&c.proj, z, n, t, batch);
            if t > 0 {
                let h_prev = Mat { data: &c.h[col - batch..], ld: n, op: Op::N };
                matmul_strided(
                    g4,
                    batch,
                    h,
                    Mat::dense(&self.w_hh, h, Op::N),
                    h_prev,
                    z,
                    batch,
                    true,
                );
            }
            T::sigmoid_slice(&mut z[..2 * hb]);
            act.apply(&mut z[2 * hb..3 * hb]);
            T::sigmoid_slice(&mut z[3 * hb..]);
            let (i, rest) = z.split_at(hb);
            let (fg, rest) = rest.split_at(hb);
            let (g, o) = rest.split_at(hb);
            let (before, current) = c.c.split_at_mut(t * hb);
            let cell = &mut current[..hb];
            if t > 0 {
                let prev = &before[(t - 1) * hb..];
                for k in 0..hb {
                    cell[k] = fg[k] * prev[k] + i[k] * g[k];
                }
            } else {
                for k in 0..hb {
                    cell[k] = i[k] * g[k];
                }
            }
            let act_c = &mut c.act_c[t * hb..(t + 1) * hb];
            act_c.copy_from_slice(cell);
            act.apply(act_c);
            for j in 0..h {
                let hidden = &mut c.h[j * n + col..j * n + col + batch];
                for b in 0..batch {
                    hidden[b] = o[j * batch + b] * act_c[j * batch + b];
                }
            }
        }
        if self.config.return_sequences {
            c.h.clone()
        } else {
            recurrent::last_step(&c.h, h, steps, batch)
        }
    }

    /// Backpropagates `dout` (shaped like the forward output) through the last forward pass,
    /// adding to the parameter gradients; returns the gradient with respect to `x` when asked
    /// (the first layer of a model does not need it).
    pub fn backward(&mut self, x: &[T], dout: &[T], input_grad: bool) -> Option<Vec<T>> {
        let (f, h) = (self.config.input, self.config.units);
        let g4 = 4 * h;
        let c = &mut self.cache;
        let (steps, batch) = (c.steps, c.batch);
        let (n, hb, gb) = (steps * batch, h * batch, g4 * batch);
        c.dz.resize(g4 * n, T::ZERO);
        c.dz_t.resize(gb, T::ZERO);
        recurrent::transpose_into(&self.w_hh, g4, h, &mut c.w_hh_t);
        let mut dh = vec![T::ZERO; hb];
        let mut dc = vec![T::ZERO; hb];
        let mut d_act_c = vec![T::ZERO; hb];
        let mut d_act_g = vec![T::ZERO; hb];
        let act = self.config.activation;
        for t in (0..steps).rev() {
            let col = t * batch;
            // dh <- dh (from step t+1) + the output gradient at step t
            if self.config.return_sequences {
                for j in 0..h {
                    let d = &dout[j * n + col..j * n + col + batch];
                    dh[j * batch..(j + 1) * batch].iter_mut().zip(d).for_each(|(a, b)| *a += *b);
                }
            } else if t == steps - 1 {
                dh.iter_mut().zip(&dout[..hb]).for_each(|(a, b)| *a += *b);
            }
            let z = &c.gates[t * gb..(t + 1) * gb];
            let (i, rest) = z.split_at(hb);
            let (fg, rest) = rest.split_at(hb);
            let (g, o) = rest.split_at(hb);
            let ac = &c.act_c[t * hb..(t + 1) * hb];
            derivatives(act, ac, &mut d_act_c);
            derivatives(act, g, &mut d_act_g);
            let (dz_i, rest) = c.dz_t.split_at_mut(hb);
            let (dz_f, rest) = rest.split_at_mut(hb);
            let (dz_g, dz_o) = rest.split_at_mut(hb);
            let zeros;
            let c_prev: &[T] = if t > 0 {
                &c.c[(t - 1) * hb..t * hb]
            } else {
                zeros = vec![T::ZERO; hb];
                &zeros
            };
            for k in 0..hb {
                let dck = dc[k] + dh[k] * o[k] * d_act_c[k];
                dz_i[k] = dck * g[k] * i[k] * (T::ONE - i[k]);
                dz_f[k] = dck * c_prev[k] * fg[k] * (T::ONE - fg[k]);
                dz_g[k] = dck * i[k] * d_act_g[k];
                dz_o[k] = dh[k] * ac[k] * o[k] * (T::ONE - o[k]);
                dc[k] = dck * fg[k];
            }
            recurrent::scatter_step(&c.dz_t, &mut c.dz, n, t, batch);
            if t > 0 {
                matmul(h, batch, g4, &c.w_hh_t, Op::N, &c.dz_t, Op::N, &mut dh, false);
            }
        }
        recurrent::recurrent_weight_grad(&mut self.grad_w_hh, &c.dz, &c.h, g4, h, steps, batch);
        recurrent::add_row_sums(&mut self.grad_bias, &c.dz, n);
        recurrent::input_grads(&mut self.grad_w_ih, &self.w_ih, &c.dz, x, g4, f, n, input_grad)
    }
}

/// `out[k]` = act'(at the point whose output is `y[k]`), with the match outside the loop.
fn derivatives<T: Real>(act: Activation, y: &[T], out: &mut [T]) {
    match act {
        Activation::Tanh => out.iter_mut().zip(y).for_each(|(d, y)| *d = T::ONE - *y * *y),
        Activation::Sigmoid => out.iter_mut().zip(y).for_each(|(d, y)| *d = *y * (T::ONE - *y)),
        other => out.iter_mut().zip(y).for_each(|(d, y)| *d = other.derivative_from_output(*y)),
    }
}
