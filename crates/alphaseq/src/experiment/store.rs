//! The run folder's fold store: each fitted fold is written atomically to
//! `folds/fold-NNN/` (`fold.json` with its predictions, scaler and diagnostics, plus the model's
//! artifacts), so running the same experiment into the same folder after an interruption (even
//! `kill -9`) fits only the folds that are missing and gives the same results. A stored fold is
//! reused only if it was made with the same settings of everything that shapes a fold (data,
//! features, data set, selection, importance, model, training) from the same data; a fold
//! whose training and validation data (every bar up to the end of its validation span) are
//! unchanged but whose test span is not (a day appended to the prices) keeps its model, which
//! predicts the test span again; any other fold is refitted.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{atomic, Experiment, ModelConfig};
use crate::data::Panel;
use crate::dataset::Split;
use crate::error::{Error, Result};
use crate::forecast::Forecaster;
use crate::pipeline::{FoldResult, FoldStore, Stored};

/// `fold.json` as read: the fingerprint of what made the fold, and the fold.
#[derive(Deserialize)]
struct Record {
    fingerprint: String,
    /// The fingerprint of the fold's training and validation data ([`Fingerprint::fit`]);
    /// absent in folds stored before it existed.
    #[serde(default)]
    fit: String,
    fold: FoldResult,
}

/// `fold.json` as written, borrowing the fold (its predictions are most of a run's memory).
#[derive(Serialize)]
struct RecordRef<'a> {
    fingerprint: &'a str,
    fit: &'a str,
    fold: &'a FoldResult,
}

/// Parses `fold.json` at `path` streaming from the file, never holding its text (hundreds of
/// megabytes with thousands of tickers).
fn read_stored(path: &Path) -> Result<Record> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    serde_json::from_reader(reader).map_err(|e| Error::record(path, e))
}

/// FNV-1a, 64 bits: a stable hash (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x100_0000_01b3;

/// What a fold depends on: the build and the settings that shape folds (with the tickers and
/// sectors), and the data, hashed date by date so that a fold can be checked against the bars
/// up to any date.
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    settings: u64,
    /// Bars from a sample's date to its realised target.
    horizon: usize,
    /// `prefix[d]`: the hash of every bar (open, high, low, close, adjusted close, volume) of
    /// every ticker on dates `0..=d`, and of those dates.
    prefix: Vec<u64>,
}

impl Fingerprint {
    /// The experiment's settings that shape folds and the panel's bars.
    pub fn of<M: ModelConfig>(exp: &Experiment<M>, panel: &Panel) -> Fingerprint {
        // a fold is one seed's (its key says which): how many seeds and how they combine do
        // not change it, so adding seeds or another ensemble reuses the folds fitted before
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
            "tickers": panel.tickers(),
            "sectors": panel.sectors(),
        });
        let mix = |h: u64, v: u64| (h ^ v).wrapping_mul(FNV_PRIME);
        let mut h = FNV_OFFSET;
        let prefix = panel
            .dates()
            .iter()
            .enumerate()
            .map(|(d, date)| {
                h = mix(h, u64::from(date.to_epoch_days().cast_unsigned()));
                for b in panel.all_bars() {
                    for v in
                        [b.open[d], b.high[d], b.low[d], b.close[d], b.adj_close[d], b.volume[d]]
                    {
                        h = mix(h, v.to_bits());
                    }
                }
                h
            })
            .collect();
        Fingerprint {
            settings: fnv1a(settings.to_string().as_bytes()),
            horizon: exp.dataset.horizon,
            prefix,
        }
    }

    fn upto(&self, d: usize) -> String {
        let last = self.prefix.len().saturating_sub(1);
        format!(
            "{:016x}-{:016x}",
            self.settings,
            self.prefix.get(d.min(last)).copied().unwrap_or(0)
        )
    }

    /// Of the settings and every bar a fold with `split` reads: up to its last test sample's
    /// realised target (features at t read bars up to t).
    pub fn fold(&self, split: &Split) -> String {
        self.upto(split.test_end + self.horizon)
    }

    /// Of the settings and the bars a fold with `split` is fitted on: those up to the end of
    /// its validation span (its training and validation samples' targets are realised by
    /// then).
    pub fn fit(&self, split: &Split) -> String {
        self.upto(split.valid_end)
    }
}

/// Folds kept under `RUN_DIR/folds` (`folds/fold-NNN`, or `folds/TICKER/fold-NNN` with one
/// model per ticker).
pub struct FileStore<'a> {
    dir: PathBuf,
    fingerprint: Fingerprint,
    /// Reads a fold folder's fitted model.
    restorer: Option<Restorer<'a>>,
    /// Folds taken from earlier runs.
    pub reused: Mutex<Vec<String>>,
    /// Folds whose stored models predicted a changed test span again.
    pub predicted: Mutex<Vec<String>>,
    /// Folds fitted by this run.
    pub fitted: Mutex<Vec<String>>,
    /// Messages for the run log.
    pub notes: Mutex<Vec<String>>,
}

/// Reads the fitted model stored in a fold's folder.
pub type Restorer<'a> = Box<dyn Fn(&Path) -> Result<Box<dyn Forecaster>> + Sync + 'a>;

impl<'a> FileStore<'a> {
    /// The store of run folder `run_dir`, for an experiment and data with `fingerprint`.
    pub fn new(run_dir: &Path, fingerprint: Fingerprint) -> FileStore<'a> {
        FileStore {
            dir: run_dir.join("folds"),
            fingerprint,
            restorer: None,
            reused: Mutex::new(vec![]),
            predicted: Mutex::new(vec![]),
            fitted: Mutex::new(vec![]),
            notes: Mutex::new(vec![]),
        }
    }

    /// The store, reading stored models with `restorer` so that a fold fitted on unchanged
    /// data predicts a changed test span again instead of being refitted.
    pub fn restoring(self, restorer: Restorer<'a>) -> FileStore<'a> {
        FileStore { restorer: Some(restorer), ..self }
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

    /// How many folds were fitted now, taken from earlier runs as they were, and taken with
    /// their test spans predicted again.
    pub fn counts(&self) -> (usize, usize, usize) {
        let len = |m: &Mutex<Vec<String>>| m.lock().map_or(0, |v| v.len());
        (len(&self.fitted), len(&self.reused), len(&self.predicted))
    }

    /// Writes fold `key`: its artifacts, then `fold.json`, which marks it complete.
    fn write(&self, key: &str, fold: &FoldResult, artifacts: &[(String, Vec<u8>)]) -> Result<()> {
        let dir = self.fold_dir(key);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        for (name, bytes) in artifacts {
            atomic::write(&dir.join(name), bytes)?;
        }
        let (made, fit) = (self.fingerprint.fold(&fold.split), self.fingerprint.fit(&fold.split));
        let stored = RecordRef { fingerprint: &made, fit: &fit, fold };
        let path = dir.join("fold.json");
        atomic::write_with(&path, |out| {
            serde_json::to_writer(out, &stored).map_err(|e| Error::record(&path, e))
        })
    }

    fn record(list: &Mutex<Vec<String>>, key: &str) {
        if let Ok(mut l) = list.lock() {
            l.push(key.to_string());
        }
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

impl FoldStore for FileStore<'_> {
    fn load(&self, key: &str, split: &Split) -> Option<Stored> {
        let path = self.fold_dir(key).join("fold.json");
        if !path.is_file() {
            return None;
        }
        let fitted_alike = |a: &Split| {
            (a.train_start, a.train_end, a.valid_end, a.embargo)
                == (split.train_start, split.train_end, split.valid_end, split.embargo)
        };
        match read_stored(&path) {
            Ok(s) if s.fold.split == *split && s.fingerprint == self.fingerprint.fold(split) => {
                Self::record(&self.reused, key);
                Some(Stored::Whole(s.fold))
            }
            Ok(s)
                if self.restorer.is_some()
                    && s.fit == self.fingerprint.fit(split)
                    && fitted_alike(&s.fold.split) =>
            {
                Some(Stored::Model(s.fold))
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
        self.write(key, fold, artifacts)?;
        Self::record(&self.fitted, key);
        Ok(())
    }

    fn update(&self, key: &str, fold: &FoldResult) -> Result<()> {
        self.write(key, fold, &[])?;
        Self::record(&self.predicted, key);
        Ok(())
    }

    fn restore(&self, key: &str) -> Option<Result<Box<dyn Forecaster>>> {
        let restored = (self.restorer.as_ref()?)(&self.fold_dir(key));
        if let Err(e) = &restored {
            self.note(format!("fold {key}: its stored model cannot be read ({e}); refitting it"));
        }
        Some(restored)
    }

    fn model_files(&self, key: &str) -> Option<Vec<(String, Vec<u8>)>> {
        self.artifacts(key).ok().filter(|files| !files.is_empty())
    }
}
