//! A sequential model over a sequence input: recurrent layers, dropout and dense layers (applied
//! per time step while the data is still a sequence), built from serialisable [`LayerSpec`]s with
//! shape checks, and run forward/backward on feature-major batches (`[features][T*B]`).

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::batchnorm::{BatchNorm, BatchNormConfig};
use crate::dense::{Dense, DenseConfig};
use crate::dropout::Dropout;
use crate::embedding::{Embedding, EmbeddingSpec};
use crate::error::{Error, Result};
use crate::gru::{Gru, GruConfig};
use crate::init::{self, InitScheme};
use crate::lstm::{Lstm, LstmConfig};
use crate::optim::Param;
use crate::real::Real;
use crate::rng::Rng;
use crate::rnn::{Rnn, RnnConfig};

fn tanh() -> Activation {
    Activation::Tanh
}

fn bn_momentum() -> f64 {
    0.99
}

fn bn_epsilon() -> f64 {
    1e-3
}

/// One layer of a model description.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LayerSpec {
    /// LSTM(units), optionally returning the whole sequence.
    Lstm {
        /// Hidden units.
        units: usize,
        /// Output every step instead of the last.
        #[serde(default)]
        return_sequences: bool,
        /// Candidate and cell-output activation.
        #[serde(default = "tanh")]
        activation: Activation,
    },
    /// GRU(units) in the reset-after form of PyTorch and Keras 3.
    Gru {
        /// Hidden units.
        units: usize,
        /// Output every step instead of the last.
        #[serde(default)]
        return_sequences: bool,
        /// Candidate activation.
        #[serde(default = "tanh")]
        activation: Activation,
    },
    /// Simple (Elman) RNN(units), Keras `SimpleRNN`, PyTorch `nn.RNN`.
    #[serde(alias = "simple_rnn")]
    Rnn {
        /// Hidden units.
        units: usize,
        /// Output every step instead of the last.
        #[serde(default)]
        return_sequences: bool,
        /// tanh or relu.
        #[serde(default = "tanh")]
        activation: Activation,
    },
    /// Dense(units); time-distributed when its input is a sequence.
    Dense {
        /// Output units.
        units: usize,
        /// Activation.
        #[serde(default)]
        activation: Activation,
    },
    /// Batch normalisation over the feature axis (Keras `BatchNormalization()`).
    #[serde(alias = "batch_normalization")]
    BatchNorm {
        /// Decay of the moving statistics (Keras 0.99).
        #[serde(default = "bn_momentum")]
        momentum: f64,
        /// Added to the variance (Keras 1e-3).
        #[serde(default = "bn_epsilon")]
        epsilon: f64,
    },
    /// Dropout(rate), active in training only.
    Dropout {
        /// Drop probability.
        rate: f64,
    },
}

/// A model description: the per-step features of the input sequence and the layers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Features per time step.
    pub features: usize,
    /// Layers of the sequence branch, input to output.
    pub layers: Vec<LayerSpec>,
    /// Categorical inputs (e.g. the ticker id), each embedded and concatenated after the branch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embeddings: Vec<EmbeddingSpec>,
    /// Width of a static (per-sample, not per-step) input concatenated after the branch, e.g. a
    /// month one-hot.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub static_features: usize,
    /// Layers after the concatenation of branch output, embeddings and static input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<LayerSpec>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl ModelSpec {
    /// A sequence-only model.
    pub fn sequence(features: usize, layers: Vec<LayerSpec>) -> ModelSpec {
        ModelSpec { features, layers, embeddings: vec![], static_features: 0, head: vec![] }
    }

    /// True when the model takes categorical or static inputs besides the sequence.
    pub fn has_side_inputs(&self) -> bool {
        !self.embeddings.is_empty() || self.static_features > 0
    }
}

/// One batch of inputs: the sequence (`[features][steps*batch]`), and for models that have them the
/// categorical ids (one `Vec` of `batch` ids per embedding) and static values (`[static][batch]`).
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a, T> {
    /// The sequence, feature-major.
    pub sequence: &'a [T],
    /// Time steps.
    pub steps: usize,
    /// Samples.
    pub batch: usize,
    /// Categorical ids per embedding.
    pub categorical: &'a [Vec<u32>],
    /// Static values, feature-major.
    pub statics: &'a [T],
}

/// Whether data between layers is still a sequence or one value vector per sample. Data are
/// feature-major: a sequence is `[width][T*B]` (column `t*B + b`), rows are `[width][B]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `[width][T*B]`.
    Sequence(usize),
    /// `[width][B]`.
    Rows(usize),
}

impl Shape {
    /// Features per row.
    pub fn width(self) -> usize {
        match self {
            Shape::Sequence(w) | Shape::Rows(w) => w,
        }
    }
}

/// One persistent tensor of a model: its name, shape and values.
#[derive(Debug)]
pub struct StateTensor<'a, T> {
    /// `<layer index>.<kind>.<tensor>`.
    pub name: String,
    /// Row-major shape.
    pub shape: Vec<usize>,
    /// The values.
    pub values: &'a mut Vec<T>,
}

/// One line of a model summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    /// Keras-style name and type, e.g. `lstm_1 (LSTM)`.
    pub name: String,
    /// Output shape, e.g. `(None, 52, 25)`.
    pub output: String,
    /// Parameters.
    pub params: usize,
}

#[derive(Debug, Clone)]
enum Layer<T> {
    Lstm(Box<Lstm<T>>),
    Gru(Box<Gru<T>>),
    Rnn(Box<Rnn<T>>),
    Dense(Dense<T>),
    BatchNorm(BatchNorm<T>),
    Dropout(Dropout<T>),
}

/// A built model with parameters, gradients and the activations of the last forward pass.
#[derive(Debug, Clone)]
pub struct Sequential<T> {
    spec: ModelSpec,
    /// Branch layers, then head layers.
    layers: Vec<Layer<T>>,
    /// Number of branch layers; head layers follow.
    branch_len: usize,
    /// Output width of the branch (before any concatenation).
    branch_width: usize,
    embeddings: Vec<Embedding<T>>,
    /// shapes[i] is the input shape of layer i; the last entry is the output shape.
    shapes: Vec<Shape>,
    acts: Vec<Vec<T>>,
    /// Buffers for the gradients passed between layers in backward.
    grads: [Vec<T>; 2],
    steps: usize,
    batch: usize,
}

impl<T: Real> Sequential<T> {
    /// Builds and initialises a model; `seed` drives initialisation and dropout masks.
    ///
    /// # Errors
    /// [`Error::Model`] for zero sizes, a dropout rate outside [0, 1), or a recurrent layer after
    /// the sequence has been reduced to rows.
    pub fn new(spec: &ModelSpec, scheme: InitScheme, seed: u64) -> Result<Sequential<T>> {
        if spec.features == 0 || spec.layers.is_empty() {
            return Err(Error::Model("a model needs input features and at least one layer".into()));
        }
        let mut shape = Shape::Sequence(spec.features);
        let mut shapes = vec![shape];
        let mut layers = Vec::with_capacity(spec.layers.len() + spec.head.len());
        for (k, layer) in spec.layers.iter().enumerate() {
            let (built, next) = build_layer(k, layer, shape, scheme, seed)?;
            shape = next;
            layers.push(built);
            shapes.push(shape);
        }
        let branch_len = layers.len();
        let branch_width = shape.width();
        let mut embeddings = Vec::new();
        if spec.has_side_inputs() || !spec.head.is_empty() {
            let Shape::Rows(width) = shape else {
                return Err(Error::Model("the sequence branch must end with one row per sample (return_sequences = false) before embeddings, static inputs or head layers".into()));
            };
            for (i, e) in spec.embeddings.iter().enumerate() {
                if e.vocab == 0 || e.dim == 0 {
                    return Err(Error::Model(format!(
                        "embedding {}: vocab and dim must be at least 1",
                        i + 1
                    )));
                }
                let mut emb = Embedding::new(*e);
                let mut rng = Rng::derive(seed, 10_000 + i as u64);
                match scheme {
                    InitScheme::Keras => init::uniform(&mut emb.table, 0.05, &mut rng),
                    InitScheme::Torch => {
                        emb.table.iter_mut().for_each(|v| *v = T::from_f64(rng.normal()))
                    }
                }
                embeddings.push(emb);
            }
            shape = Shape::Rows(
                width + spec.embeddings.iter().map(|e| e.dim).sum::<usize>() + spec.static_features,
            );
            // The head's first input is the concatenation: record its shape in place of the
            // branch output's.
            *shapes.last_mut().unwrap_or(&mut shape) = shape;
            for (k, layer) in spec.head.iter().enumerate() {
                let (built, next) = build_layer(branch_len + k, layer, shape, scheme, seed)?;
                shape = next;
                layers.push(built);
                shapes.push(shape);
            }
        }
        Ok(Sequential {
            spec: spec.clone(),
            layers,
            branch_len,
            branch_width,
            embeddings,
            shapes,
            acts: vec![],
            grads: [vec![], vec![]],
            steps: 0,
            batch: 0,
        })
    }

    /// The description it was built from.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// The output shape.
    pub fn output_shape(&self) -> Shape {
        *self.shapes.last().unwrap_or(&Shape::Rows(0))
    }

    /// One row per layer as Keras' `model.summary()` shows it, for sequences of `steps`.
    pub fn summary(&self, steps: usize) -> Vec<SummaryRow> {
        let mut seen: std::collections::BTreeMap<&'static str, usize> = Default::default();
        let mut name = |base: &'static str, kind: &str| {
            let k = seen.entry(base).or_insert(0);
            let n = if *k == 0 { base.to_string() } else { format!("{base}_{k}") };
            *k += 1;
            format!("{n} ({kind})")
        };
        let shape_text = |shape: Shape| match shape {
            Shape::Sequence(w) => format!("(None, {steps}, {w})"),
            Shape::Rows(w) => format!("(None, {w})"),
        };
        let side = self.spec.has_side_inputs();
        let mut rows = Vec::new();
        for k in 0..=self.layers.len() {
            if k == self.branch_len && side {
                for e in &self.embeddings {
                    rows.push(SummaryRow {
                        name: name("embedding", "Embedding"),
                        output: format!("(None, {})", e.spec.dim),
                        params: e.spec.vocab * e.spec.dim,
                    });
                }
                rows.push(SummaryRow {
                    name: name("concatenate", "Concatenate"),
                    output: shape_text(self.shapes[self.branch_len]),
                    params: 0,
                });
            }
            let Some(layer) = self.layers.get(k) else { break };
            let (kind, base, params) = match layer {
                Layer::Lstm(l) => ("LSTM", "lstm", l.config.parameters()),
                Layer::Gru(g) => ("GRU", "gru", g.config.parameters()),
                Layer::Rnn(r) => ("SimpleRNN", "simple_rnn", r.config.parameters()),
                Layer::Dense(d) => ("Dense", "dense", d.config.parameters()),
                Layer::BatchNorm(b) => {
                    ("BatchNormalization", "batch_normalization", b.config.parameters())
                }
                Layer::Dropout(_) => ("Dropout", "dropout", 0),
            };
            let out = if side && k + 1 == self.branch_len {
                Shape::Rows(self.branch_width)
            } else {
                self.shapes[k + 1]
            };
            rows.push(SummaryRow { name: name(base, kind), output: shape_text(out), params });
        }
        rows
    }

    /// Number of parameters (Keras' count).
    pub fn parameters(&self) -> usize {
        self.layers
            .iter()
            .map(|l| match l {
                Layer::Lstm(l) => l.config.parameters(),
                Layer::Gru(g) => g.config.parameters(),
                Layer::Rnn(r) => r.config.parameters(),
                Layer::Dense(d) => d.config.parameters(),
                Layer::BatchNorm(b) => b.config.parameters(),
                Layer::Dropout(_) => 0,
            })
            .sum::<usize>()
            + self.embeddings.iter().map(|e| e.spec.vocab * e.spec.dim).sum::<usize>()
    }

    /// True if any layer is batch normalisation (whose batch statistics tie the samples of a
    /// batch together).
    pub fn has_batch_norm(&self) -> bool {
        self.layers.iter().any(|l| matches!(l, Layer::BatchNorm(_)))
    }

    /// Gives every dropout layer a fresh stream derived from `seed` (for model replicas, whose
    /// masks must differ).
    pub fn reseed_dropout(&mut self, seed: u64) {
        for (k, layer) in self.layers.iter_mut().enumerate() {
            if let Layer::Dropout(d) = layer {
                d.reseed(Rng::derive(seed, k as u64));
            }
        }
    }

    /// Parameters trained by gradient (Keras' "Trainable params": without the moving statistics
    /// of batch normalisation).
    pub fn trainable_parameters(&self) -> usize {
        let moving: usize = self
            .layers
            .iter()
            .map(|l| if let Layer::BatchNorm(b) = l { 2 * b.config.features } else { 0 })
            .sum();
        self.parameters() - moving
    }

    /// Runs the model on `x` (`[features][steps*batch]`, feature-major, column `t*batch + b`).
    /// Returns the output, `[width][steps*batch]` for a sequence output or `[width][batch]`.
    ///
    /// # Errors
    /// [`Error::Shape`] if `x` does not have `steps * batch * features` values.
    pub fn forward(&mut self, x: &[T], steps: usize, batch: usize, train: bool) -> Result<&[T]> {
        self.forward_inputs(
            Inputs { sequence: x, steps, batch, categorical: &[], statics: &[] },
            train,
        )
    }

    /// Runs the model on a batch with categorical and static inputs besides the sequence.
    ///
    /// # Errors
    /// [`Error::Shape`] when an input has the wrong size, or a categorical id is outside its
    /// vocabulary.
    pub fn forward_inputs(&mut self, inputs: Inputs<'_, T>, train: bool) -> Result<&[T]> {
        let Inputs { sequence: x, steps, batch, categorical, statics } = inputs;
        if x.len() != steps * batch * self.spec.features || steps == 0 || batch == 0 {
            return Err(Error::Shape(format!(
                "input has {} values, expected {steps} steps x {batch} samples x {} features",
                x.len(),
                self.spec.features
            )));
        }
        if categorical.len() != self.embeddings.len()
            || categorical.iter().any(|c| c.len() != batch)
        {
            return Err(Error::Shape(format!(
                "the model takes {} categorical input(s) of {batch} ids each",
                self.embeddings.len()
            )));
        }
        if statics.len() != self.spec.static_features * batch {
            return Err(Error::Shape(format!(
                "static input has {} values, expected {} x {batch}",
                statics.len(),
                self.spec.static_features
            )));
        }
        self.steps = steps;
        self.batch = batch;
        // Every layer writes into its buffer of the previous pass: no per-pass allocations.
        self.acts.resize_with(self.layers.len() + 1, Vec::new);
        self.acts[0].clear();
        self.acts[0].extend_from_slice(x);
        for k in 0..=self.layers.len() {
            if k == self.branch_len && self.spec.has_side_inputs() {
                // Concatenate [branch output; embeddings; static] as rows of one [width][B].
                for (e, ids) in self.embeddings.iter_mut().zip(categorical) {
                    self.acts[k].extend(e.forward(ids)?);
                }
                self.acts[k].extend_from_slice(statics);
            }
            let Some(layer) = self.layers.get_mut(k) else { break };
            let (done, next) = self.acts.split_at_mut(k + 1);
            let (input, out) = (&done[k], &mut next[0]);
            let cols = match self.shapes[k] {
                Shape::Sequence(_) => steps * batch,
                Shape::Rows(_) => batch,
            };
            match layer {
                Layer::Lstm(l) => l.forward(input, steps, batch, out),
                Layer::Gru(g) => g.forward(input, steps, batch, out),
                Layer::Rnn(r) => r.forward(input, steps, batch, out),
                Layer::Dense(d) => d.forward(input, cols, out),
                Layer::BatchNorm(b) => b.forward(input, cols, train, out),
                Layer::Dropout(d) => d.forward(input, train, out),
            }
        }
        Ok(self.acts.last().map(Vec::as_slice).unwrap_or(&[]))
    }

    /// Sends the embeddings' share of the gradient of the concatenation to their tables and keeps
    /// the branch's share in `d`.
    fn split_concat_grad(&mut self, d: &mut Vec<T>) {
        let b = self.batch;
        let mut offset = self.branch_width * b;
        for e in &mut self.embeddings {
            let len = e.spec.dim * b;
            e.backward(&d[offset..offset + len]);
            offset += len;
        }
        d.truncate(self.branch_width * b);
    }

    /// Backpropagates `dout` (shaped like the last output), adding to every parameter gradient.
    /// Returns the gradient with respect to the input when `input_grad` is set (training does
    /// not need it; permutation importance and gradient checks do).
    pub fn backward(&mut self, dout: &[T], input_grad: bool) -> Option<Vec<T>> {
        // Two gradient buffers kept between passes, swapped layer by layer.
        let [mut d, mut dx] = std::mem::take(&mut self.grads);
        d.clear();
        d.extend_from_slice(dout);
        let concat = self.spec.has_side_inputs();
        if concat && self.branch_len == self.layers.len() {
            self.split_concat_grad(&mut d);
        }
        for k in (0..self.layers.len()).rev() {
            let input = &self.acts[k];
            let need = k > 0 || input_grad;
            let computed = match &mut self.layers[k] {
                Layer::Lstm(l) => l.backward(input, &d, need).map(|g| dx = g).is_some(),
                Layer::Gru(g) => g.backward(input, &d, need).map(|g| dx = g).is_some(),
                Layer::Rnn(r) => r.backward(input, &d, need).map(|g| dx = g).is_some(),
                Layer::Dense(l) => l.backward(input, &d, need, &mut dx),
                Layer::BatchNorm(b) => {
                    b.backward(&d, &mut dx);
                    true
                }
                Layer::Dropout(l) => {
                    l.backward(&d, &mut dx);
                    true
                }
            };
            std::mem::swap(&mut d, &mut dx);
            if !computed {
                self.grads = [d, dx];
                return None;
            }
            if concat && k == self.branch_len {
                self.split_concat_grad(&mut d);
            }
        }
        let result = d.clone();
        self.grads = [d, dx];
        Some(result)
    }

    /// Every tensor that defines the model's state (trained weights and batch normalisation's
    /// moving statistics), named `<layer index>.<kind>.<tensor>`, e.g. `0.lstm.w_ih`, with its
    /// shape, in a fixed order. Checkpoints save exactly these.
    pub fn state_mut(&mut self) -> Vec<StateTensor<'_, T>> {
        fn t<'a, T>(
            k: usize,
            kind: &str,
            name: &str,
            shape: Vec<usize>,
            values: &'a mut Vec<T>,
        ) -> StateTensor<'a, T> {
            StateTensor { name: format!("{k}.{kind}.{name}"), shape, values }
        }
        let mut out = Vec::new();
        for (k, layer) in self.layers.iter_mut().enumerate() {
            match layer {
                Layer::Lstm(l) => {
                    let (f, h) = (l.config.input, l.config.units);
                    out.extend([
                        t(k, "lstm", "w_ih", vec![4 * h, f], &mut l.w_ih),
                        t(k, "lstm", "w_hh", vec![4 * h, h], &mut l.w_hh),
                        t(k, "lstm", "bias", vec![4 * h], &mut l.bias),
                    ]);
                }
                Layer::Gru(g) => {
                    let (f, h) = (g.config.input, g.config.units);
                    out.extend([
                        t(k, "gru", "w_ih", vec![3 * h, f], &mut g.w_ih),
                        t(k, "gru", "w_hh", vec![3 * h, h], &mut g.w_hh),
                        t(k, "gru", "b_ih", vec![3 * h], &mut g.b_ih),
                        t(k, "gru", "b_hh", vec![3 * h], &mut g.b_hh),
                    ]);
                }
                Layer::Rnn(r) => {
                    let (f, h) = (r.config.input, r.config.units);
                    out.extend([
                        t(k, "rnn", "w_ih", vec![h, f], &mut r.w_ih),
                        t(k, "rnn", "w_hh", vec![h, h], &mut r.w_hh),
                        t(k, "rnn", "bias", vec![h], &mut r.bias),
                    ]);
                }
                Layer::Dense(d) => {
                    let (i, o) = (d.config.input, d.config.units);
                    out.extend([
                        t(k, "dense", "w", vec![o, i], &mut d.w),
                        t(k, "dense", "b", vec![o], &mut d.b),
                    ]);
                }
                Layer::BatchNorm(b) => {
                    let c = b.config.features;
                    out.extend([
                        t(k, "batch_norm", "gamma", vec![c], &mut b.gamma),
                        t(k, "batch_norm", "beta", vec![c], &mut b.beta),
                        t(k, "batch_norm", "moving_mean", vec![c], &mut b.moving_mean),
                        t(k, "batch_norm", "moving_var", vec![c], &mut b.moving_var),
                    ]);
                }
                Layer::Dropout(_) => {}
            }
        }
        for (i, e) in self.embeddings.iter_mut().enumerate() {
            let shape = vec![e.spec.vocab, e.spec.dim];
            out.push(StateTensor {
                name: format!("e{i}.embedding.table"),
                shape,
                values: &mut e.table,
            });
        }
        out
    }

    /// Sets every gradient to zero.
    pub fn zero_grad(&mut self) {
        for p in self.params() {
            p.grad.iter_mut().for_each(|g| *g = T::ZERO);
        }
    }

    /// The state that is not trained by gradient (batch normalisation's moving mean and
    /// variance), in a fixed order: with [`Self::params`], everything a restored best epoch needs.
    pub fn buffers(&mut self) -> Vec<&mut Vec<T>> {
        let mut out = Vec::new();
        for layer in &mut self.layers {
            if let Layer::BatchNorm(b) = layer {
                out.push(&mut b.moving_mean);
                out.push(&mut b.moving_var);
            }
        }
        out
    }

    /// Every parameter tensor with its gradient, in a fixed order.
    pub fn params(&mut self) -> Vec<Param<'_, T>> {
        let mut out = Vec::new();
        for layer in &mut self.layers {
            match layer {
                Layer::Lstm(l) => {
                    out.push(Param { value: &mut l.w_ih, grad: &mut l.grad_w_ih });
                    out.push(Param { value: &mut l.w_hh, grad: &mut l.grad_w_hh });
                    out.push(Param { value: &mut l.bias, grad: &mut l.grad_bias });
                }
                Layer::Gru(g) => {
                    out.push(Param { value: &mut g.w_ih, grad: &mut g.grad_w_ih });
                    out.push(Param { value: &mut g.w_hh, grad: &mut g.grad_w_hh });
                    out.push(Param { value: &mut g.b_ih, grad: &mut g.grad_b_ih });
                    out.push(Param { value: &mut g.b_hh, grad: &mut g.grad_b_hh });
                }
                Layer::Rnn(r) => {
                    out.push(Param { value: &mut r.w_ih, grad: &mut r.grad_w_ih });
                    out.push(Param { value: &mut r.w_hh, grad: &mut r.grad_w_hh });
                    out.push(Param { value: &mut r.bias, grad: &mut r.grad_bias });
                }
                Layer::Dense(d) => {
                    out.push(Param { value: &mut d.w, grad: &mut d.grad_w });
                    out.push(Param { value: &mut d.b, grad: &mut d.grad_b });
                }
                Layer::BatchNorm(b) => {
                    out.push(Param { value: &mut b.gamma, grad: &mut b.grad_gamma });
                    out.push(Param { value: &mut b.beta, grad: &mut b.grad_beta });
                }
                Layer::Dropout(_) => {}
            }
        }
        for e in &mut self.embeddings {
            out.push(Param { value: &mut e.table, grad: &mut e.grad });
        }
        out
    }
}

/// Builds layer `k` for an input of `shape`; returns it with its output shape.
fn build_layer<T: Real>(
    k: usize,
    layer: &LayerSpec,
    shape: Shape,
    scheme: InitScheme,
    seed: u64,
) -> Result<(Layer<T>, Shape)> {
    let mut shape = shape;
    let mut rng = Rng::derive(seed, k as u64);
    let built = match *layer {
        LayerSpec::Lstm { units, return_sequences, activation } => {
            let Shape::Sequence(input) = shape else {
                return Err(Error::Model(format!("layer {}: an LSTM needs a sequence, but the layer before returns one row per sample (set return_sequences = true there)", k + 1)));
            };
            if units == 0 {
                return Err(Error::Model(format!("layer {}: units must be at least 1", k + 1)));
            }
            let mut l = Lstm::new(LstmConfig { input, units, return_sequences, activation });
            init_lstm(&mut l, scheme, &mut rng);
            shape = if return_sequences { Shape::Sequence(units) } else { Shape::Rows(units) };
            Layer::Lstm(Box::new(l))
        }
        LayerSpec::Gru { units, return_sequences, activation }
        | LayerSpec::Rnn { units, return_sequences, activation } => {
            let Shape::Sequence(input) = shape else {
                return Err(Error::Model(format!("layer {}: a recurrent layer needs a sequence, but the layer before returns one row per sample (set return_sequences = true there)", k + 1)));
            };
            if units == 0 {
                return Err(Error::Model(format!("layer {}: units must be at least 1", k + 1)));
            }
            shape = if return_sequences { Shape::Sequence(units) } else { Shape::Rows(units) };
            if matches!(layer, LayerSpec::Gru { .. }) {
                let mut g = Gru::new(GruConfig { input, units, return_sequences, activation });
                init_recurrent(&mut g.w_ih, &mut g.w_hh, 3, input, units, scheme, &mut rng);
                if scheme == InitScheme::Torch {
                    let k = 1.0 / (units as f64).sqrt();
                    init::uniform(&mut g.b_ih, k, &mut rng);
                    init::uniform(&mut g.b_hh, k, &mut rng);
                }
                Layer::Gru(Box::new(g))
            } else {
                let mut r = Rnn::new(RnnConfig { input, units, return_sequences, activation });
                init_recurrent(&mut r.w_ih, &mut r.w_hh, 1, input, units, scheme, &mut rng);
                if scheme == InitScheme::Torch {
                    torch_two_biases(&mut r.bias, units, &mut rng);
                }
                Layer::Rnn(Box::new(r))
            }
        }
        LayerSpec::Dense { units, activation } => {
            if units == 0 {
                return Err(Error::Model(format!("layer {}: units must be at least 1", k + 1)));
            }
            let mut d = Dense::new(DenseConfig { input: shape.width(), units, activation });
            init_dense(&mut d, scheme, &mut rng);
            shape = match shape {
                Shape::Sequence(_) => Shape::Sequence(units),
                Shape::Rows(_) => Shape::Rows(units),
            };
            Layer::Dense(d)
        }
        LayerSpec::BatchNorm { momentum, epsilon } => {
            let valid = (0.0..1.0).contains(&momentum) && epsilon > 0.0 && epsilon.is_finite();
            if !valid {
                return Err(Error::Model(format!(
                    "layer {}: batch norm needs momentum in [0, 1) and epsilon > 0",
                    k + 1
                )));
            }
            Layer::BatchNorm(BatchNorm::new(BatchNormConfig {
                features: shape.width(),
                momentum,
                epsilon,
            }))
        }
        LayerSpec::Dropout { rate } => {
            if !(0.0..1.0).contains(&rate) {
                return Err(Error::Model(format!(
                    "layer {}: dropout rate {rate} must be in [0, 1)",
                    k + 1
                )));
            }
            Layer::Dropout(Dropout::new(rate, rng))
        }
    };
    Ok((built, shape))
}

fn init_lstm<T: Real>(l: &mut Lstm<T>, scheme: InitScheme, rng: &mut Rng) {
    let (f, h) = (l.config.input, l.config.units);
    init_recurrent(&mut l.w_ih, &mut l.w_hh, 4, f, h, scheme, rng);
    match scheme {
        // Keras: zero biases except the forget gate's (unit_forget_bias).
        InitScheme::Keras => l
            .bias
            .iter_mut()
            .enumerate()
            .for_each(|(i, b)| *b = if (h..2 * h).contains(&i) { T::ONE } else { T::ZERO }),
        InitScheme::Torch => torch_two_biases(&mut l.bias, h, rng),
    }
}

/// Kernels of a recurrent layer with `gates` gate blocks: Keras glorot-uniform input kernel
/// (fan_in F, fan_out gates*H) and orthogonal recurrent kernel; PyTorch U(-1/sqrt(H), 1/sqrt(H)).
#[allow(clippy::too_many_arguments)]
fn init_recurrent<T: Real>(
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
            init::glorot_uniform(w_ih, input, gates * units, rng);
            init::orthogonal(w_hh, gates * units, units, rng);
        }
        InitScheme::Torch => {
            let k = 1.0 / (units as f64).sqrt();
            init::uniform(w_ih, k, rng);
            init::uniform(w_hh, k, rng);
        }
    }
}

/// PyTorch draws bias_ih and bias_hh separately; one bias holds their sum.
fn torch_two_biases<T: Real>(bias: &mut [T], units: usize, rng: &mut Rng) {
    let k = 1.0 / (units as f64).sqrt();
    let (mut b_ih, mut b_hh) = (vec![T::ZERO; bias.len()], vec![T::ZERO; bias.len()]);
    init::uniform(&mut b_ih, k, rng);
    init::uniform(&mut b_hh, k, rng);
    bias.iter_mut().zip(b_ih.iter().zip(&b_hh)).for_each(|(b, (x, y))| *b = *x + *y);
}

fn init_dense<T: Real>(d: &mut Dense<T>, scheme: InitScheme, rng: &mut Rng) {
    let (i, o) = (d.config.input, d.config.units);
    match scheme {
        InitScheme::Keras => init::glorot_uniform(&mut d.w, i, o, rng),
        InitScheme::Torch => {
            let k = 1.0 / (i as f64).sqrt();
            init::uniform(&mut d.w, k, rng);
            init::uniform(&mut d.b, k, rng);
        }
    }
}
