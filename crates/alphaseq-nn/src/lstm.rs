//! The LSTM layer, fused. Gate order i, f, g, o (PyTorch's), sigmoid gates, a configurable
//! candidate/cell activation (tanh by default; elu and relu as Keras `activation=` allows), one
//! bias per gate (Keras; exported to PyTorch as `bias_ih = bias`, `bias_hh = 0`).
//!
//! Forward: `Z = X W_ih^T + b` for all T*B rows in one GEMM, then per step `Z_t += h_{t-1} W_hh^T`
//! (one B x H x 4H GEMM) and one elementwise pass. Backward through time mirrors it, keeping
//! `dZ` for every step so that `dW_ih = dZ^T X`, `dW_hh = dZ_{1..}^T H_{..T-1}` and `dX = dZ W_ih`
//! are three large GEMMs after the loop.

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::gemm::{matmul, Op};
use crate::real::Real;

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
    /// Activated gates `[T][B][4H]`: sigmoid(i), sigmoid(f), act(g), sigmoid(o).
    gates: Vec<T>,
    /// Cell states `[T][B][H]`.
    c: Vec<T>,
    /// act(c) `[T][B][H]`.
    act_c: Vec<T>,
    /// Hidden states `[T][B][H]`.
    h: Vec<T>,
    /// Workspace for backward `[T][B][4H]`.
    dz: Vec<T>,
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

    /// Runs the layer on `x` (`[steps][batch][input]`), keeping what backward needs. Returns
    /// `[steps][batch][H]` or `[batch][H]`.
    pub fn forward(&mut self, x: &[T], steps: usize, batch: usize) -> Vec<T> {
        let (f, h) = (self.config.input, self.config.units);
        let (g4, rows) = (4 * h, steps * batch);
        assert_eq!(x.len(), rows * f, "lstm input length");
        let c = &mut self.cache;
        c.steps = steps;
        c.batch = batch;
        c.gates.resize(rows * g4, T::ZERO);
        c.c.resize(rows * h, T::ZERO);
        c.act_c.resize(rows * h, T::ZERO);
        c.h.resize(rows * h, T::ZERO);
        matmul(rows, g4, f, x, Op::N, &self.w_ih, Op::T, &mut c.gates, false);
        for row in c.gates.chunks_exact_mut(g4) {
            row.iter_mut().zip(&self.bias).for_each(|(z, b)| *z += *b);
        }
        let act = self.config.activation;
        for t in 0..steps {
            let z = &mut c.gates[t * batch * g4..(t + 1) * batch * g4];
            if t > 0 {
                let h_prev = &c.h[(t - 1) * batch * h..t * batch * h];
                matmul(batch, g4, h, h_prev, Op::N, &self.w_hh, Op::T, z, true);
            }
            for row in z.chunks_exact_mut(g4) {
                let (ifg, o) = row.split_at_mut(3 * h);
                let (if_, g) = ifg.split_at_mut(2 * h);
                T::sigmoid_slice(if_);
                act.apply(g);
                T::sigmoid_slice(o);
            }
            let base = t * batch * h;
            let (before, current) = c.c.split_at_mut(base);
            let cell = &mut current[..batch * h];
            for b in 0..batch {
                let gate = &z[b * g4..(b + 1) * g4];
                for j in 0..h {
                    let c_prev = if t > 0 { before[base - batch * h + b * h + j] } else { T::ZERO };
                    cell[b * h + j] = gate[h + j] * c_prev + gate[j] * gate[2 * h + j];
                }
            }
            let act_c = &mut c.act_c[base..base + batch * h];
            act_c.copy_from_slice(cell);
            act.apply(act_c);
            let hidden = &mut c.h[base..base + batch * h];
            for b in 0..batch {
                let o = &z[b * g4 + 3 * h..(b + 1) * g4];
                for j in 0..h {
                    hidden[b * h + j] = o[j] * act_c[b * h + j];
                }
            }
        }
        if self.config.return_sequences {
            c.h.clone()
        } else {
            c.h[(steps - 1) * batch * h..].to_vec()
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
        let rows = steps * batch;
        let act = self.config.activation;
        c.dz.resize(rows * g4, T::ZERO);
        let mut dh_next = vec![T::ZERO; batch * h];
        let mut dc_next = vec![T::ZERO; batch * h];
        for t in (0..steps).rev() {
            let base = t * batch * h;
            let dout_t: Option<&[T]> = if self.config.return_sequences {
                Some(&dout[base..base + batch * h])
            } else if t == steps - 1 {
                Some(dout)
            } else {
                None
            };
            for b in 0..batch {
                let gate = &c.gates[(t * batch + b) * g4..(t * batch + b + 1) * g4];
                let dz = &mut c.dz[(t * batch + b) * g4..(t * batch + b + 1) * g4];
                for j in 0..h {
                    let k = b * h + j;
                    let dh = dh_next[k] + dout_t.map_or(T::ZERO, |d| d[k]);
                    let (i, fg, g, o) = (gate[j], gate[h + j], gate[2 * h + j], gate[3 * h + j]);
                    let ac = c.act_c[base + k];
                    let c_prev = if t > 0 { c.c[base - batch * h + k] } else { T::ZERO };
                    let dc = dc_next[k] + dh * o * act.derivative_from_output(ac);
                    dz[j] = dc * g * i * (T::ONE - i);
                    dz[h + j] = dc * c_prev * fg * (T::ONE - fg);
                    dz[2 * h + j] = dc * i * act.derivative_from_output(g);
                    dz[3 * h + j] = dh * ac * o * (T::ONE - o);
                    dc_next[k] = dc * fg;
                }
            }
            if t > 0 {
                let dz_t = &c.dz[t * batch * g4..(t + 1) * batch * g4];
                matmul(batch, h, g4, dz_t, Op::N, &self.w_hh, Op::N, &mut dh_next, false);
            }
        }
        matmul(g4, f, rows, &c.dz, Op::T, x, Op::N, &mut self.grad_w_ih, true);
        if steps > 1 {
            let k = (steps - 1) * batch;
            matmul(
                g4,
                h,
                k,
                &c.dz[batch * g4..],
                Op::T,
                &c.h[..k * h],
                Op::N,
                &mut self.grad_w_hh,
                true,
            );
        }
        for row in c.dz.chunks_exact(g4) {
            self.grad_bias.iter_mut().zip(row).for_each(|(gb, d)| *gb += *d);
        }
        input_grad.then(|| {
            let mut dx = vec![T::ZERO; rows * f];
            matmul(rows, f, g4, &c.dz, Op::N, &self.w_ih, Op::N, &mut dx, false);
            dx
        })
    }
}
