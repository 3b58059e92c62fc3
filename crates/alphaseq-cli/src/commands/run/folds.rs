//! The run folder's fold store: each fitted fold is written atomically to
//! `folds/fold-NNN/` (`fold.json` with its predictions, scaler and diagnostics, plus the model's
//! artifacts), so running the same experiment into the same folder after an interruption (even
//! `kill -9`) fits only the folds that are missing and gives the same results. A stored fold is
//! reused only if it was made by the same build from the same data and the same settings of
//! everything that shapes a fold (data, features, data set, selection, importance, model,
//! training); otherwise it is refitted.

use std::path::{Path, PathBuf};

use alphaseq::data::Panel;
use alphaseq::dataset::Split;
use alphaseq::pipeline::{FoldResult, FoldStore};
use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::atomic;
use crate::config::Experiment;

#[derive(Serialize, Deserialize)]
struct Stored {
    fingerprint: String,
    fold: FoldResult,
}

/// Folds kept under `RUN_DIR/folds`.
pub struct FileStore {
    dir: PathBuf,
    fingerprint: String,
    /// Folds taken from earlier runs.
    pub reused: Vec<usize>,
    /// Folds fitted by this run.
    pub fitted: Vec<usize>,
    /// Messages for the run log.
    pub notes: Vec<String>,
}

/// FNV-1a, 64 bits: a stable hash (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

/// Identifies what a fold depends on: the build, the settings that shape folds, and the data.
pub fn fingerprint(exp: &Experiment, panel: &Panel) -> String {
    let settings = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "data": exp.data,
        "features": exp.features,
        "dataset": exp.dataset,
        "selection": exp.selection,
        "importance": exp.importance,
        "model": exp.model,
        "training": exp.training,
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
            reused: vec![],
            fitted: vec![],
            notes: vec![],
        }
    }

    /// The folder of fold `index`.
    pub fn fold_dir(&self, index: usize) -> PathBuf {
        self.dir.join(format!("fold-{index:03}"))
    }

    /// The artifact files (everything but fold.json) of fold `index`.
    pub fn artifacts(&self, index: usize) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        let mut files = vec![];
        let dir = self.fold_dir(index);
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(files) };
        for e in entries {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name != "fold.json" && !name.ends_with(".tmp") {
                files.push((name, std::fs::read(e.path())?));
            }
        }
        files.sort();
        Ok(files)
    }
}

impl FoldStore for FileStore {
    fn load(&mut self, index: usize, split: &Split) -> Option<FoldResult> {
        let path = self.fold_dir(index).join("fold.json");
        let text = std::fs::read_to_string(&path).ok()?;
        match serde_json::from_str::<Stored>(&text) {
            Ok(s) if s.fingerprint == self.fingerprint && s.fold.split == *split => {
                self.reused.push(index);
                Some(s.fold)
            }
            Ok(_) => {
                self.notes.push(format!(
                    "{} was made with other settings or data; refitting it",
                    path.display()
                ));
                None
            }
            Err(e) => {
                self.notes.push(format!("{} is unreadable ({e}); refitting it", path.display()));
                None
            }
        }
    }

    fn save(
        &mut self,
        index: usize,
        fold: &FoldResult,
        artifacts: &[(String, Vec<u8>)],
    ) -> alphaseq::Result<()> {
        let dir = self.fold_dir(index);
        let write = || -> anyhow::Result<()> {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            // artifacts first: fold.json, written last, marks the fold as complete
            for (name, bytes) in artifacts {
                atomic::write(&dir.join(name), bytes)?;
            }
            let stored = Stored { fingerprint: self.fingerprint.clone(), fold: fold.clone() };
            atomic::write(&dir.join("fold.json"), serde_json::to_string(&stored)?.as_bytes())?;
            Ok(())
        };
        write().map_err(|e| alphaseq::Error::Invalid(format!("storing fold {index}: {e:#}")))?;
        self.fitted.push(index);
        Ok(())
    }
}
