//! A sequential model over a sequence input: recurrent layers, dropout and dense layers (applied
//! per time step while the data is still a sequence), built from serialisable [`LayerSpec`]s with
//! shape checks, and run forward/backward on feature-major batches (`[features][T*B]`).

use serde::{Deserialize, Serialize};

use crate::embedding::{Embedding, EmbeddingSpec};
use crate::error::{Error, Result};
use crate::init::{self, InitScheme};
pub use crate::layer::Shape;
use crate::layer::{Companion, Layer, Pass, Site};
use crate::optim::Param;
use crate::penalty::{Penalty, Regularizers};
use crate::real::Real;
pub use crate::registry::LayerSpec;
use crate::rng::Rng;

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

/// One persistent tensor of a model: its names, shape and values.
#[derive(Debug)]
pub struct StateTensor<'a, T> {
    /// `<layer index>.<kind>.<tensor>`, e.g. `0.lstm.w_ih`, or `e<i>.embedding.table`.
    pub name: String,
    /// PyTorch's name in a `nn.ModuleList` model, e.g. `layers.0.weight_ih_l0`.
    pub torch: String,
    /// What PyTorch keeps beside it (under its full name).
    pub companion: Option<Companion>,
    /// Row-major shape.
    pub shape: Vec<usize>,
    /// The values.
    pub values: &'a mut Vec<T>,
}

impl<T> StateTensor<'_, T> {
    /// The PyTorch module the tensor belongs to, e.g. `layers.0`.
    pub fn torch_module(&self) -> &str {
        self.torch.rsplit_once('.').map_or("", |(module, _)| module)
    }
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

/// A built model with parameters, gradients and the activations of the last forward pass.
#[derive(Debug, Clone)]
pub struct Sequential<T: Real> {
    spec: ModelSpec,
    /// Branch layers, then head layers.
    layers: Vec<Box<dyn Layer<T>>>,
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
        let mut add = |layer: &LayerSpec, shape: &mut Shape, shapes: &mut Vec<Shape>| {
            let site = Site { index: layers.len(), input: *shape, scheme, seed };
            let (built, next) = layer.config::<T>().build(&site)?;
            *shape = next;
            layers.push(built);
            shapes.push(next);
            Ok::<_, Error>(())
        };
        for layer in &spec.layers {
            add(layer, &mut shape, &mut shapes)?;
        }
        let branch_width = shape.width();
        let mut embeddings = Vec::new();
        if spec.has_side_inputs() || !spec.head.is_empty() {
            let Shape::Rows(width) = shape else {
                return Err(Error::Model("the sequence branch must end with one row per sample (return_sequences = false) before embeddings, static inputs or head layers".into()));
            };
            for (i, e) in spec.embeddings.iter().enumerate() {
                embeddings.push(embedding(i, *e, scheme, seed)?);
            }
            shape = Shape::Rows(
                width + spec.embeddings.iter().map(|e| e.dim).sum::<usize>() + spec.static_features,
            );
            // The head's first input is the concatenation: record its shape in place of the
            // branch output's.
            *shapes.last_mut().unwrap_or(&mut shape) = shape;
            for layer in &spec.head {
                add(layer, &mut shape, &mut shapes)?;
            }
        }
        Ok(Sequential {
            spec: spec.clone(),
            branch_len: spec.layers.len(),
            layers,
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
            let kind = layer.kind();
            let out = if side && k + 1 == self.branch_len {
                Shape::Rows(self.branch_width)
            } else {
                self.shapes[k + 1]
            };
            rows.push(SummaryRow {
                name: name(kind.keras_name, kind.keras),
                output: shape_text(out),
                params: layer.parameters(),
            });
        }
        rows
    }

    /// Number of parameters (Keras' count).
    pub fn parameters(&self) -> usize {
        self.layers.iter().map(|l| l.parameters()).sum::<usize>() + self.embedding_parameters()
    }

    fn embedding_parameters(&self) -> usize {
        self.embeddings.iter().map(|e| e.spec.vocab * e.spec.dim).sum()
    }

    /// True if a sample's output depends on the other samples of its batch in training
    /// (`train`) or in evaluation (batch normalisation's statistics in training, cross-sectional
    /// normalisation in both): such a batch is not split across threads.
    pub fn mixes_samples(&self, train: bool) -> bool {
        self.layers.iter().any(|l| l.mixes_samples(train))
    }

    /// Layer `index` uses these dropout masks in training instead of drawing them (see
    /// [`Layer::fix_dropout_masks`]); for parity tests.
    #[doc(hidden)]
    pub fn fix_dropout_masks(&mut self, index: usize, input: Vec<T>, recurrent: Vec<T>) {
        if let Some(layer) = self.layers.get_mut(index) {
            layer.fix_dropout_masks(input, recurrent);
        }
    }

    /// Gives every layer that draws random numbers (dropout) a fresh stream derived from `seed`
    /// (for model replicas, whose masks must differ).
    pub fn reseed_dropout(&mut self, seed: u64) {
        for (k, layer) in self.layers.iter_mut().enumerate() {
            layer.reseed(Rng::derive(seed, k as u64));
        }
    }

    /// Parameters trained by gradient (Keras' "Trainable params": without the moving statistics
    /// of batch normalisation).
    pub fn trainable_parameters(&self) -> usize {
        self.layers.iter().map(|l| l.trainable_parameters()).sum::<usize>()
            + self.embedding_parameters()
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
        self.run(inputs, train, true)
    }

    /// [`Self::forward_inputs`] in evaluation mode when no backward pass follows (prediction,
    /// validation losses): recurrent layers keep only the current step's intermediates, not
    /// every step's, so their working set stays small. The same outputs, bit for bit.
    ///
    /// # Errors
    /// As [`Self::forward_inputs`].
    pub fn infer_inputs(&mut self, inputs: Inputs<'_, T>) -> Result<&[T]> {
        self.run(inputs, false, false)
    }

    fn run(&mut self, inputs: Inputs<'_, T>, train: bool, keep: bool) -> Result<&[T]> {
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
            let columns = match self.shapes[k] {
                Shape::Sequence(_) => steps * batch,
                Shape::Rows(_) => batch,
            };
            layer.forward(input, Pass { steps, batch, columns, train, keep }, out);
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
            let need = k > 0 || input_grad;
            let computed = self.layers[k].backward(&self.acts[k], &d, need, &mut dx);
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
        let mut out = Vec::new();
        for (k, layer) in self.layers.iter_mut().enumerate() {
            let id = layer.kind().id;
            for t in layer.tensors() {
                out.push(StateTensor {
                    name: format!("{k}.{id}.{}", t.name),
                    torch: format!("layers.{k}.{}", t.torch),
                    companion: t.companion,
                    shape: t.shape,
                    values: t.value,
                });
            }
        }
        for (i, e) in self.embeddings.iter_mut().enumerate() {
            out.push(StateTensor {
                name: format!("e{i}.embedding.table"),
                torch: format!("embeddings.{i}.weight"),
                companion: None,
                shape: vec![e.spec.vocab, e.spec.dim],
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
        let tensors = self.layers.iter_mut().flat_map(|l| l.tensors());
        tensors.filter(|t| t.grad.is_none()).map(|t| t.value).collect()
    }

    /// The weight penalty of every parameter tensor, in the order of [`Self::params`] (zero for
    /// the tensors of layers without one, and for embeddings).
    pub fn penalties(&mut self) -> Vec<Penalty> {
        let specs: Vec<Regularizers> =
            self.spec.layers.iter().chain(&self.spec.head).map(LayerSpec::regularizers).collect();
        let mut out = Vec::new();
        for (layer, regs) in self.layers.iter_mut().zip(&specs) {
            for t in layer.tensors() {
                if t.grad.is_some() {
                    out.push(regs.of(t.name));
                }
            }
        }
        out.extend(self.embeddings.iter().map(|_| Penalty::default()));
        out
    }

    /// The penalties' value on the current weights (0 without penalties).
    pub fn penalty(&mut self) -> f64 {
        let penalties = self.penalties();
        self.penalty_with(&penalties)
    }

    /// The value of `penalties` (as [`Self::penalties`] gives them) on the current weights.
    pub fn penalty_with(&mut self, penalties: &[Penalty]) -> f64 {
        if penalties.iter().all(Penalty::is_zero) {
            return 0.0;
        }
        penalties.iter().zip(self.params()).map(|(p, w)| p.value(w.value)).sum()
    }

    /// Every parameter tensor with its gradient, in a fixed order.
    pub fn params(&mut self) -> Vec<Param<'_, T>> {
        let mut out: Vec<Param<'_, T>> = Vec::new();
        for t in self.layers.iter_mut().flat_map(|l| l.tensors()) {
            if let Some(grad) = t.grad {
                out.push(Param { value: t.value, grad });
            }
        }
        for e in &mut self.embeddings {
            out.push(Param { value: &mut e.table, grad: &mut e.grad });
        }
        out
    }
}

/// Builds and initialises embedding `i` (Keras: U(+-0.05); PyTorch: standard normal).
fn embedding<T: Real>(
    i: usize,
    spec: EmbeddingSpec,
    scheme: InitScheme,
    seed: u64,
) -> Result<Embedding<T>> {
    if spec.vocab == 0 || spec.dim == 0 {
        return Err(Error::Model(format!("embedding {}: vocab and dim must be at least 1", i + 1)));
    }
    let mut emb = Embedding::new(spec);
    let mut rng = Rng::derive(seed, 10_000 + i as u64);
    match scheme {
        InitScheme::Keras => init::uniform(&mut emb.table, 0.05, &mut rng),
        InitScheme::Torch => emb.table.iter_mut().for_each(|v| *v = T::from_f64(rng.normal())),
    }
    Ok(emb)
}
