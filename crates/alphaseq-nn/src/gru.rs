//! The GRU layer in the form PyTorch uses and Keras calls `reset_after=True` (Keras 3's default):
//! gate order r, z, n;
//! `r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)`, `z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)`,
//! `n = act(W_in x + b_in + r * (W_hn h + b_hn))`, `h' = (1 - z) * n + z * h`.
//! Two biases (input and recurrent), as both frameworks: 3H(F + H) + 6H parameters.

use multiversion::multiversion;
use serde::{Deserialize, Serialize};

use crate::activation::{with_derivative, Activation};
use crate::gemm::{matmul_strided, Mat, Op};
use crate::init::{self, InitScheme};
use crate::layer::{Kind, Tensor};
use crate::real::Real;
use crate::recurrent::{self, RecurrentLayerSpec};
use crate::rng::Rng;

/// Configuration of a GRU layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GruConfig {
    /// Input features per step.
    pub input: usize,
    /// Hidden units H.
    pub units: usize,
    /// Output every step or only the last.
    pub return_sequences: bool,
    /// Candidate activation (tanh by default).
    pub activation: Activation,
}

impl GruConfig {
    /// Parameters, as Keras (reset_after) and PyTorch count them: 3H(F + H) + 6H.
    pub fn parameters(&self) -> usize {
        3 * self.units * (self.input + self.units) + 6 * self.units
    }
}

/// A GRU layer with parameters, gradients and the cache of the last forward pass.
#[derive(Debug, Clone)]
pub struct Gru<T> {
    /// Configuration.
    pub config: GruConfig,
    /// Input weights `[3H][F]` (PyTorch `weight_ih_l0`, rows r, z, n).
    pub w_ih: Vec<T>,
    /// Recurrent weights `[3H][H]` (PyTorch `weight_hh_l0`).
    pub w_hh: Vec<T>,
    /// Input bias `[3H]` (PyTorch `bias_ih_l0`).
    pub b_ih: Vec<T>,
    /// Recurrent bias `[3H]` (PyTorch `bias_hh_l0`).
    pub b_hh: Vec<T>,
    /// Gradient of `w_ih`.
    pub grad_w_ih: Vec<T>,
    /// Gradient of `w_hh`.
    pub grad_w_hh: Vec<T>,
    /// Gradient of `b_ih`.
    pub grad_b_ih: Vec<T>,
    /// Gradient of `b_hh`.
    pub grad_b_hh: Vec<T>,
    cache: Cache<T>,
    /// Keras' recurrent dropout of the pass (see [`recurrent::RecurrentMask`]).
    pub recurrent: recurrent::RecurrentMask<T>,
}

#[derive(Debug, Clone, Default)]
struct Cache<T> {
    steps: usize,
    batch: usize,
    /// Per step `[T][3H][B]`: r, z, n (activated).
    gates: Vec<T>,
    /// Per step `[T][H][B]`: `W_hn h_{t-1} + b_hn`.
    hn: Vec<T>,
    /// Hidden states `[H][T*B]`.
    h: Vec<T>,
    /// Input-side pre-activation gradients `[3H][T*B]`.
    d_in: Vec<T>,
    /// Recurrent-side pre-activation gradients `[3H][T*B]`.
    d_rec: Vec<T>,
    /// `W_ih` transposed, `[F][3H]` (column-major `W_ih`, which the GEMM reads unpacked).
    w_ih_t: Vec<T>,
    /// `W_hh` transposed, `[H][3H]`.
    w_hh_t: Vec<T>,
}

impl<T: Real> Gru<T> {
    /// A layer with all parameters zero.
    pub fn new(config: GruConfig) -> Gru<T> {
        let (f, h) = (config.input, config.units);
        Gru {
            config,
            w_ih: vec![T::ZERO; 3 * h * f],
            w_hh: vec![T::ZERO; 3 * h * h],
            b_ih: vec![T::ZERO; 3 * h],
            b_hh: vec![T::ZERO; 3 * h],
            grad_w_ih: vec![T::ZERO; 3 * h * f],
            grad_w_hh: vec![T::ZERO; 3 * h * h],
            grad_b_ih: vec![T::ZERO; 3 * h],
            grad_b_hh: vec![T::ZERO; 3 * h],
            cache: Cache::default(),
            recurrent: recurrent::RecurrentMask::default(),
        }
    }

    /// Initialises the weights: Keras (glorot-uniform and orthogonal kernels, zero biases) or
    /// PyTorch (everything U(+-1/sqrt(H))).
    pub fn init(&mut self, scheme: InitScheme, rng: &mut Rng) {
        let (f, h) = (self.config.input, self.config.units);
        init::recurrent_kernels(&mut self.w_ih, &mut self.w_hh, 3, f, h, scheme, rng);
        if scheme == InitScheme::Torch {
            let k = 1.0 / (h as f64).sqrt();
            init::uniform(&mut self.b_ih, k, rng);
            init::uniform(&mut self.b_hh, k, rng);
        }
    }

    /// Runs the layer on `x` (`[input][steps*batch]`). Returns `[H][steps*batch]` or `[H][batch]`.
    /// Keeps every step's gates for backward (`keep`), or only the current step's (inference:
    /// the same outputs, bit for bit).
    pub fn forward(&mut self, x: &[T], steps: usize, batch: usize, out: &mut Vec<T>, keep: bool) {
        let (f, h) = (self.config.input, self.config.units);
        let (g3, n, hb) = (3 * h, steps * batch, h * batch);
        assert_eq!(x.len(), f * n, "gru input length");
        let act = self.config.activation;
        let c = &mut self.cache;
        c.steps = steps;
        c.batch = batch;
        let slots = if keep { steps } else { 1 };
        c.gates.resize(slots * g3 * batch, T::ZERO);
        c.hn.resize(slots * hb, T::ZERO);
        c.h.resize(h * n, T::ZERO);
        recurrent::transpose_into(&self.w_ih, g3, f, &mut c.w_ih_t);
        recurrent::transpose_into(&self.w_hh, g3, h, &mut c.w_hh_t);
        let mut rec = vec![T::ZERO; g3 * batch];
        let mut h_prev = vec![T::ZERO; hb];
        let mut h_new = vec![T::ZERO; hb];
        self.recurrent.begin(h, n);
        for t in 0..steps {
            // rec = W_hh h_{t-1} + b_hh
            for (row, b) in rec.chunks_exact_mut(batch).zip(&self.b_hh) {
                row.iter_mut().for_each(|v| *v = *b);
            }
            if t > 0 {
                let states = self.recurrent.states(&c.h);
                let hp = Mat { data: &states[(t - 1) * batch..], ld: n, op: Op::N };
                matmul_strided(
                    g3,
                    batch,
                    h,
                    Mat::dense(&c.w_hh_t, g3, Op::T),
                    hp,
                    &mut rec,
                    batch,
                    true,
                );
            }
            let slot = if keep { t } else { 0 };
            let z = &mut c.gates[slot * g3 * batch..(slot + 1) * g3 * batch];
            recurrent::project_step(&c.w_ih_t, &self.b_ih, x, g3, f, n, t, batch, z);
            for k in 0..2 * hb {
                z[k] += rec[k];
            }
            T::sigmoid_slice(&mut z[..2 * hb]);
            let (rz, cand) = z.split_at_mut(2 * hb);
            let hn = &mut c.hn[slot * hb..(slot + 1) * hb];
            hn.copy_from_slice(&rec[2 * hb..]);
            for k in 0..hb {
                cand[k] += rz[k] * hn[k];
            }
            act.apply(cand);
            for k in 0..hb {
                let zk = rz[hb + k];
                h_new[k] = (T::ONE - zk) * cand[k] + zk * h_prev[k];
            }
            recurrent::scatter_step(&h_new, &mut c.h, n, t, batch);
            self.recurrent.record_step(&c.h, n, t, batch);
            std::mem::swap(&mut h_prev, &mut h_new);
        }
        recurrent::output(&c.h, h, steps, batch, self.config.return_sequences, out);
    }

    /// Backpropagates `dout`, adding to the parameter gradients; returns dx when asked.
    pub fn backward(&mut self, x: &[T], dout: &[T], input_grad: bool) -> Option<Vec<T>> {
        // The activation's derivative is inlined into the step loop, monomorphised for tanh.
        with_derivative!(self.config.activation, T, |d| self.backward_with(x, dout, input_grad, d))
    }

    fn backward_with(
        &mut self,
        x: &[T],
        dout: &[T],
        input_grad: bool,
        act_prime: impl Fn(T) -> T,
    ) -> Option<Vec<T>> {
        let (f, h) = (self.config.input, self.config.units);
        let c = &mut self.cache;
        let (steps, batch) = (c.steps, c.batch);
        let (g3, n, hb) = (3 * h, steps * batch, h * batch);
        // Pre-activation gradients for a chunk of steps at a time, weight gradients per chunk
        // (as the LSTM; see recurrent::CHUNK_COLUMNS).
        let span = recurrent::chunk_steps(batch, steps);
        let ldz = span * batch;
        c.d_in.resize(g3 * ldz, T::ZERO);
        c.d_rec.resize(g3 * ldz, T::ZERO);
        let mut dx = input_grad.then(|| vec![T::ZERO; f * n]);
        let mut dh = vec![T::ZERO; hb];
        let mut through = vec![T::ZERO; if self.recurrent.is_on() { hb } else { 0 }];
        let zeros = vec![T::ZERO; batch];
        for t in (0..steps).rev() {
            let col = t * batch;
            let gates = &c.gates[t * g3 * batch..(t + 1) * g3 * batch];
            let (r, rest) = gates.split_at(hb);
            let (zg, cand) = rest.split_at(hb);
            let t0 = t - t % span;
            let zcol = (t - t0) * batch;
            let rs = self.config.return_sequences;
            let step = GruStep {
                r,
                zg,
                cand,
                hn: &c.hn[t * hb..(t + 1) * hb],
                // h_{t-1}, rows `n` apart; zeros (every row the same) at the first step
                h_prev: if t > 0 { (&c.h[col - batch..], n) } else { (&zeros, 0) },
                d_out: recurrent::step_output_grad(dout, &zeros, rs, t, steps, batch),
                batch,
            };
            gru_step_grads(
                step,
                &mut dh,
                &mut c.d_in[zcol..],
                &mut c.d_rec[zcol..],
                ldz,
                &act_prime,
            );
            if t > 0 {
                let d_rec_t = Mat { data: &c.d_rec[zcol..], ld: ldz, op: Op::N };
                let w_hh = Mat::dense(&self.w_hh, h, Op::T);
                if self.recurrent.is_on() {
                    // only the recurrent products saw the masked state; the blend z h_{t-1}
                    // (already in dh) saw it whole
                    matmul_strided(h, batch, g3, w_hh, d_rec_t, &mut through, batch, false);
                    self.recurrent.mask_grad(&mut through);
                    dh.iter_mut().zip(&through).for_each(|(d, g)| *d += *g);
                } else {
                    matmul_strided(h, batch, g3, w_hh, d_rec_t, &mut dh, batch, true);
                }
            }
            if t == t0 {
                let rec = recurrent::Chunk::new(&c.d_rec, span, t0, steps, batch);
                rec.recurrent_grad(&mut self.grad_w_hh, self.recurrent.states(&c.h), h);
                rec.bias_grad(&mut self.grad_b_hh);
                let inp = recurrent::Chunk::new(&c.d_in, span, t0, steps, batch);
                inp.input_weight_grad(&mut self.grad_w_ih, x, f);
                inp.bias_grad(&mut self.grad_b_ih);
                if let Some(dx) = dx.as_mut() {
                    inp.input_grad(&self.w_ih, f, dx);
                }
            }
        }
        dx
    }
}

/// What one step of the GRU's backward pass reads, per unit a row of `batch` values.
struct GruStep<'a, T> {
    /// Activated gates r, z and candidate n, each `[H][B]`.
    r: &'a [T],
    zg: &'a [T],
    cand: &'a [T],
    /// `W_hn h_{t-1} + b_hn`, `[H][B]`.
    hn: &'a [T],
    /// h_{t-1}: rows of `batch` values `ld` apart.
    h_prev: (&'a [T], usize),
    /// The output gradient at this step: rows and their stride (see
    /// [`recurrent::step_output_grad`]).
    d_out: (&'a [T], usize),
    batch: usize,
}

/// One step's pre-activation gradients, written into the columns `..batch` of each `[3H]` row of
/// the chunk's input-side and recurrent-side gradients (rows `ldz` apart), and `dh` carried
/// through the update gate (`dh <- (dh + d_out) * z`; the caller adds `W_hh^T d_rec`). One fused
/// pass, compiled for AVX-512 and AVX2/FMA too (chosen at run time), like the LSTM's.
#[multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn gru_step_grads<T: Real, D: Fn(T) -> T>(
    s: GruStep<'_, T>,
    dh: &mut [T],
    d_in: &mut [T],
    d_rec: &mut [T],
    ldz: usize,
    act_prime: &D,
) {
    let batch = s.batch;
    let h = dh.len() / batch;
    for j in 0..h {
        let row = j * batch..(j + 1) * batch;
        let (r, zg, cand, hn) =
            (&s.r[row.clone()], &s.zg[row.clone()], &s.cand[row.clone()], &s.hn[row.clone()]);
        let h_prev = &s.h_prev.0[j * s.h_prev.1..j * s.h_prev.1 + batch];
        let d_out = &s.d_out.0[j * s.d_out.1..j * s.d_out.1 + batch];
        let dh = &mut dh[row];
        let [in_r, in_z, in_n] = gate_rows(d_in, h, j, ldz, batch);
        let [rec_r, rec_z, rec_n] = gate_rows(d_rec, h, j, ldz, batch);
        for b in 0..batch {
            let d = dh[b] + d_out[b];
            let d_cand = d * (T::ONE - zg[b]) * act_prime(cand[b]);
            let d_z = d * (h_prev[b] - cand[b]) * zg[b] * (T::ONE - zg[b]);
            let d_r = d_cand * hn[b] * r[b] * (T::ONE - r[b]);
            (in_r[b], in_z[b], in_n[b]) = (d_r, d_z, d_cand);
            (rec_r[b], rec_z[b], rec_n[b]) = (d_r, d_z, d_cand * r[b]);
            dh[b] = d * zg[b];
        }
    }
}

/// Row j of each of the three `[H]`-row gate blocks of `d` (rows `ldz` apart), `batch` values
/// each.
fn gate_rows<T>(d: &mut [T], h: usize, j: usize, ldz: usize, batch: usize) -> [&mut [T]; 3] {
    let (first, rest) = d.split_at_mut(h * ldz);
    let (second, third) = rest.split_at_mut(h * ldz);
    let row = j * ldz..j * ldz + batch;
    [&mut first[row.clone()], &mut second[row.clone()], &mut third[row]]
}

/// A GRU layer (reset-after, as PyTorch and Keras 3) in a model description (`type = "gru"`).
pub type GruSpec = RecurrentLayerSpec<GruKind>;

recurrent::recurrent_layer!(
    Gru,
    GruConfig,
    GruKind,
    "GRU",
    "a GRU layer",
    Kind { id: "gru", keras: "GRU", keras_name: "gru" }
);

impl<T: Real> Gru<T> {
    /// Its weights with their gradients, under alphaseq's and PyTorch's names.
    pub fn weights(&mut self) -> Vec<Tensor<'_, T>> {
        let (f, h) = (self.config.input, self.config.units);
        let [w_ih, w_hh] = recurrent::kernels(
            (3, f, h),
            (&mut self.w_ih, &mut self.grad_w_ih),
            (&mut self.w_hh, &mut self.grad_w_hh),
        );
        vec![
            w_ih,
            w_hh,
            Tensor::param("b_ih", "bias_ih_l0", vec![3 * h], &mut self.b_ih, &mut self.grad_b_ih),
            Tensor::param("b_hh", "bias_hh_l0", vec![3 * h], &mut self.b_hh, &mut self.grad_b_hh),
        ]
    }
}
