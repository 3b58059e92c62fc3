//! The simple (Elman) RNN layer: `h_t = act(W_ih x_t + W_hh h_{t-1} + b)` with tanh or relu, one
//! bias (Keras `SimpleRNN`; PyTorch `nn.RNN`'s two biases load as their sum). Same fused design
//! as the LSTM: an input and a recurrent GEMM per step, weight gradients as GEMMs over chunks of
//! steps during backpropagation through time.

use multiversion::multiversion;
use serde::{Deserialize, Serialize};

use crate::activation::{with_derivative, Activation};
use crate::gemm::{matmul_strided, Mat, Op};
use crate::init::{self, InitScheme};
use crate::layer::{Companion, Kind, Tensor};
use crate::real::Real;
use crate::recurrent::{self, RecurrentLayerSpec};
use crate::rng::Rng;

/// Configuration of a simple RNN layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RnnConfig {
    /// Input features per step.
    pub input: usize,
    /// Hidden units H.
    pub units: usize,
    /// Output every step or only the last.
    pub return_sequences: bool,
    /// tanh (default) or relu.
    pub activation: Activation,
}

impl RnnConfig {
    /// Parameters, as Keras counts them: H * (F + H) + H.
    pub fn parameters(&self) -> usize {
        self.units * (self.input + self.units) + self.units
    }
}

/// A simple RNN layer with parameters, gradients and the cache of the last forward pass.
#[derive(Debug, Clone)]
pub struct Rnn<T> {
    /// Configuration.
    pub config: RnnConfig,
    /// Input weights `[H][F]` (PyTorch `weight_ih_l0`).
    pub w_ih: Vec<T>,
    /// Recurrent weights `[H][H]` (PyTorch `weight_hh_l0`).
    pub w_hh: Vec<T>,
    /// Bias `[H]`.
    pub bias: Vec<T>,
    /// Gradient of `w_ih`.
    pub grad_w_ih: Vec<T>,
    /// Gradient of `w_hh`.
    pub grad_w_hh: Vec<T>,
    /// Gradient of `bias`.
    pub grad_bias: Vec<T>,
    steps: usize,
    batch: usize,
    /// Hidden states `[H][T*B]` (the pre-activations first, then activated in place per step).
    h: Vec<T>,
    dz: Vec<T>,
    /// `W_ih` and `W_hh` transposed (column-major, which the GEMM reads unpacked).
    w_ih_t: Vec<T>,
    w_hh_t: Vec<T>,
    /// Keras' recurrent dropout of the pass (see [`recurrent::RecurrentMask`]).
    pub recurrent: recurrent::RecurrentMask<T>,
}

impl<T: Real> Rnn<T> {
    /// A layer with all parameters zero.
    pub fn new(config: RnnConfig) -> Rnn<T> {
        let (f, h) = (config.input, config.units);
        Rnn {
            config,
            w_ih: vec![T::ZERO; h * f],
            w_hh: vec![T::ZERO; h * h],
            bias: vec![T::ZERO; h],
            grad_w_ih: vec![T::ZERO; h * f],
            grad_w_hh: vec![T::ZERO; h * h],
            grad_bias: vec![T::ZERO; h],
            steps: 0,
            batch: 0,
            h: vec![],
            dz: vec![],
            w_ih_t: vec![],
            recurrent: recurrent::RecurrentMask::default(),
            w_hh_t: vec![],
        }
    }

    /// Initialises the weights: Keras (glorot-uniform and orthogonal kernels, zero bias) or
    /// PyTorch (everything U(+-1/sqrt(H)), the two biases drawn separately and summed).
    pub fn init(&mut self, scheme: InitScheme, rng: &mut Rng) {
        let (f, h) = (self.config.input, self.config.units);
        init::recurrent_kernels(&mut self.w_ih, &mut self.w_hh, 1, f, h, scheme, rng);
        if scheme == InitScheme::Torch {
            init::torch_two_biases(&mut self.bias, h, rng);
        }
    }

    /// Runs the layer on `x` (`[input][steps*batch]`). Returns `[H][steps*batch]` or `[H][batch]`.
    /// The hidden states are all it keeps, for backward (`_keep`) or not.
    pub fn forward(&mut self, x: &[T], steps: usize, batch: usize, out: &mut Vec<T>, _keep: bool) {
        let (f, h) = (self.config.input, self.config.units);
        let n = steps * batch;
        assert_eq!(x.len(), f * n, "rnn input length");
        self.steps = steps;
        self.batch = batch;
        self.h.resize(h * n, T::ZERO);
        recurrent::transpose_into(&self.w_ih, h, f, &mut self.w_ih_t);
        recurrent::transpose_into(&self.w_hh, h, h, &mut self.w_hh_t);
        let mut block = vec![T::ZERO; h * batch];
        self.recurrent.begin(h, n);
        for t in 0..steps {
            recurrent::project_step(&self.w_ih_t, &self.bias, x, h, f, n, t, batch, &mut block);
            if t > 0 {
                let states = self.recurrent.states(&self.h);
                let h_prev = Mat { data: &states[(t - 1) * batch..], ld: n, op: Op::N };
                matmul_strided(
                    h,
                    batch,
                    h,
                    Mat::dense(&self.w_hh_t, h, Op::T),
                    h_prev,
                    &mut block,
                    batch,
                    true,
                );
            }
            self.config.activation.apply(&mut block);
            recurrent::scatter_step(&block, &mut self.h, n, t, batch);
            self.recurrent.record_step(&self.h, n, t, batch);
        }
        recurrent::output(&self.h, h, steps, batch, self.config.return_sequences, out);
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
        let (steps, batch) = (self.steps, self.batch);
        let (n, hb) = (steps * batch, h * batch);
        // Pre-activation gradients for a chunk of steps at a time, weight gradients per chunk
        // (as the LSTM; see recurrent::CHUNK_COLUMNS).
        let span = recurrent::chunk_steps(batch, steps);
        let ldz = span * batch;
        self.dz.resize(h * ldz, T::ZERO);
        let mut dx = input_grad.then(|| vec![T::ZERO; f * n]);
        let mut dh = vec![T::ZERO; hb];
        let zeros = vec![T::ZERO; batch];
        for t in (0..steps).rev() {
            let col = t * batch;
            let t0 = t - t % span;
            let zcol = (t - t0) * batch;
            let rs = self.config.return_sequences;
            let d_out = recurrent::step_output_grad(dout, &zeros, rs, t, steps, batch);
            let h_t = (&self.h[col..], n);
            rnn_step_grads(h_t, d_out, &dh, &mut self.dz[zcol..], ldz, batch, &act_prime);
            if t > 0 {
                let dz_t = Mat { data: &self.dz[zcol..], ld: ldz, op: Op::N };
                let w_hh = Mat::dense(&self.w_hh, h, Op::T);
                matmul_strided(h, batch, h, w_hh, dz_t, &mut dh, batch, false);
                self.recurrent.mask_grad(&mut dh);
            }
            if t == t0 {
                let chunk = recurrent::Chunk::new(&self.dz, span, t0, steps, batch);
                let (gw_hh, gw_ih, gb) =
                    (&mut self.grad_w_hh, &mut self.grad_w_ih, &mut self.grad_bias);
                chunk.weight_grads(gw_hh, gw_ih, gb, self.recurrent.states(&self.h), x, h, f);
                if let Some(dx) = dx.as_mut() {
                    chunk.input_grad(&self.w_ih, f, dx);
                }
            }
        }
        dx
    }
}

/// One step's pre-activation gradients `dz = (dh + d_out) * act'(h_t)` into the columns
/// `..batch` of each row of the chunk's gradients (rows `ldz` apart); `h_t` and `d_out` are rows
/// of `batch` values with their strides (`d_out` stride 0: one row of zeros for all). One fused
/// pass, compiled for AVX-512 and AVX2/FMA too (chosen at run time).
#[multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn rnn_step_grads<T: Real, D: Fn(T) -> T>(
    (h_t, ld_h): (&[T], usize),
    (d_out, ld_out): (&[T], usize),
    dh: &[T],
    dz: &mut [T],
    ldz: usize,
    batch: usize,
    act_prime: &D,
) {
    for (j, dh) in dh.chunks_exact(batch).enumerate() {
        let h = &h_t[j * ld_h..j * ld_h + batch];
        let d = &d_out[j * ld_out..j * ld_out + batch];
        let dz = &mut dz[j * ldz..j * ldz + batch];
        for b in 0..batch {
            dz[b] = (dh[b] + d[b]) * act_prime(h[b]);
        }
    }
}

/// A simple (Elman) RNN layer, Keras `SimpleRNN`, PyTorch `nn.RNN`, in a model description (`type = "rnn"`).
pub type RnnSpec = RecurrentLayerSpec<RnnKind>;

recurrent::recurrent_layer!(
    Rnn,
    RnnConfig,
    RnnKind,
    "RNN",
    "a simple RNN layer",
    Kind { id: "rnn", keras: "SimpleRNN", keras_name: "simple_rnn" }
);

impl<T: Real> Rnn<T> {
    /// Its weights with their gradients, under alphaseq's and PyTorch's names.
    pub fn weights(&mut self) -> Vec<Tensor<'_, T>> {
        let (f, h) = (self.config.input, self.config.units);
        let [w_ih, w_hh] = recurrent::kernels(
            (1, f, h),
            (&mut self.w_ih, &mut self.grad_w_ih),
            (&mut self.w_hh, &mut self.grad_w_hh),
        );
        vec![
            w_ih,
            w_hh,
            Tensor::param("bias", "bias_ih_l0", vec![h], &mut self.bias, &mut self.grad_bias)
                .with_companion(Companion::ZeroBias("bias_hh_l0")),
        ]
    }
}
