//! What every layer is to the model: the [`Layer`] trait (forward, backward, its tensors under
//! alphaseq's and PyTorch's names, its Keras name and parameter count) and the [`LayerConfig`]
//! trait of its serialisable description (a label and a builder that initialises it). A layer is
//! one file implementing both; [`crate::model::LayerSpec`] registers it with one variant and one
//! arm of `LayerSpec::config`. [`crate::model::Sequential`], the checkpoints and the Keras-style
//! summary only go through these traits.

use std::fmt::Debug;

use crate::error::{Error, Result};
use crate::init::InitScheme;
use crate::real::Real;
use crate::rng::Rng;

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

    /// The same kind of shape (sequence or rows) with another width.
    pub fn with_width(self, width: usize) -> Shape {
        match self {
            Shape::Sequence(_) => Shape::Sequence(width),
            Shape::Rows(_) => Shape::Rows(width),
        }
    }
}

/// The dimensions of one forward pass, as a layer sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Time steps of the batch's sequences.
    pub steps: usize,
    /// Samples in the batch.
    pub batch: usize,
    /// Columns of this layer's input: `steps * batch` for a sequence, `batch` for rows.
    pub columns: usize,
    /// Training (dropout active, batch statistics) or evaluation.
    pub train: bool,
    /// Whether a backward pass may follow: layers keep their per-step intermediates for it
    /// (else only what the next step needs; the same outputs, bit for bit).
    pub keep: bool,
}

/// The Keras and alphaseq names of a layer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// alphaseq's name, used in checkpoint tensor names (`0.lstm.w_ih`) and the TOML `type`.
    pub id: &'static str,
    /// Keras' class name in `model.summary()`, e.g. `LSTM`.
    pub keras: &'static str,
    /// Keras' default layer name, numbered `lstm`, `lstm_1`, ... in the summary.
    pub keras_name: &'static str,
}

/// What a PyTorch `state_dict` holds beside a tensor that alphaseq does not keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Companion {
    /// A second bias of the same shape, zero (PyTorch's `bias_hh_l0` where alphaseq keeps one
    /// bias); on import it is added to the first.
    ZeroBias(&'static str),
    /// Batch normalisation's `num_batches_tracked`, an i64 scalar.
    BatchCount(&'static str),
}

/// One tensor of a layer: its names, shape, values and, for parameters trained by gradient, the
/// gradient (`None` for buffers such as batch normalisation's moving statistics).
#[derive(Debug)]
pub struct Tensor<'a, T> {
    /// alphaseq's name within the layer, e.g. `w_ih`.
    pub name: &'static str,
    /// PyTorch's name within the module, e.g. `weight_ih_l0`.
    pub torch: &'static str,
    /// What PyTorch keeps beside it.
    pub companion: Option<Companion>,
    /// Row-major shape.
    pub shape: Vec<usize>,
    /// The values.
    pub value: &'a mut Vec<T>,
    /// The gradient, for tensors trained by gradient.
    pub grad: Option<&'a mut Vec<T>>,
}

impl<'a, T> Tensor<'a, T> {
    /// A parameter trained by gradient.
    pub fn param(
        name: &'static str,
        torch: &'static str,
        shape: Vec<usize>,
        value: &'a mut Vec<T>,
        grad: &'a mut Vec<T>,
    ) -> Tensor<'a, T> {
        Tensor { name, torch, companion: None, shape, value, grad: Some(grad) }
    }

    /// State that is not trained by gradient.
    pub fn buffer(
        name: &'static str,
        torch: &'static str,
        shape: Vec<usize>,
        value: &'a mut Vec<T>,
    ) -> Tensor<'a, T> {
        Tensor { name, torch, companion: None, shape, value, grad: None }
    }

    /// With what PyTorch keeps beside it.
    pub fn with_companion(mut self, companion: Companion) -> Tensor<'a, T> {
        self.companion = Some(companion);
        self
    }
}

/// A built layer with its parameters, gradients and the cache of its last forward pass.
pub trait Layer<T: Real>: Debug + Send + Sync {
    /// Its names.
    fn kind(&self) -> Kind;

    /// Runs the layer on `input` (`[width][pass.columns]`), writing `out`.
    fn forward(&mut self, input: &[T], pass: Pass, out: &mut Vec<T>);

    /// Adds to the parameter gradients for `dout` (shaped like the last output) and, when
    /// `input_grad` is set, writes the gradient with respect to `input` into `dx`. Returns whether
    /// `dx` was written.
    fn backward(&mut self, input: &[T], dout: &[T], input_grad: bool, dx: &mut Vec<T>) -> bool;

    /// Every tensor of its state, in a fixed order (none for a layer without state).
    fn tensors(&mut self) -> Vec<Tensor<'_, T>> {
        vec![]
    }

    /// Parameters as Keras counts them (buffers included).
    fn parameters(&self) -> usize {
        0
    }

    /// Parameters trained by gradient.
    fn trainable_parameters(&self) -> usize {
        self.parameters()
    }

    /// True when a sample's output depends on the other samples of its batch in training
    /// (`train`) or in evaluation: batch normalisation's statistics in training only,
    /// cross-sectional normalisation always. Such a batch cannot be split across threads, and
    /// a model that mixes samples in evaluation predicts one date's cross-section per batch.
    fn mixes_samples(&self, _train: bool) -> bool {
        false
    }

    /// Replaces the random stream of a layer that draws one (dropout); others ignore it.
    fn reseed(&mut self, _rng: Rng) {}

    /// Uses these dropout masks in training instead of drawing them (a recurrent layer: the
    /// input mask `[input][batch]` and the recurrent mask `[units][batch]`, empty for none), for
    /// parity tests against frameworks that draw their own; other layers ignore it.
    #[doc(hidden)]
    fn fix_dropout_masks(&mut self, _input: Vec<T>, _recurrent: Vec<T>) {}

    /// A boxed copy (for `Clone` of a model).
    fn boxed(&self) -> Box<dyn Layer<T>>;
}

impl<T: Real> Clone for Box<dyn Layer<T>> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

/// Where a layer is built: its position, its input and how to initialise it.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    /// 0-based index among the model's layers (branch, then head).
    pub index: usize,
    /// The shape of its input.
    pub input: Shape,
    /// Whose initialisation defaults to copy.
    pub scheme: InitScheme,
    /// The model's seed.
    pub seed: u64,
}

impl Site {
    /// The layer's own random stream.
    pub fn rng(&self) -> Rng {
        Rng::derive(self.seed, self.index as u64)
    }

    /// An error that names the layer (1-based, as the config lists them).
    pub fn invalid(&self, message: impl std::fmt::Display) -> Error {
        Error::Layer { index: self.index, message: message.to_string() }
    }

    /// The input width of a layer that needs a sequence.
    ///
    /// # Errors
    /// When the layer before reduced the sequence to rows.
    pub fn sequence_input(&self, what: &str) -> Result<usize> {
        match self.input {
            Shape::Sequence(width) => Ok(width),
            Shape::Rows(_) => Err(self.invalid(format!("{what} needs a sequence, but the layer before returns one row per sample (set return_sequences = true there)"))),
        }
    }

    /// Checks that a size is at least 1.
    ///
    /// # Errors
    /// Naming the layer and the field.
    pub fn positive(&self, field: &str, value: usize) -> Result<usize> {
        if value == 0 {
            return Err(self.invalid(format!("{field} must be at least 1")));
        }
        Ok(value)
    }
}

/// A layer's serialisable description.
pub trait LayerConfig<T: Real> {
    /// A short label for run names, e.g. `LSTM(25, seq)`.
    fn label(&self) -> String;

    /// Builds and initialises the layer at `site`; returns it with its output shape.
    ///
    /// # Errors
    /// [`Error::Model`] naming the layer for a description that cannot be built there.
    fn build(&self, site: &Site) -> Result<(Box<dyn Layer<T>>, Shape)>;
}
