//! The registry of layer types: [`LayerSpec`], one variant per layer's own description, tagged
//! by `type` in TOML. A new layer type is a file with its description ([`LayerConfig`]) and its
//! [`crate::Layer`], registered here with a variant and one arm of [`LayerSpec::config`].

use serde::{Deserialize, Serialize};

use crate::batchnorm::BatchNormSpec;
use crate::dense::DenseSpec;
use crate::dropout::DropoutSpec;
use crate::gru::GruSpec;
use crate::layer::LayerConfig;
use crate::lstm::LstmSpec;
use crate::penalty::Regularizers;
use crate::real::Real;
use crate::rnn::RnnSpec;
use crate::xsnorm::CrossSectionalNormSpec;
use crate::Activation;

/// One layer of a model description, tagged by `type` (`{ type = "lstm", units = 25 }`). Each
/// variant is a layer's own description ([`LayerConfig`]); a new layer type is a file with its
/// description and [`crate::Layer`], registered here with a variant and one arm of [`LayerSpec::config`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LayerSpec {
    /// LSTM(units), optionally returning the whole sequence.
    Lstm(LstmSpec),
    /// GRU(units) in the reset-after form of PyTorch and Keras 3.
    Gru(GruSpec),
    /// Simple (Elman) RNN(units), Keras `SimpleRNN`, PyTorch `nn.RNN`.
    #[serde(alias = "simple_rnn")]
    Rnn(RnnSpec),
    /// Dense(units); time-distributed when its input is a sequence.
    Dense(DenseSpec),
    /// Batch normalisation over the feature axis (Keras `BatchNormalization()`).
    #[serde(alias = "batch_normalization")]
    BatchNorm(BatchNormSpec),
    /// Dropout(rate), active in training only.
    Dropout(DropoutSpec),
    /// Per time step, across the samples of a batch: minus the mean, over the sum of absolute
    /// values (the deep-momentum paper's normalisation of position weights).
    CrossSectionalNorm(CrossSectionalNormSpec),
}

impl LayerSpec {
    /// The layer's description as the trait that labels and builds it: the registration of every
    /// layer type.
    pub fn config<T: Real>(&self) -> &dyn LayerConfig<T> {
        match self {
            LayerSpec::Lstm(s) => s,
            LayerSpec::Gru(s) => s,
            LayerSpec::Rnn(s) => s,
            LayerSpec::Dense(s) => s,
            LayerSpec::BatchNorm(s) => s,
            LayerSpec::Dropout(s) => s,
            LayerSpec::CrossSectionalNorm(s) => s,
        }
    }

    /// Its weight penalties by tensor role (none for layers without them).
    pub fn regularizers(&self) -> Regularizers {
        match self {
            LayerSpec::Lstm(s) => s.regularizers(),
            LayerSpec::Gru(s) => s.regularizers(),
            LayerSpec::Rnn(s) => s.regularizers(),
            LayerSpec::Dense(s) => s.regularizers(),
            LayerSpec::BatchNorm(_) | LayerSpec::Dropout(_) | LayerSpec::CrossSectionalNorm(_) => {
                Regularizers::default()
            }
        }
    }

    /// A short label for run names, e.g. `LSTM(25, seq)`.
    pub fn label(&self) -> String {
        self.config::<f64>().label()
    }

    /// LSTM(units).
    pub fn lstm(units: usize, return_sequences: bool, activation: Activation) -> LayerSpec {
        LayerSpec::Lstm(LstmSpec::new(units, return_sequences, activation))
    }

    /// GRU(units).
    pub fn gru(units: usize, return_sequences: bool, activation: Activation) -> LayerSpec {
        LayerSpec::Gru(GruSpec::new(units, return_sequences, activation))
    }

    /// SimpleRNN(units).
    pub fn rnn(units: usize, return_sequences: bool, activation: Activation) -> LayerSpec {
        LayerSpec::Rnn(RnnSpec::new(units, return_sequences, activation))
    }

    /// Dense(units).
    pub fn dense(units: usize, activation: Activation) -> LayerSpec {
        LayerSpec::Dense(DenseSpec::new(units, activation))
    }

    /// BatchNormalization(momentum, epsilon).
    pub fn batch_norm(momentum: f64, epsilon: f64) -> LayerSpec {
        LayerSpec::BatchNorm(BatchNormSpec { momentum, epsilon })
    }

    /// Dropout(rate).
    pub fn dropout(rate: f64) -> LayerSpec {
        LayerSpec::Dropout(DropoutSpec { rate })
    }
}
