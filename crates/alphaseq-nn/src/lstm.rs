//! The LSTM layer, fused. Gate order i, f, g, o (PyTorch's), sigmoid gates, a configurable
//! candidate/cell activation (tanh by default; elu and relu as Keras `activation=` allows), one
//! bias per gate (Keras; exported to PyTorch as `bias_ih = bias`, `bias_hh = 0`).
//!
//! Data are feature-major: `x` is `[F][T*B]` with column `t*B + b`. Forward, per step:
//! `Z_t = b + W_ih X_t + W_hh H_{t-1}` (two GEMMs into the step's contiguous `[4H][B]` gate block,
//! reading column-major copies of the weights, which the `gemm` crate uses without packing), then
//! one elementwise pass along contiguous batch rows. (A single input-projection GEMM over all
//! steps, copied out per step, was slower: the copies read rows a whole sequence apart.) Backward through
//! time mirrors it, keeping `dZ` for every step so that `dW_ih = dZ X^T`,
//! `dW_hh = dZ_{1..} H_{..T-1}^T` and `dX = W_ih^T dZ` are three large GEMMs after the loop.

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::gemm::{matmul_strided, Mat, Op};
use crate::real::Real;
use crate::recurrent::{self, CHUNK_COLUMNS};

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
    /// Activated gates per step, `[T][4H][B]`: sigmoid(i), sigmoid(f), act(g), sigmoid(o).
    gates: Vec<T>,
    /// Cell states per step, `[T][H][B]`.
    c: Vec<T>,
    /// act(c) per step, `[T][H][B]`.
    act_c: Vec<T>,
    /// Hidden states `[H][T*B]` (the layer's sequence output).
    h: Vec<T>,
    /// Gate gradients of one chunk of steps, `[4H][S*B]` (see [`CHUNK_COLUMNS`]).
    dz: Vec<T>,
    /// `W_ih` transposed, `[F][4H]` (column-major `W_ih`).
    w_ih_t: Vec<T>,
    /// `W_hh` transposed, `[H][4H]` (column-major `W_hh`).
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
        // Column-major copies of the weights: the GEMM reads them in place, unpacked.
        recurrent::transpose_into(&self.w_ih, g4, f, &mut c.w_ih_t);
        recurrent::transpose_into(&self.w_hh, g4, h, &mut c.w_hh_t);
        for t in 0..steps {
            let col = t * batch;
            let z = &mut c.gates[t * gb..(t + 1) * gb];
            recurrent::project_step(&c.w_ih_t, &self.bias, x, g4, f, n, t, batch, z);
            if t > 0 {
                let h_prev = Mat { data: &c.h[col - batch..], ld: n, op: Op::N };
                matmul_strided(
                    g4,
                    batch,
                    h,
                    Mat::dense(&c.w_hh_t, g4, Op::T),
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
        // Gate gradients are kept for a chunk of steps at a time (about CHUNK_COLUMNS columns,
        // which stay in cache), and the weight gradients are accumulated chunk by chunk.
        let span = (CHUNK_COLUMNS / batch).clamp(1, steps);
        let ldz = span * batch;
        c.dz.resize(g4 * ldz, T::ZERO);
        let mut dx = input_grad.then(|| vec![T::ZERO; f * n]);
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
            // Straight into the step's columns of the chunk's dZ, one batch row per unit.
            let t0 = t - t % span;
            let zcol = (t - t0) * batch;
            let (dz_i, rest) = c.dz.split_at_mut(h * ldz);
            let (dz_f, rest) = rest.split_at_mut(h * ldz);
            let (dz_g, dz_o) = rest.split_at_mut(h * ldz);
            let zeros;
            let c_prev: &[T] = if t > 0 {
                &c.c[(t - 1) * hb..t * hb]
            } else {
                zeros = vec![T::ZERO; hb];
                &zeros
            };
            for j in 0..h {
                // Every operand sliced to one batch row, so the loop runs without bounds checks.
                let (r, cols) =
                    (j * batch..(j + 1) * batch, j * ldz + zcol..j * ldz + zcol + batch);
                let (dz_i, dz_f) = (&mut dz_i[cols.clone()], &mut dz_f[cols.clone()]);
                let (dz_g, dz_o) = (&mut dz_g[cols.clone()], &mut dz_o[cols]);
                let (i, fg, g, o) = (&i[r.clone()], &fg[r.clone()], &g[r.clone()], &o[r.clone()]);
                let (ac, d_act_c, d_act_g) =
                    (&ac[r.clone()], &d_act_c[r.clone()], &d_act_g[r.clone()]);
                let (dh, c_prev, dc) = (&dh[r.clone()], &c_prev[r.clone()], &mut dc[r]);
                for b in 0..batch {
                    let dcb = dc[b] + dh[b] * o[b] * d_act_c[b];
                    dz_i[b] = dcb * g[b] * i[b] * (T::ONE - i[b]);
                    dz_f[b] = dcb * c_prev[b] * fg[b] * (T::ONE - fg[b]);
                    dz_g[b] = dcb * i[b] * d_act_g[b];
                    dz_o[b] = dh[b] * ac[b] * o[b] * (T::ONE - o[b]);
                    dc[b] = dcb * fg[b];
                }
            }
            if t > 0 {
                let dz_t = Mat { data: &c.dz[zcol..], ld: ldz, op: Op::N };
                let w_hh = Mat::dense(&self.w_hh, h, Op::T);
                matmul_strided(h, batch, g4, w_hh, dz_t, &mut dh, batch, false);
            }
            if t == t0 {
                let chunk = recurrent::Chunk {
                    dz: &c.dz,
                    ldz,
                    first: t0 * batch,
                    end: (t0 + span).min(steps) * batch,
                    n,
                    batch,
                };
                chunk.weight_grads(
                    &mut self.grad_w_hh,
                    &mut self.grad_w_ih,
                    &mut self.grad_bias,
                    &c.h,
                    x,
                    h,
                    f,
                );
                if let Some(dx) = dx.as_mut() {
                    chunk.input_grad(&self.w_ih, f, dx);
                }
            }
        }
        dx
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
