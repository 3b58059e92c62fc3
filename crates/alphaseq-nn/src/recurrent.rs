//! What the recurrent layers (LSTM, GRU, simple RNN) share: one step's input projection, the
//! layer's output (all steps or the last), and the weight gradients of backpropagation through
//! time, formed chunk by chunk ([`Chunk`]). Data are feature-major `[features][T*B]`, column
//! `t*B + b`.

use std::fmt::Debug;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::error::Result;
use crate::gemm::{matmul_onto, matmul_strided, Mat, Op, Start};
use crate::init::InitScheme;
use crate::layer::{Kind, Layer, LayerConfig, Pass, Shape, Site, Tensor};
use crate::penalty::{Penalty, Regularizers};
use crate::real::Real;
use crate::rng::Rng;

/// Keras' `recurrent_dropout` inside a layer: the mask `[units][batch]` of the training pass
/// (empty: none), one per sample and unit used at every step, and the masked hidden states
/// `[units][steps*batch]` that the recurrent products and `W_hh`'s gradient read. What a state
/// feeds besides the recurrent product (a GRU's blend `z h_{t-1}`, the layer's output) stays
/// unmasked.
#[derive(Debug, Clone, Default)]
pub struct RecurrentMask<T> {
    /// `[units][batch]`, empty without recurrent dropout.
    pub mask: Vec<T>,
    masked: Vec<T>,
}

impl<T: Real> RecurrentMask<T> {
    /// Whether this pass drops recurrent connections.
    pub fn is_on(&self) -> bool {
        !self.mask.is_empty()
    }

    /// Sizes the masked states for a pass of `n` columns of `units`.
    pub fn begin(&mut self, units: usize, n: usize) {
        if self.is_on() {
            self.masked.resize(units * n, T::ZERO);
        }
    }

    /// After step `t`'s states are written into `h` (`[units][n]`): their masked copy.
    pub fn record_step(&mut self, h: &[T], n: usize, t: usize, batch: usize) {
        if !self.is_on() {
            return;
        }
        let col = t * batch;
        for (r, mask) in self.mask.chunks_exact(batch).enumerate() {
            let (src, dst) =
                (&h[r * n + col..r * n + col + batch], &mut self.masked[r * n + col..]);
            for ((d, v), m) in dst.iter_mut().zip(src).zip(mask) {
                *d = *v * *m;
            }
        }
    }

    /// The states the recurrent products read: the masked copy, or `h` itself.
    pub fn states<'a>(&'a self, h: &'a [T]) -> &'a [T] {
        if self.is_on() {
            &self.masked
        } else {
            h
        }
    }

    /// A gradient reaching `h_{t-1}` through the recurrent product (`[units][batch]`), masked.
    pub fn mask_grad(&self, dh: &mut [T]) {
        if self.is_on() {
            dh.iter_mut().zip(&self.mask).for_each(|(g, m)| *g *= *m);
        }
    }
}

/// Inputs up to which [`project_step`] multiplies directly instead of calling the GEMM.
const DIRECT_INPUTS: usize = 4;

/// One step's input projection `z = W x_t + b` into a dense `[rows][batch]` block: `w_t` is `W`
/// transposed, `[input][rows]` (so the GEMM reads it unpacked), `x` `[input][n]` with step `t` at
/// columns `t*batch..`. Computed per step rather than for all steps at once so that the gates
/// never round-trip through a `[rows][T*B]` matrix, whose rows lie a whole sequence apart.
#[allow(clippy::too_many_arguments)]
pub fn project_step<T: Real>(
    w_t: &[T],
    bias: &[T],
    x: &[T],
    rows: usize,
    input: usize,
    n: usize,
    t: usize,
    batch: usize,
    z: &mut [T],
) {
    let col = t * batch;
    if input <= DIRECT_INPUTS {
        // A few inputs (one return series, a handful of prices): a GEMM call costs more than
        // `input` fused multiply-adds along each row.
        for (r, row) in z.chunks_exact_mut(batch).enumerate() {
            row.iter_mut().for_each(|v| *v = bias[r]);
            for p in 0..input {
                let (w, xs) = (w_t[p * rows + r], &x[p * n + col..p * n + col + batch]);
                row.iter_mut().zip(xs).for_each(|(v, x)| *v += w * *x);
            }
        }
        return;
    }
    let x_t = Mat { data: &x[col..], ld: n, op: Op::N };
    let w = Mat::dense(w_t, rows, Op::T);
    matmul_onto(rows, batch, input, w, x_t, z, batch, Start::Rows(bias));
}

/// Columns of pre-activation gradients between which a recurrent layer's backward pass
/// accumulates its weight gradients: large enough for efficient GEMMs (k = 256), small enough
/// that the chunk's gradients stay in the core's cache while they are written step by step.
pub const CHUNK_COLUMNS: usize = 256;

/// The pre-activation gradients `dz` (`[rows][ldz]`) of the steps whose columns of the layer's
/// `[.][T*B]` matrices are `first..end` (`n` = T*B columns in all, `batch` per step).
pub struct Chunk<'a, T> {
    /// The chunk's gradients; its column c is the layer's column `first + c`.
    pub dz: &'a [T],
    /// Row stride of `dz`.
    pub ldz: usize,
    /// First column of the chunk in the layer's matrices.
    pub first: usize,
    /// One past the last column.
    pub end: usize,
    /// Columns of the layer's matrices (steps x batch).
    pub n: usize,
    /// Columns per step.
    pub batch: usize,
}

/// Steps per chunk for a batch: about [`CHUNK_COLUMNS`] columns, at least one step.
pub fn chunk_steps(batch: usize, steps: usize) -> usize {
    (CHUNK_COLUMNS / batch).clamp(1, steps.max(1))
}

impl<'a, T: Real> Chunk<'a, T> {
    /// The chunk of `span` steps starting at step `t0` (of `steps`), its gradients in `dz`
    /// with row stride `span * batch`.
    pub fn new(dz: &'a [T], span: usize, t0: usize, steps: usize, batch: usize) -> Chunk<'a, T> {
        let end = (t0 + span).min(steps) * batch;
        Chunk { dz, ldz: span * batch, first: t0 * batch, end, n: steps * batch, batch }
    }

    fn rows(&self) -> usize {
        self.dz.len() / self.ldz
    }

    /// Adds the chunk's share of `grad_w_hh += D_t H_{t-1}^T` (steps after the first); `h` is
    /// `[units][n]`.
    pub fn recurrent_grad(&self, grad_w_hh: &mut [T], h: &[T], units: usize) {
        let cols = self.end - self.first;
        // Step 0 has no previous hidden state.
        let skip = if self.first == 0 { self.batch } else { 0 };
        if cols > skip {
            let d = Mat { data: &self.dz[skip..], ld: self.ldz, op: Op::N };
            let h_prev = Mat { data: &h[self.first + skip - self.batch..], ld: self.n, op: Op::T };
            matmul_strided(self.rows(), units, cols - skip, d, h_prev, grad_w_hh, units, true);
        }
    }

    /// Adds the chunk's share of `grad_w_ih += D X^T`; `x` is `[input][n]`.
    pub fn input_weight_grad(&self, grad_w_ih: &mut [T], x: &[T], input: usize) {
        let d = Mat { data: self.dz, ld: self.ldz, op: Op::N };
        let x_t = Mat { data: &x[self.first..], ld: self.n, op: Op::T };
        let cols = self.end - self.first;
        matmul_strided(self.rows(), input, cols, d, x_t, grad_w_ih, input, true);
    }

    /// Adds the chunk's row sums of D to `grad_bias`.
    pub fn bias_grad(&self, grad_bias: &mut [T]) {
        let cols = self.end - self.first;
        for (g, row) in grad_bias.iter_mut().zip(self.dz.chunks(self.ldz)) {
            *g += crate::real::row_sum(&row[..cols]);
        }
    }

    /// All three weight gradients of a layer with one bias (LSTM, RNN).
    #[allow(clippy::too_many_arguments)]
    pub fn weight_grads(
        &self,
        grad_w_hh: &mut [T],
        grad_w_ih: &mut [T],
        grad_bias: &mut [T],
        h: &[T],
        x: &[T],
        units: usize,
        input: usize,
    ) {
        self.recurrent_grad(grad_w_hh, h, units);
        self.input_weight_grad(grad_w_ih, x, input);
        self.bias_grad(grad_bias);
    }

    /// Writes the chunk's columns of `dX = W_ih^T D` into `dx` (`[input][n]`).
    pub fn input_grad(&self, w_ih: &[T], input: usize, dx: &mut [T]) {
        let cols = self.end - self.first;
        let d = Mat { data: self.dz, ld: self.ldz, op: Op::N };
        let w = Mat::dense(w_ih, input, Op::T);
        matmul_strided(input, cols, self.rows(), w, d, &mut dx[self.first..], self.n, false);
    }
}

/// A recurrent layer's output into `out`: all of `h` (`[units][steps*batch]`) with
/// `return_sequences`, else the last step's columns as `[units][batch]`.
pub fn output<T: Real>(
    h: &[T],
    units: usize,
    steps: usize,
    batch: usize,
    return_sequences: bool,
    out: &mut Vec<T>,
) {
    out.clear();
    if return_sequences {
        out.extend_from_slice(h);
    } else {
        let (n, last) = (steps * batch, (steps - 1) * batch);
        for j in 0..units {
            out.extend_from_slice(&h[j * n + last..j * n + last + batch]);
        }
    }
}

/// The output gradient reaching step `t` of a recurrent layer from `dout` (shaped like its
/// output), as rows of `batch` values and their stride: every step's with `return_sequences`,
/// else only the last step's; the other steps get `zeros` (at least `batch` of them) with stride
/// 0, one row of zeros for every unit.
pub fn step_output_grad<'a, T>(
    dout: &'a [T],
    zeros: &'a [T],
    return_sequences: bool,
    t: usize,
    steps: usize,
    batch: usize,
) -> (&'a [T], usize) {
    if return_sequences {
        (&dout[t * batch..], steps * batch)
    } else if t == steps - 1 {
        (dout, batch)
    } else {
        (zeros, 0)
    }
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

/// The description of an LSTM, GRU or simple RNN layer (`{ type = "lstm", units = 25,
/// return_sequences = true }`); `K` says which ([`crate::lstm::LstmKind`], ...).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub struct RecurrentLayerSpec<K> {
    /// Hidden units.
    pub units: usize,
    /// Output every step instead of the last.
    #[serde(default)]
    pub return_sequences: bool,
    /// The candidate (and for the LSTM cell-output) activation; tanh by default.
    #[serde(default = "crate::activation::tanh")]
    pub activation: Activation,
    /// Keras' `dropout`: in training, the share of the input features dropped, with one mask
    /// per sample and feature used at every step of the sequence (0 = none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dropout: f64,
    /// Keras' `recurrent_dropout`: in training, the share of the hidden state's units dropped
    /// from the recurrent connections, one mask per sample and unit for every step (0 = none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub recurrent_dropout: f64,
    /// Penalty on the input kernel `w_ih` (Keras `kernel_regularizer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<Penalty>,
    /// Penalty on the recurrent kernel `w_hh` (Keras `recurrent_regularizer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrent_regularizer: Option<Penalty>,
    /// Penalty on the bias (Keras `bias_regularizer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<Penalty>,
    /// Which layer.
    #[serde(skip)]
    pub kind: PhantomData<K>,
}

impl<K> RecurrentLayerSpec<K> {
    /// A layer of `units`, without penalties.
    pub fn new(units: usize, return_sequences: bool, activation: Activation) -> Self {
        RecurrentLayerSpec {
            units,
            return_sequences,
            activation,
            dropout: 0.0,
            recurrent_dropout: 0.0,
            kernel_regularizer: None,
            recurrent_regularizer: None,
            bias_regularizer: None,
            kind: PhantomData,
        }
    }

    /// Its penalties by tensor role.
    pub fn regularizers(&self) -> Regularizers {
        Regularizers {
            kernel: self.kernel_regularizer,
            recurrent: self.recurrent_regularizer,
            bias: self.bias_regularizer,
        }
    }
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// Which recurrent layer a [`RecurrentLayerSpec`] builds.
pub trait RecurrentKind: Debug + Clone + Copy + PartialEq + Send + Sync + 'static {
    /// Its label in run names, e.g. `LSTM`.
    const LABEL: &'static str;
    /// How an error names it, e.g. `an LSTM`.
    const NAME: &'static str;

    /// The layer for `input` features per step, initialised.
    fn layer<T: Real>(
        input: usize,
        spec: &RecurrentLayerSpec<Self>,
        scheme: InitScheme,
        rng: &mut Rng,
    ) -> Box<dyn Layer<T>>;
}

impl<T: Real, K: RecurrentKind> LayerConfig<T> for RecurrentLayerSpec<K> {
    fn label(&self) -> String {
        let seq = if self.return_sequences { ", seq" } else { "" };
        let mut dropout =
            if self.dropout > 0.0 { format!(", dropout {}", self.dropout) } else { String::new() };
        if self.recurrent_dropout > 0.0 {
            dropout.push_str(&format!(", recurrent dropout {}", self.recurrent_dropout));
        }
        format!("{}({}{seq}{dropout})", K::LABEL, self.units)
    }

    fn build(&self, site: &Site) -> Result<(Box<dyn Layer<T>>, Shape)> {
        let input = site.sequence_input(K::NAME)?;
        let units = site.positive("units", self.units)?;
        self.regularizers().check().map_err(|m| site.invalid(m))?;
        for (name, rate) in
            [("dropout", self.dropout), ("recurrent_dropout", self.recurrent_dropout)]
        {
            if !(0.0..1.0).contains(&rate) {
                return Err(site.invalid(format!("{name} {rate} must be in [0, 1)")));
            }
        }
        let layer = K::layer(input, self, site.scheme, &mut site.rng());
        let shape = if self.return_sequences { Shape::Sequence(units) } else { Shape::Rows(units) };
        Ok((layer, shape))
    }
}

/// What a recurrent layer gives the [`Layer`] trait through [`Recurrent`].
pub trait Steps<T: Real>: Debug + Clone + Send + Sync + 'static {
    /// Its names.
    const KIND: Kind;

    /// Forward through time: `x` is `[input][steps*batch]`; keeping what backward needs
    /// (`keep`), else only the current step's intermediates (the same outputs).
    fn forward_steps(&mut self, x: &[T], steps: usize, batch: usize, out: &mut Vec<T>, keep: bool);

    /// Backward through time; the input gradient when asked.
    fn backward_steps(&mut self, x: &[T], dout: &[T], input_grad: bool) -> Option<Vec<T>>;

    /// Its weights with their gradients.
    fn weights(&mut self) -> Vec<Tensor<'_, T>>;

    /// Parameters as Keras counts them.
    fn count(&self) -> usize;

    /// Hidden units.
    fn units(&self) -> usize;

    /// Its recurrent-dropout state.
    fn recurrent_mask(&mut self) -> &mut RecurrentMask<T>;
}

/// Declares a recurrent layer's kind: the marker type `$kind` ([`RecurrentKind`], building
/// `$layer` from `$config`) and [`Steps`] for `$layer` (its `forward`, `backward`, `weights`
/// and `config.parameters()`), with its names.
macro_rules! recurrent_layer {
    ($layer:ident, $config:ident, $kind:ident, $label:literal, $name:literal, $keras:expr) => {
        #[doc = concat!("Which [`RecurrentLayerSpec`] builds: ", $name, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $kind;

        impl $crate::recurrent::RecurrentKind for $kind {
            const LABEL: &'static str = $label;
            const NAME: &'static str = $name;

            fn layer<T: Real>(
                input: usize,
                spec: &$crate::recurrent::RecurrentLayerSpec<Self>,
                scheme: $crate::init::InitScheme,
                rng: &mut $crate::rng::Rng,
            ) -> Box<dyn $crate::layer::Layer<T>> {
                let (units, return_sequences, activation) =
                    (spec.units, spec.return_sequences, spec.activation);
                let mut layer = $layer::new($config { input, units, return_sequences, activation });
                layer.init(scheme, rng);
                // the dropout masks: streams of their own, drawn after initialisation
                let masks = $crate::rng::Rng::new(rng.next_u64());
                let recurrent_masks = $crate::rng::Rng::new(rng.next_u64());
                Box::new($crate::recurrent::Recurrent::new(
                    layer,
                    (spec.dropout, masks),
                    (spec.recurrent_dropout, recurrent_masks),
                ))
            }
        }

        impl<T: Real> $crate::recurrent::Steps<T> for $layer<T> {
            const KIND: $crate::layer::Kind = $keras;

            fn forward_steps(
                &mut self,
                x: &[T],
                steps: usize,
                batch: usize,
                out: &mut Vec<T>,
                keep: bool,
            ) {
                self.forward(x, steps, batch, out, keep);
            }

            fn backward_steps(&mut self, x: &[T], dout: &[T], input_grad: bool) -> Option<Vec<T>> {
                self.backward(x, dout, input_grad)
            }

            fn weights(&mut self) -> Vec<$crate::layer::Tensor<'_, T>> {
                $layer::weights(self)
            }

            fn count(&self) -> usize {
                self.config.parameters()
            }

            fn units(&self) -> usize {
                self.config.units
            }

            fn recurrent_mask(&mut self) -> &mut $crate::recurrent::RecurrentMask<T> {
                &mut self.recurrent
            }
        }
    };
}
pub(crate) use recurrent_layer;

/// The input and recurrent kernels of a layer with `gates` gate blocks of `units` rows over
/// `input` features, as tensors (PyTorch's `weight_ih_l0`, `weight_hh_l0`).
pub fn kernels<'a, T>(
    (gates, input, units): (usize, usize, usize),
    w_ih: (&'a mut Vec<T>, &'a mut Vec<T>),
    w_hh: (&'a mut Vec<T>, &'a mut Vec<T>),
) -> [Tensor<'a, T>; 2] {
    let rows = gates * units;
    [
        Tensor::param("w_ih", "weight_ih_l0", vec![rows, input], w_ih.0, w_ih.1),
        Tensor::param("w_hh", "weight_hh_l0", vec![rows, units], w_hh.0, w_hh.1),
    ]
}

/// A recurrent layer as a [`Layer`], with Keras' `dropout` and `recurrent_dropout`: in training,
/// each sample's input features (and, inside the layer, its hidden units as the recurrent
/// products read them, see [`RecurrentMask`]) are multiplied by one mask (0, or 1 / (1 - rate))
/// at every step of its sequence, drawn once per forward pass (Keras' `DropoutRNNCell` caches
/// it across the steps of a call); in evaluation nothing is masked.
#[derive(Debug, Clone)]
pub struct Recurrent<L, T> {
    /// The layer.
    pub layer: L,
    /// The masks' draws (a dropout layer of the input rate, applied to ones).
    drop: crate::dropout::Dropout<T>,
    /// The recurrent masks' draws.
    recurrent_drop: crate::dropout::Dropout<T>,
    /// `[input][batch]` mask of the last training pass (empty without dropout).
    mask: Vec<T>,
    /// The masked input of that pass, which the layer saw.
    masked: Vec<T>,
    /// That pass's samples and columns (`steps * batch`).
    dims: (usize, usize),
    /// Masks given instead of drawn (input, recurrent), for parity tests.
    fixed: Option<(Vec<T>, Vec<T>)>,
}

impl<L, T: Real> Recurrent<L, T> {
    /// `layer` with input and recurrent dropout rates (0 = none), each with the stream its masks
    /// are drawn from.
    pub fn new(layer: L, (rate, rng): (f64, Rng), recurrent: (f64, Rng)) -> Recurrent<L, T> {
        let drop = crate::dropout::Dropout::new(rate, rng);
        let recurrent_drop = crate::dropout::Dropout::new(recurrent.0, recurrent.1);
        Recurrent {
            layer,
            drop,
            recurrent_drop,
            mask: vec![],
            masked: vec![],
            dims: (0, 0),
            fixed: None,
        }
    }

    /// Draws this pass's mask, one per input feature and sample, and masks every step of `x`
    /// (`[input][steps*batch]`) with it.
    fn mask_input(&mut self, x: &[T], pass: Pass) {
        let (batch, n) = (pass.batch, pass.steps * pass.batch);
        self.dims = (batch, n);
        let input = x.len() / n.max(1);
        match &self.fixed {
            Some((given, _)) => self.mask.clone_from(given),
            None => self.drop.draw_mask(input * batch, &mut self.mask),
        }
        self.masked.clear();
        self.masked.extend_from_slice(x);
        apply_mask(&mut self.masked, &self.mask, self.dims);
    }
}

/// Multiplies every step of `x` (`[rows][n]`, steps of `batch` columns) by `mask`
/// (`[rows][batch]`).
fn apply_mask<T: Real>(x: &mut [T], mask: &[T], (batch, n): (usize, usize)) {
    for (row, mask) in x.chunks_exact_mut(n.max(1)).zip(mask.chunks_exact(batch.max(1))) {
        for step in row.chunks_exact_mut(batch.max(1)) {
            step.iter_mut().zip(mask).for_each(|(v, m)| *v *= *m);
        }
    }
}

impl<T: Real, L: Steps<T>> Layer<T> for Recurrent<L, T> {
    fn kind(&self) -> Kind {
        L::KIND
    }

    fn forward(&mut self, input: &[T], pass: Pass, out: &mut Vec<T>) {
        let units = self.layer.units();
        let mask = &mut self.layer.recurrent_mask().mask;
        match (&self.fixed, pass.train && self.recurrent_drop.rate > 0.0) {
            (Some((_, given)), true) => mask.clone_from(given),
            (None, true) => self.recurrent_drop.draw_mask(units * pass.batch, mask),
            (_, false) => mask.clear(),
        }
        if pass.train && self.drop.rate > 0.0 {
            self.mask_input(input, pass);
            self.layer.forward_steps(&self.masked, pass.steps, pass.batch, out, pass.keep);
        } else {
            self.mask.clear();
            self.layer.forward_steps(input, pass.steps, pass.batch, out, pass.keep);
        }
    }

    fn backward(&mut self, input: &[T], dout: &[T], input_grad: bool, dx: &mut Vec<T>) -> bool {
        let x = if self.mask.is_empty() { input } else { &self.masked };
        let Some(mut grad) = self.layer.backward_steps(x, dout, input_grad) else {
            return false;
        };
        if !self.mask.is_empty() {
            apply_mask(&mut grad, &self.mask, self.dims);
        }
        *dx = grad;
        true
    }

    fn tensors(&mut self) -> Vec<Tensor<'_, T>> {
        self.layer.weights()
    }

    fn parameters(&self) -> usize {
        self.layer.count()
    }

    fn fix_dropout_masks(&mut self, input: Vec<T>, recurrent: Vec<T>) {
        self.fixed = Some((input, recurrent));
    }

    fn reseed(&mut self, rng: Rng) {
        let mut stream = rng.clone();
        self.drop.reseed(rng);
        self.recurrent_drop.reseed(Rng::new(stream.next_u64()));
    }

    fn boxed(&self) -> Box<dyn Layer<T>> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lstm::{Lstm, LstmConfig};

    #[test]
    fn input_dropout_is_one_mask_per_sample_and_feature_at_every_step() {
        let (f, steps, batch) = (3, 4, 50);
        let config =
            LstmConfig { input: f, units: 2, return_sequences: true, activation: Activation::Tanh };
        let mut lstm = Lstm::<f64>::new(config);
        lstm.init(InitScheme::Keras, &mut Rng::new(1));
        let none = (0.0, Rng::new(4));
        let mut dropped = Recurrent::new(lstm.clone(), (0.4, Rng::new(2)), none.clone());
        let mut plain = Recurrent::new(lstm, (0.0, Rng::new(2)), none);
        let mut rng = Rng::new(3);
        let x: Vec<f64> = (0..f * steps * batch).map(|_| rng.normal()).collect();
        let pass = Pass { steps, batch, columns: steps * batch, train: true, keep: true };
        let (mut out, mut want) = (vec![], vec![]);
        dropped.forward(&x, pass, &mut out);
        let mask = dropped.mask.clone();
        assert_eq!(mask.len(), f * batch);
        assert!(mask.iter().all(|m| *m == 0.0 || (*m - 1.0 / 0.6).abs() < 1e-12));
        let zeros = mask.iter().filter(|m| **m == 0.0).count();
        assert!((30..=90).contains(&zeros), "about 40% of 150 dropped: {zeros}");
        // the same as the plain layer on the input masked at every step
        let mut masked = x.clone();
        apply_mask(&mut masked, &mask, (batch, steps * batch));
        for r in 0..f {
            for t in 0..steps {
                for b in 0..batch {
                    let i = r * steps * batch + t * batch + b;
                    assert_eq!(masked[i], x[i] * mask[r * batch + b]);
                }
            }
        }
        plain.forward(&masked, pass, &mut want);
        assert_eq!(out, want);
        let dout: Vec<f64> = (0..out.len()).map(|_| rng.normal()).collect();
        let (mut dx, mut dx_plain) = (vec![], vec![]);
        assert!(dropped.backward(&x, &dout, true, &mut dx));
        assert!(plain.backward(&masked, &dout, true, &mut dx_plain));
        apply_mask(&mut dx_plain, &mask, (batch, steps * batch));
        assert_eq!(dx, dx_plain, "the input gradient goes through the mask");
        assert_eq!(dropped.layer.grad_w_ih, plain.layer.grad_w_ih);
        // evaluation: no mask
        let eval = Pass { train: false, ..pass };
        dropped.forward(&x, eval, &mut out);
        plain.forward(&x, eval, &mut want);
        assert_eq!(out, want);
    }
}
