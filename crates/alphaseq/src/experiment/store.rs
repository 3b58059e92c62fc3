//! The run folder's fold store: each fitted fold is written atomically to
//! `folds/fold-NNN/` (`fold.json` with its predictions, scaler and diagnostics, plus the model's
//! artifacts), so running the same experiment into the same folder after an interruption (even
//! `kill -9`) fits only the folds that are missing and gives the same results. A stored fold is
//! reused only if it was made by the same build from the same data and the same settings of
//! everything that shapes a fold (data, features, data set, selection, importance, model,
//! training); otherwise it is refitted.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{atomic, Experiment, ModelConfig};
use crate::data::Panel;
use crate::dataset::Split;
use crate::error::{Error, Result};
use crate::pipeline::{FoldResult, FoldStore};

/// `fold.json` as read: the fingerprint of what made the fold, and the fold.
#[derive(Deserialize)]
struct Stored {
    fingerprint: String,
    fold: FoldResult,
}

/// `fold.json` as written, borrowing the fold (its predictions are most of a run's memory).
#[derive(Serialize)]
struct StoredRef<'a> {
    fingerprint: &'a str,
    fold: &'a FoldResult,
}

/// Parses `fold.json` at `path` streaming from the file, never holding its text (hundreds of
/// megabytes with thousands of tickers).
fn read_stored(path: &Path) -> Result<Stored> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    serde_json::from_reader(reader).map_err(|e| Error::record(path, e))
}

/// Folds kept under `RUN_DIR/folds` (`folds/fold-NNN`, or `folds/TICKER/fold-NNN` with one
/// model per ticker).
pub struct FileStore {
    dir: PathBuf,
    fingerprint: String,
    /// Folds taken from earlier runs.
    pub reused: Mutex<Vec<String>>,
    /// Folds fitted by this run.
    pub fitted: Mutex<Vec<String>>,
    /// Messages for the run log.
    pub notes: Mutex<Vec<String>>,
}

/// FNV-1a, 64 bits: a stable hash (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

/// Identifies what a fold depends on: the build, the settings that shape folds, and the data.
pub fn fingerprint<M: ModelConfig>(exp: &Experiment<M>, panel: &Panel) -> String {
    // a fold is one seed's (its key says which): how many seeds and how they combine do not
    // change it, so adding seeds or another ensemble reuses the folds fitted before
    let mut training = serde_json::to_value(&exp.training).unwrap_or_default();
    if let Some(t) = training.as_object_mut() {
        t.remove("seeds");
        t.remove("ensemble");
    }
    let settings = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "data": exp.data,
        "features": exp.features,
        "dataset": exp.dataset,
        "selection": exp.selection,
        "importance": exp.importance,
        "model": exp.model,
        "training": training,
    });
    let mut text = settings.to_string();
    text.push_str(&panel.tickers().join(","));
    let dates = panel.dates();
    text.push_str(&format!("{} {:?} {:?}", dates.len(), dates.first(), dates.last()));
    let mut h = fnv1a(text.as_bytes());
    for bars in panel.all_bars() {
        for v in bars.adj_close.iter().chain(&bars.close).chain(&bars.volume) {
            h = (h ^ v.to_bits()).wrapping_mul(0x100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

impl FileStore {
    /// The store of run folder `run_dir`.
    pub fn new(run_dir: &Path, fingerprint: String) -> FileStore {
        FileStore {
            dir: run_dir.join("folds"),
            fingerprint,
            reused: Mutex::new(vec![]),
            fitted: Mutex::new(vec![]),
            notes: Mutex::new(vec![]),
        }
    }

    /// The folder of fold `key`.
    pub fn fold_dir(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    fn note(&self, text: String) {
        if let Ok(mut n) = self.notes.lock() {
            n.push(text);
        }
    }

    /// How many folds were fitted now and taken from earlier runs.
    pub fn counts(&self) -> (usize, usize) {
        let len = |m: &Mutex<Vec<String>>| m.lock().map_or(0, |v| v.len());
        (len(&self.fitted), len(&self.reused))
    }

    /// The artifact files (everything but fold.json) of fold `key`.
    ///
    /// # Errors
    /// [`Error::Io`] for a file that cannot be read.
    pub fn artifacts(&self, key: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let mut files = vec![];
        let dir = self.fold_dir(key);
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(files) };
        for e in entries {
            let e = e.map_err(|e| Error::io(&dir, e))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name != "fold.json" && !name.ends_with(".tmp") && e.path().is_file() {
                files
                    .push((name, std::fs::read(e.path()).map_err(|err| Error::io(e.path(), err))?));
            }
        }
        files.sort();
        Ok(files)
    }
}

/// The fold stored in folder `dir` (whatever made it).
///
/// # Errors
/// [`Error::Io`] when there is no `fold.json`, [`Error::Record`] when it does not parse.
pub fn read_fold(dir: &Path) -> Result<FoldResult> {
    Ok(read_stored(&dir.join("fold.json"))?.fold)
}

impl FoldStore for FileStore {
    fn load(&self, key: &str, split: &Split) -> Option<FoldResult> {
        let path = self.fold_dir(key).join("fold.json");
        if !path.is_file() {
            return None;
        }
        match read_stored(&path) {
            Ok(s) if s.fingerprint == self.fingerprint && s.fold.split == *split => {
                if let Ok(mut r) = self.reused.lock() {
                    r.push(key.to_string());
                }
                Some(s.fold)
            }
            Ok(_) => {
                self.note(format!(
                    "{} was made with other settings or data; refitting it",
                    path.display()
                ));
                None
            }
            Err(Error::Record { message, .. }) => {
                self.note(format!("{} is unreadable ({message}); refitting it", path.display()));
                None
            }
            Err(e) => {
                self.note(format!("{e}; refitting it"));
                None
            }
        }
    }

    fn save(&self, key: &str, fold: &FoldResult, artifacts: &[(String, Vec<u8>)]) -> Result<()> {
        let dir = self.fold_dir(key);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        // artifacts first: fold.json, written last, marks the fold as complete
        for (name, bytes) in artifacts {
            atomic::write(&dir.join(name), bytes)?;
        }
        let stored = StoredRef { fingerprint: &self.fingerprint, fold };
        let path = dir.join("fold.json");
        atomic::write_with(&path, |out| {
            serde_json::to_writer(out, &stored).map_err(|e| Error::record(&path, e))
        })?;
        if let Ok(mut f) = self.fitted.lock() {
            f.push(key.to_string());
        }
        Ok(())
    }

    fn model_files(&self, key: &str) -> Option<Vec<(String, Vec<u8>)>> {
        self.artifacts(key).ok().filter(|files| !files.is_empty())
    }
}
