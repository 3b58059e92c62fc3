//! Errors of the engine.

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong when building or running a model.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model description that cannot be built (wrong layer order, zero units, ...).
    #[error("model: {0}")]
    Model(String),
    /// A checkpoint that cannot be read or does not fit the model.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// Inputs whose shape does not fit the model.
    #[error("shape: {0}")]
    Shape(String),
}
