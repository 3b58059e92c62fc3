//! The error type of the `alphaseq` library: every variant carries the context a user needs to
//! find the problem (file, line, ticker, date, key).

use std::path::PathBuf;

use crate::issue::Issue;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A Parquet file could not be decoded.
    #[error("{}: parquet: {message}", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        message: String,
    },
    /// The input data has problems serious enough that it cannot be used. Each issue names its
    /// file, line, ticker and date.
    #[error("{} problem(s) in the input data; first: {}", issues.len(), issues.first().map(|i| i.to_string()).unwrap_or_default())]
    InvalidData {
        /// Every error-level problem found.
        issues: Vec<Issue>,
    },
    /// An option or argument is out of its allowed range or names something that does not exist.
    #[error("{0}")]
    Invalid(String),
    /// Not enough data to do what was asked (for example a split that leaves no training rows).
    #[error("not enough data: {0}")]
    NotEnoughData(String),
    /// A numerical routine failed (for example a singular normal-equation matrix).
    #[error("numerical failure: {0}")]
    Numerical(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}
