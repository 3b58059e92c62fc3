//! Errors of the engine.

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong when building or running a model.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model description that cannot be built (wrong layer order, zero units, ...).
    #[error("model: {0}")]
    Model(String),
    /// A layer that cannot be built as described: `index` counts the sequence layers, then the
    /// head's, from 0.
    #[error("model: layer {}: {message}", index + 1)]
    Layer {
        /// The layer, from 0 (`[[model.layers]]` first, then `[[model.head]]`).
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// A checkpoint that cannot be read or does not fit the model.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// Inputs whose shape does not fit the model.
    #[error("shape: {0}")]
    Shape(String),
    /// Training that produced a non-finite loss.
    #[error("training diverged: {0}")]
    Diverged(String),
}

/// The engine's error inside the library's, kept whole as its source (the binary reads it back
/// to choose an exit code).
impl From<Error> for alphaseq::Error {
    fn from(e: Error) -> Self {
        alphaseq::Error::model(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engines_error_stays_whole_inside_the_librarys() {
        let e: alphaseq::Error = Error::Model("layer 2: units must be at least 1".into()).into();
        assert_eq!(e.to_string(), "model: layer 2: units must be at least 1");
        let alphaseq::Error::Model(source) = &e else { panic!("{e:?}") };
        assert!(matches!(source.downcast_ref::<Error>(), Some(Error::Model(_))));
    }
}
