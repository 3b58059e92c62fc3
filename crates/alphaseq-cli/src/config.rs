//! The experiment file: the library's schema ([`alphaseq::experiment`]) completed with the
//! engine's `[model]` and `[training]` ([`alphaseq_nn::experiment`]). docs/config.md documents
//! every key.

pub use alphaseq::experiment::parse_override;
pub use alphaseq_nn::experiment::{Experiment, ModelKind};
