//! Who owns a run folder, and when it is finished. A run folder belongs to one experiment (its
//! resolved config: `config.toml`, or `search.toml` for a search): only the same experiment
//! resumes in it; the same one with another `[strategy]` or `[report]` takes it over and keeps
//! its fitted folds (and a search's trials); another one is an error unless the caller clears
//! the folder (`--force`), and a folder that holds no run is never cleared. The `COMPLETE`
//! marker is the last file a run writes; `report`, `signal` and `merge` read only folders that
//! have it. Starting removes the marker and the temporary files (`.NAME.PID.tmp`) that killed
//! runs left behind.

use std::path::Path;

use super::{Experiment, ModelConfig};
use crate::error::{Error, Result};

/// The marker file a run writes last.
pub const COMPLETE: &str = "COMPLETE";

/// Whether `dir` holds a finished run (its `COMPLETE` marker).
pub fn is_complete(dir: &Path) -> bool {
    dir.join(COMPLETE).is_file()
}

/// `dir` as a finished run, or an error saying why not.
///
/// # Errors
/// [`Error::Record`] when the folder has no `COMPLETE` marker.
pub fn require_complete(dir: &Path) -> Result<()> {
    if is_complete(dir) {
        return Ok(());
    }
    let what = if dir.join("config.toml").is_file() || dir.join("search.toml").is_file() {
        "is not a finished run (no COMPLETE marker): it was interrupted, is still running, or is a shard; run it again (or `alphaseq merge`) to finish it"
    } else {
        "is not a run folder (no config.toml)"
    };
    Err(Error::record(dir, what))
}

/// The file that names a folder's experiment: `search.toml` for a search, else `config.toml`.
fn own_file<M: ModelConfig>(exp: &Experiment<M>) -> &'static str {
    if exp.search.is_some() {
        "search.toml"
    } else {
        "config.toml"
    }
}

/// The entries of `dir` but the run log and temporary files (another shard's, being written).
fn entries(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let list = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut out = vec![];
    for e in list {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name != "run.log" && temporary_pid(&name).is_none() {
            out.push(e.path());
        }
    }
    Ok(out)
}

impl<M: ModelConfig> Experiment<M> {
    /// The run folder when none is given: `runs/<name>-<local timestamp>` under the current
    /// folder (the binary's and the Python package's default).
    pub fn default_folder(&self) -> std::path::PathBuf {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        Path::new("runs").join(format!("{}-{stamp}", self.name))
    }

    /// Makes `dir` this experiment's run folder: creates it, or checks that it is empty or
    /// holds a run of this same experiment (which then resumes), or of the same models with
    /// another `[strategy]`, `[report]`, `training.seeds` or `training.ensemble` (its outputs
    /// are removed, its fitted folds kept). With
    /// `force`, a folder holding another experiment's run is emptied first.
    ///
    /// # Errors
    /// [`Error::Config`] (key `--out`) when the folder holds another experiment's run (without
    /// `force`) or files that are not a run; [`Error::Io`] when it cannot be created or cleared.
    pub fn claim_folder(&self, dir: &Path, force: bool) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let found = entries(dir)?;
        if found.is_empty() {
            return Ok(());
        }
        let own = own_file(self);
        let stored = std::fs::read_to_string(dir.join(own)).ok();
        let text = self.to_toml()?;
        if stored.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        if stored.as_deref().is_some_and(|s| same_fits(s, &text)) {
            // another trading rule or report over the same models: the fitted folds (and a
            // search's trials, which each decide the same) stay, the outputs go; the config
            // stays until the run writes its own
            for path in found {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                if !matches!(name.as_deref(), Some(n) if ["folds", "trials", own].contains(&n)) {
                    remove(&path)?;
                }
            }
            return Ok(());
        }
        let a_run = dir.join("config.toml").is_file() || dir.join("search.toml").is_file();
        if !a_run {
            return Err(Error::config(
                "--out",
                format!(
                    "{} is not empty and holds no run (no config.toml); choose an empty or new folder",
                    dir.display()
                ),
            ));
        }
        if !force {
            return Err(Error::config(
                "--out",
                format!(
                    "{} holds the run of another experiment (its {} differs); choose another folder, or clear it with --force",
                    dir.display(),
                    if dir.join(own).is_file() { own } else { "config" }
                ),
            ));
        }
        for path in found {
            remove(&path)?;
        }
        Ok(())
    }
}

/// Removes a file or a folder with its contents.
fn remove(path: &Path) -> Result<()> {
    let gone =
        if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    gone.map_err(|e| Error::io(path, e))
}

/// Whether two resolved configs fit the same models: equal but for `[strategy]` and `[report]`,
/// which act on the fitted folds' predictions only, and `training.seeds` and
/// `training.ensemble` (each seed's folds are kept under its own key); the fold store's
/// fingerprint leaves them out too.
fn same_fits(a: &str, b: &str) -> bool {
    let fits = |text: &str| {
        let mut v: toml::Table = text.parse().ok()?;
        v.remove("strategy");
        v.remove("report");
        if let Some(toml::Value::Table(t)) = v.get_mut("training") {
            t.remove("seeds");
            t.remove("ensemble");
        }
        Some(v)
    };
    matches!((fits(a), fits(b)), (Some(x), Some(y)) if x == y)
}

/// Starts (or resumes) a run in `dir`: removes the `COMPLETE` marker and, in `dir` and its
/// `folds/` and `trials/` folders, temporary files of processes that no longer run.
///
/// # Errors
/// [`Error::Io`] when a file cannot be removed.
pub(crate) fn start(dir: &Path) -> Result<()> {
    let marker = dir.join(COMPLETE);
    if marker.exists() {
        std::fs::remove_file(&marker).map_err(|e| Error::io(&marker, e))?;
    }
    remove_stale_temporaries(dir, 4)
}

/// Marks `dir` finished.
///
/// # Errors
/// [`Error::Io`] when the marker cannot be written.
pub(crate) fn finish(dir: &Path) -> Result<()> {
    super::atomic::write(&dir.join(COMPLETE), b"finished\n")
}

/// Removes `.NAME.PID.tmp` files of dead processes in `dir` and its subfolders, `depth` deep.
fn remove_stale_temporaries(dir: &Path, depth: usize) -> Result<()> {
    let Ok(list) = std::fs::read_dir(dir) else { return Ok(()) };
    for e in list.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if depth > 0 {
                remove_stale_temporaries(&path, depth - 1)?;
            }
        } else if let Some(pid) = temporary_pid(&name) {
            if !process_alive(pid) {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
        }
    }
    Ok(())
}

/// The PID in a temporary file's name `.NAME.PID.tmp`.
fn temporary_pid(name: &str) -> Option<u32> {
    let stem = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    stem.rsplit_once('.')?.1.parse().ok()
}

/// Whether process `pid` runs (on systems with `/proc`; elsewhere every other process counts
/// as gone, which a shard running beside us in the same folder would not survive).
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    Path::new("/proc/self").exists() && Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_of_dead_processes_go_and_ours_stay() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join(format!(".equity.csv.{}.tmp", std::process::id()));
        // PIDs above the kernel's maximum (4,194,304) never run
        let dead = dir.path().join("folds").join(".fold.json.4999999.tmp");
        std::fs::create_dir_all(dead.parent().unwrap()).unwrap();
        for p in [&ours, &dead] {
            std::fs::write(p, b"x").unwrap();
        }
        std::fs::write(dir.path().join(COMPLETE), b"finished\n").unwrap();
        start(dir.path()).unwrap();
        assert!(ours.exists());
        assert!(!dead.exists());
        assert!(!is_complete(dir.path()));
        assert_eq!(temporary_pid(".a.b.csv.12.tmp"), Some(12));
        assert_eq!(temporary_pid("a.csv"), None);
    }
}
