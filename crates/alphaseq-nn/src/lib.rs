//! alphaseq-nn: a purpose-built CPU engine for small recurrent networks (RNN, GRU, LSTM), trained
//! many times over (walk-forward refits, searches, one model per ticker).
//!
//! Design: data are feature-major (`[F][T*B]`, column `t*B + b`); a recurrent layer runs two small
//! GEMMs per step (input and recurrent projections, straight into a contiguous block of the step's
//! gates, with the weights stored column-major so that the GEMM reads them without packing) and
//! one elementwise pass along contiguous batch rows; backpropagation through time mirrors it and
//! accumulates weight gradients in GEMMs over chunks of about 256 columns of steps. On CPUs with
//! AVX-512 the per-step products run on the engine's own kernel ([`gemm`]). Backward passes are
//! hand-written for a fixed vocabulary of layers and checked against finite differences. Scalars
//! are generic ([`Real`]): `f32` runs, `f64` checks.
//!
//! Depends on `alphaseq` only for the [`alphaseq::forecast::Forecaster`] trait it implements
//! ([`RecurrentForecaster`]); it never sees portfolios or reports.

pub mod activation;
pub mod batchnorm;
pub mod bench;
pub mod checkpoint;
pub mod dense;
pub mod dropout;
pub mod embedding;
pub mod error;
pub mod experiment;
pub mod fast;
pub mod forecaster;
pub mod gemm;
pub mod gru;
pub mod init;
pub mod layer;
pub mod loss;
pub mod lstm;
pub mod model;
pub mod optim;
pub mod parallel;
pub mod penalty;
pub mod real;
pub mod recurrent;
pub mod registry;
pub mod rng;
pub mod rnn;
pub mod source;
pub mod train;
pub mod xsnorm;

pub use activation::Activation;
pub use batchnorm::BatchNormSpec;
pub use dense::DenseSpec;
pub use dropout::DropoutSpec;
pub use embedding::EmbeddingSpec;
pub use error::{Error, Result};
pub use forecaster::{Capture, FitArrays, RecurrentForecaster, RecurrentSpec, SampleArrays};
pub use gru::GruSpec;
pub use init::InitScheme;
pub use layer::{Layer, LayerConfig, Shape};
pub use loss::balanced_class_weights;
pub use loss::Loss;
pub use lstm::LstmSpec;
pub use model::{Inputs, LayerSpec, ModelSpec, Sequential, StateTensor, SummaryRow};
pub use optim::{Optimizer, OptimizerConfig, OptimizerKind};
pub use penalty::Penalty;
pub use real::Real;
pub use rng::Rng;
pub use rnn::RnnSpec;
pub use source::SampleSource;
pub use train::{
    fit, predict, Batching, EpochRecord, History, Monitor, TargetScaling, TrainConfig,
};
pub use xsnorm::CrossSectionalNormSpec;
