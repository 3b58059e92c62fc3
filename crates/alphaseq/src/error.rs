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
    /// A configuration value that cannot be used, named by its key (e.g.
    /// `dataset.walk_forward.first_test`).
    #[error("{key}: {message}")]
    Config {
        /// The configuration key, dotted.
        key: String,
        /// What is wrong with its value.
        message: String,
    },
    /// A configuration value that cannot be used, with where the file writes it.
    #[error("in config {}, line {line}, column {column}: {key}: {message}", path.display())]
    ConfigAt {
        /// The experiment file.
        path: PathBuf,
        /// 1-based line of the value (or of its table when the value is a default).
        line: usize,
        /// 1-based column.
        column: usize,
        /// The configuration key, dotted.
        key: String,
        /// What is wrong with its value.
        message: String,
    },
    /// An experiment file (TOML) that does not parse or does not fit the schema; the message
    /// names the key, line and column.
    #[error("{}{message}", if path.as_os_str().is_empty() { String::new() } else { format!("in config {}: ", path.display()) })]
    Toml {
        /// The file (empty for text parsed from memory).
        path: PathBuf,
        /// The TOML parser's diagnostic.
        message: String,
    },
    /// A line of an input file that cannot be read.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong on it.
        message: String,
    },
    /// A ticker asked for (by a configuration key or an argument) that the data does not have.
    #[error("{key}: ticker {ticker:?} is not in the data")]
    UnknownTicker {
        /// Where it was asked for: a configuration key or an argument.
        key: String,
        /// The ticker.
        ticker: String,
    },
    /// A run folder's file that cannot be read back (missing, malformed or of another schema).
    #[error("{}: {message}", path.display())]
    Record {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The forecaster failed (e.g. the network engine); its own typed error is the source.
    #[error("{0}")]
    Model(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// An argument or a call that cannot be served (a library used out of order, data that does
    /// not fit a stored model).
    #[error("{0}")]
    Invalid(String),
    /// A run that could not be completed: trials of a search that failed, shards not yet run.
    #[error("{0}")]
    Incomplete(String),
    /// The run would need more memory than the machine (or the given limit) has.
    #[error("not enough memory: {0}")]
    Resources(String),
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

    /// A configuration value that cannot be used.
    pub fn config(key: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config { key: key.into(), message: message.into() }
    }

    /// A ticker that is not in the data, asked for by `key`.
    pub fn unknown_ticker(key: impl Into<String>, ticker: impl Into<String>) -> Self {
        Error::UnknownTicker { key: key.into(), ticker: ticker.into() }
    }

    /// A run folder's file that cannot be read back.
    pub fn record(path: impl Into<PathBuf>, message: impl std::fmt::Display) -> Self {
        Error::Record { path: path.into(), message: message.to_string() }
    }

    /// The forecaster's own error, kept as the source.
    pub fn model(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Model(Box::new(source))
    }

    /// True when the request itself is wrong (a configuration value, an unknown ticker, an
    /// argument) rather than the data or the computation: the binary exits 2 for these.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Config { .. }
                | Error::ConfigAt { .. }
                | Error::Toml { .. }
                | Error::UnknownTicker { .. }
                | Error::Invalid(_)
        )
    }
}
