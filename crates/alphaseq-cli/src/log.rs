//! The binary's run logs ([`RunLog`]): lines echoed to stderr.

use std::path::Path;
use std::sync::Arc;

use alphaseq::experiment::log::RunLog;

/// Appends to `path`; `echo` also prints `line`s to stderr.
pub(crate) fn open(path: &Path, echo: bool) -> Result<RunLog, alphaseq::Error> {
    RunLog::open(path, echo.then(|| stderr_echo()))
}

/// A log without a file: `line` prints to stderr, `quiet` drops.
pub(crate) fn stderr() -> RunLog {
    RunLog::echo_only(stderr_echo())
}

fn stderr_echo() -> alphaseq::experiment::log::Echo {
    Arc::new(|text: &str| eprintln!("{text}"))
}
