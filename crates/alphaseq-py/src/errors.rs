//! The library's errors as the package's exceptions (`alphaseq.errors`, defined in Python so that
//! they can also be `ValueError`s or `OSError`s), with the library's message unchanged: file,
//! line, ticker, date or config key, as the binary prints it.

use alphaseq::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The exception class in `alphaseq.errors` for `e`.
fn class_of(e: &Error) -> &'static str {
    match e {
        Error::Config { .. } | Error::ConfigAt { .. } | Error::Toml { .. } => "ConfigError",
        Error::InvalidData { .. }
        | Error::Parse { .. }
        | Error::Parquet { .. }
        | Error::UnknownTicker { .. }
        | Error::Record { .. }
        | Error::NotEnoughData(_) => "DataError",
        Error::Io { .. } => "FileError",
        Error::Incomplete(_) => "IncompleteRunError",
        Error::Resources(_) => "ResourceError",
        _ => "AlphaseqError",
    }
}

/// `e` as the package's exception.
pub(crate) fn raise(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    let class = py.import("alphaseq.errors").and_then(|m| m.getattr(class_of(&e)));
    match class.and_then(|c| c.call1((message,))) {
        Ok(exception) => PyErr::from_value(exception),
        Err(failed) => failed,
    }
}

/// A bad argument from Python (a wrong type or length, not an experiment's error).
pub(crate) fn usage(message: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(message.to_string())
}
