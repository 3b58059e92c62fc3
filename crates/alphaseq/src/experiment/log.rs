//! The run log (run.log): every line goes to the file with a timestamp; [`RunLog::line`] also
//! goes to the caller's echo (the binary's stderr, a notebook's output). The library never
//! prints by itself. Clones share the file, so trials, folds and the epoch hook log into one.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// Where echoed lines go.
pub type Echo = Arc<dyn Fn(&str) + Send + Sync>;

/// The run log of a run folder.
#[derive(Clone, Default)]
pub struct RunLog {
    file: Option<Arc<Mutex<File>>>,
    echo: Option<Echo>,
}

impl std::fmt::Debug for RunLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunLog")
            .field("file", &self.file.is_some())
            .field("echo", &self.echo.is_some())
            .finish()
    }
}

impl RunLog {
    /// Appends to `path`; `echo` also receives every [`RunLog::line`].
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be opened.
    pub fn open(path: &Path, echo: Option<Echo>) -> Result<RunLog> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        Ok(RunLog { file: Some(Arc::new(Mutex::new(file))), echo })
    }

    /// A log without a file: `line` echoes, `quiet` drops.
    pub fn echo_only(echo: Echo) -> RunLog {
        RunLog { file: None, echo: Some(echo) }
    }

    /// Whether lines are kept in a file.
    pub fn has_file(&self) -> bool {
        self.file.is_some()
    }

    /// Whether `line` echoes.
    pub fn echoes(&self) -> bool {
        self.echo.is_some()
    }

    /// Logs and echoes `text`.
    pub fn line(&self, text: &str) {
        if let Some(echo) = &self.echo {
            echo(text);
        }
        self.quiet(text);
    }

    /// Logs `text` to the file only.
    pub fn quiet(&self, text: &str) {
        if let Some(file) = &self.file {
            if let Ok(mut f) = file.lock() {
                let now = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f");
                let _ = writeln!(f, "{now} {text}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_reach_the_file_and_the_echo_quiet_lines_only_the_file() {
        let dir = std::env::temp_dir().join(format!("alphaseq-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("run.log");
        let _ = std::fs::remove_file(&path);
        let echoed = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = echoed.clone();
        let log = RunLog::open(&path, Some(Arc::new(move |s| sink.lock().unwrap().push(s.into()))))
            .unwrap();
        log.line("first");
        log.clone().quiet("second");
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with(" first") && lines[1].ends_with(" second"), "{text}");
        assert_eq!(*echoed.lock().unwrap(), ["first"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
