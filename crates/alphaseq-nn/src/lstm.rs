//! The LSTM layer, fused. Gate order i, f, g, o (PyTorch's), sigmoid gates, a configurable
//! candidate/cell activation (tanh by default; elu and relu as Keras `activation=` allows), one
//! bias per gate (Keras; exported to PyTorch as `bias_ih = bias`, `bias_hh = 0`).
//!
//! Data are feature-major: `x` is `[F][T*B]` with column `t*B + b`. Forward, per step:
//! `Z_t = b + W_ih X_t + W_hh H_{t-1}` (two GEMMs into the step's contiguous `[4H][B]` gate block,
//! reading column-major copies of the weights, which the `gemm` crate uses without packing), then
//! one elementwise pass along contiguous batch rows. (A single input-projection GEMM over all
//! steps, copied out per step, was slower: the copies read rows a whole sequence apart.)
//! Backward through time mirrors it: per step one fused elementwise pass writes the gate
//! gradients into a chunk buffer of about 256 columns (which stays in cache) and one GEMM carries
//! `dh` back; after each chunk `dW_ih += dZ X^T`, `dW_hh += dZ H_{t-1}^T` and `dX = W_ih^T dZ`
//! are GEMMs over the chunk's columns ([`recurrent::Chunk`]).

use multiversion::multiversion;
use serde::{Deserialize, Serialize};

use crate::activation::{with_derivative, Activation};
use crate::gemm::{matmul_strided, Mat, Op};
use crate::init::{self, InitScheme};
use crate::layer::{Companion, Kind, Tensor};
use crate::real::Real;
use crate::recurrent::{self, RecurrentLayerSpec};
use crate::rng::Rng;

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
    /// Keras' recurrent dropout of the pass (see [`recurrent::RecurrentMask`]).
    pub recurrent: recurrent::RecurrentMask<T>,
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
    /// Gate gradients of one chunk of steps, `[4H][S*B]` (see [`recurrent::CHUNK_COLUMNS`]).
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
            recurrent: recurrent::RecurrentMask::default(),
        }
    }

    /// Initialises the weights: Keras (glorot-uniform and orthogonal kernels, zero biases but the
    /// forget gate's at 1, `unit_forget_bias`) or PyTorch (everything U(+-1/sqrt(H)), the two
    /// biases drawn separately and summed).
    pub fn init(&mut self, scheme: InitScheme, rng: &mut Rng) {
        let (f, h) = (self.config.input, self.config.units);
        init::recurrent_kernels(&mut self.w_ih, &mut self.w_hh, 4, f, h, scheme, rng);
        match scheme {
            InitScheme::Keras => self
                .bias
                .iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b = if (h..2 * h).contains(&i) { T::ONE } else { T::ZERO }),
            InitScheme::Torch => init::torch_two_biases(&mut self.bias, h, rng),
        }
    }

    /// Output features.
    pub fn units(&self) -> usize {
        self.config.units
    }

    /// Runs the layer on `x` (`[input][steps*batch]`). Returns `[H][steps*batch]`, or `[H][batch]`
    /// (the last step) without `return_sequences`. Keeps every step's gates and cells for
    /// backward (`keep`), or only the current step's (inference: the same outputs, bit for bit,
    /// with a working set that stays in the processor's caches).
    pub fn forward(&mut self, x: &[T], steps: usize, batch: usize, out: &mut Vec<T>, keep: bool) {
        let (f, h) = (self.config.input, self.config.units);
        let (g4, n) = (4 * h, steps * batch);
        let (hb, gb) = (h * batch, g4 * batch);
        assert_eq!(x.len(), f * n, "lstm input length");
        let act = self.config.activation;
        let c = &mut self.cache;
        c.steps = steps;
        c.batch = batch;
        let slots = if keep { steps } else { 1 };
        c.gates.resize(slots * gb, T::ZERO);
        c.c.resize(if keep { steps * hb } else { 2 * hb }, T::ZERO);
        c.act_c.resize(slots * hb, T::ZERO);
        c.h.resize(h * n, T::ZERO);
        // Column-major copies of the weights: the GEMM reads them in place, unpacked.
        recurrent::transpose_into(&self.w_ih, g4, f, &mut c.w_ih_t);
        recurrent::transpose_into(&self.w_hh, g4, h, &mut c.w_hh_t);
        self.recurrent.begin(h, n);
        for t in 0..steps {
            let col = t * batch;
            let slot = if keep { t } else { 0 };
            let z = &mut c.gates[slot * gb..(slot + 1) * gb];
            recurrent::project_step(&c.w_ih_t, &self.bias, x, g4, f, n, t, batch, z);
            if t > 0 {
                let states = self.recurrent.states(&c.h);
                let h_prev = Mat { data: &states[col - batch..], ld: n, op: Op::N };
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
            // the cells of step t and t - 1: every step's in training, two alternating slots
            // in inference
            let (current, prev) = if keep {
                let (before, current) = c.c.split_at_mut(t * hb);
                (&mut current[..hb], (t > 0).then(|| &before[(t - 1) * hb..]))
            } else {
                let (even, odd) = c.c.split_at_mut(hb);
                let (current, prev) = if t % 2 == 0 { (even, odd) } else { (odd, even) };
                (current, (t > 0).then_some(&*prev))
            };
            let act_c = &mut c.act_c[slot * hb..(slot + 1) * hb];
            update_cells((i, fg, g), prev, current, act_c);
            act.apply(act_c);
            write_hidden(o, act_c, &mut c.h[col..], n, batch);
            self.recurrent.record_step(&c.h, n, t, batch);
        }
        recurrent::output(&c.h, h, steps, batch, self.config.return_sequences, out);
    }

    /// Backpropagates `dout` (shaped like the forward output) through the last forward pass,
    /// adding to the parameter gradients; returns the gradient with respect to `x` when asked
    /// (the first layer of a model does not need it).
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
        let g4 = 4 * h;
        let c = &mut self.cache;
        let (steps, batch) = (c.steps, c.batch);
        let (n, hb, gb) = (steps * batch, h * batch, g4 * batch);
        // Gate gradients are kept for a chunk of steps at a time (about CHUNK_COLUMNS columns,
        // which stay in cache), and the weight gradients are accumulated chunk by chunk.
        let span = recurrent::chunk_steps(batch, steps);
        let ldz = span * batch;
        c.dz.resize(g4 * ldz, T::ZERO);
        let mut dx = input_grad.then(|| vec![T::ZERO; f * n]);
        // dh: the gradient reaching h_t from step t+1 (W_hh^T dZ_{t+1}); dc likewise for c_t.
        let mut dh = vec![T::ZERO; hb];
        let mut dc = vec![T::ZERO; hb];
        let zeros = vec![T::ZERO; hb];
        for t in (0..steps).rev() {
            let z = &c.gates[t * gb..(t + 1) * gb];
            let (i, rest) = z.split_at(hb);
            let (fg, rest) = rest.split_at(hb);
            let (g, o) = rest.split_at(hb);
            let ac = &c.act_c[t * hb..(t + 1) * hb];
            let c_prev: &[T] = if t > 0 { &c.c[(t - 1) * hb..t * hb] } else { &zeros };
            // The output gradient at step t (`[H]` rows `ld` apart): every step's, or only the
            // last one's.
            let rs = self.config.return_sequences;
            let d_out = recurrent::step_output_grad(dout, &zeros, rs, t, steps, batch);
            let t0 = t - t % span;
            let zcol = (t - t0) * batch;
            let step = StepGrads { gates: (i, fg, g, o), act_c: ac, c_prev, dh: &dh, d_out, batch };
            step_grads(step, &mut dc, &mut c.dz[zcol..], ldz, &act_prime);
            if t > 0 {
                let dz_t = Mat { data: &c.dz[zcol..], ld: ldz, op: Op::N };
                let w_hh = Mat::dense(&self.w_hh, h, Op::T);
                matmul_strided(h, batch, g4, w_hh, dz_t, &mut dh, batch, false);
                self.recurrent.mask_grad(&mut dh);
            }
            if t == t0 {
                let chunk = recurrent::Chunk::new(&c.dz, span, t0, steps, batch);
                chunk.weight_grads(
                    &mut self.grad_w_hh,
                    &mut self.grad_w_ih,
                    &mut self.grad_bias,
                    self.recurrent.states(&c.h),
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

/// One step's cells `c_t = f * c_{t-1} + i * g` (`c_{t-1}` = 0 at the first step) into `cell`,
/// and a copy into `act_c` for the activation. Compiled for AVX-512 and AVX2/FMA too (chosen at
/// run time).
#[multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn update_cells<T: Real>(
    (i, fg, g): (&[T], &[T], &[T]),
    prev: Option<&[T]>,
    cell: &mut [T],
    act_c: &mut [T],
) {
    let len = cell.len();
    let (i, fg, g, act_c) = (&i[..len], &fg[..len], &g[..len], &mut act_c[..len]);
    match prev {
        Some(prev) => {
            let prev = &prev[..len];
            for q in 0..len {
                cell[q] = fg[q] * prev[q] + i[q] * g[q];
                act_c[q] = cell[q];
            }
        }
        None => {
            for q in 0..len {
                cell[q] = i[q] * g[q];
                act_c[q] = cell[q];
            }
        }
    }
}

/// `h_t = o * act(c_t)` (both `[H][B]`) into step t's columns of the hidden states: `h` starts
/// at the step's first column, rows `n` apart.
#[multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn write_hidden<T: Real>(o: &[T], act_c: &[T], h: &mut [T], n: usize, batch: usize) {
    for (j, (o, a)) in o.chunks_exact(batch).zip(act_c.chunks_exact(batch)).enumerate() {
        let hidden = &mut h[j * n..j * n + batch];
        for b in 0..batch {
            hidden[b] = o[b] * a[b];
        }
    }
}

/// What one step of the LSTM's backward pass reads, per unit a row of `batch` values.
struct StepGrads<'a, T> {
    /// Activated gates i, f, g, o, each `[H][B]`.
    gates: (&'a [T], &'a [T], &'a [T], &'a [T]),
    act_c: &'a [T],
    c_prev: &'a [T],
    /// The gradient reaching h_t from step t+1, `[H][B]`.
    dh: &'a [T],
    /// The output gradient at this step: `[H]` rows of `batch` values and their stride (see
    /// [`recurrent::step_output_grad`]).
    d_out: (&'a [T], usize),
    batch: usize,
}

/// One step's gate gradients, written into the columns `dz[..batch]` of each `[4H]` row of the
/// chunk's dZ (rows `ldz` apart), and `dc` carried back. Compiled for AVX-512 and AVX2/FMA too
/// (chosen at run time), like the activation kernels; every operand is sliced to one batch row, so
/// the inner loop runs without bounds checks.
#[multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn step_grads<T: Real, D: Fn(T) -> T>(
    s: StepGrads<'_, T>,
    dc: &mut [T],
    dz: &mut [T],
    ldz: usize,
    act_prime: &D,
) {
    let batch = s.batch;
    let h = dc.len() / batch;
    let (i, fg, g, o) = s.gates;
    for j in 0..h {
        let r = j * batch..(j + 1) * batch;
        let (i, fg, g, o) = (&i[r.clone()], &fg[r.clone()], &g[r.clone()], &o[r.clone()]);
        let (ac, c_prev, dh) = (&s.act_c[r.clone()], &s.c_prev[r.clone()], &s.dh[r.clone()]);
        let dc = &mut dc[r];
        let d_out = &s.d_out.0[j * s.d_out.1..j * s.d_out.1 + batch];
        let row = |gate: usize| (gate * h + j) * ldz;
        let (before_f, from_f) = dz.split_at_mut(row(1));
        let (before_g, from_g) = from_f.split_at_mut(row(2) - row(1));
        let (before_o, from_o) = from_g.split_at_mut(row(3) - row(2));
        let dz_i = &mut before_f[row(0)..row(0) + batch];
        let dz_f = &mut before_g[..batch];
        let dz_g = &mut before_o[..batch];
        let dz_o = &mut from_o[..batch];
        for b in 0..batch {
            let dhb = dh[b] + d_out[b];
            let dcb = dc[b] + dhb * o[b] * act_prime(ac[b]);
            dz_i[b] = dcb * g[b] * i[b] * (T::ONE - i[b]);
            dz_f[b] = dcb * c_prev[b] * fg[b] * (T::ONE - fg[b]);
            dz_g[b] = dcb * i[b] * act_prime(g[b]);
            dz_o[b] = dhb * ac[b] * o[b] * (T::ONE - o[b]);
            dc[b] = dcb * fg[b];
        }
    }
}

/// An LSTM layer in a model description (`type = "lstm"`).
pub type LstmSpec = RecurrentLayerSpec<LstmKind>;

recurrent::recurrent_layer!(
    Lstm,
    LstmConfig,
    LstmKind,
    "LSTM",
    "an LSTM",
    Kind { id: "lstm", keras: "LSTM", keras_name: "lstm" }
);

impl<T: Real> Lstm<T> {
    /// Its weights with their gradients, under alphaseq's and PyTorch's names.
    pub fn weights(&mut self) -> Vec<Tensor<'_, T>> {
        let (f, h) = (self.config.input, self.config.units);
        let [w_ih, w_hh] = recurrent::kernels(
            (4, f, h),
            (&mut self.w_ih, &mut self.grad_w_ih),
            (&mut self.w_hh, &mut self.grad_w_hh),
        );
        vec![
            w_ih,
            w_hh,
            Tensor::param("bias", "bias_ih_l0", vec![4 * h], &mut self.bias, &mut self.grad_bias)
                .with_companion(Companion::ZeroBias("bias_hh_l0")),
        ]
    }
}
