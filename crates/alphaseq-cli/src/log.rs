//! The run log: every line goes to run.log (when there is one), with a timestamp; `line` also
//! goes to stderr.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// The run log: every line goes to run.log (when there is one); `line` also goes to stderr.
pub(crate) struct Log {
    pub(crate) file: Option<std::fs::File>,
    /// Whether `line` also prints to stderr (and progress is shown).
    pub(crate) echo: bool,
}

impl Log {
    /// Appends to `path`; `echo` also prints `line`s to stderr.
    pub(crate) fn open(path: &Path, echo: bool) -> Result<Log> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        Ok(Log { file: Some(file), echo })
    }

    /// A log without a file: `line` prints, `quiet` drops.
    pub(crate) fn stderr() -> Log {
        Log { file: None, echo: true }
    }

    pub(crate) fn line(&mut self, text: &str) {
        if self.echo {
            eprintln!("{text}");
        }
        self.quiet(text);
    }

    pub(crate) fn quiet(&mut self, text: &str) {
        if let Some(f) = self.file.as_mut() {
            let _ = writeln!(f, "{} {text}", chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f"));
        }
    }
}
