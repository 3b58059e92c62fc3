//! The memory a run will need, estimated from the loaded panel and the experiment before any
//! feature is computed, so that a run too large for the machine stops at once with an error that
//! names the estimate, instead of being killed part way (or swapping for an hour).
//!
//! What a run holds at its peak, besides the panel: the feature matrix (f64, every ticker and
//! date), a scaled copy of it per fold fitted at once when there are several folds (one fold
//! scales the matrix itself), the samples of every fold (16 bytes each) and the target table,
//! the validation and test predictions (about 100 bytes each) and the strategy's weights, plus a
//! fixed part (the program, the engine's buffers, the report). The estimate is set beside
//! measured peaks in docs/performance.md ("Scale").

use super::{Experiment, ModelConfig};
use crate::data::Panel;
use crate::error::{Error, Result};

/// Bytes of one sample (ticker, date, target).
const SAMPLE: u64 = 16;
/// Bytes of one prediction with its ticker name.
const PREDICTION: u64 = 100;
/// Allocator slack on top of the live data (measured: 5-10%).
const SLACK: f64 = 1.1;
/// What any run holds besides its data: the program, the engine's buffers, the report
/// (measured: 70 MB for the quickstart, 340 MB for study 3's 31 LSTMs, two at once).
const BASE: u64 = 300_000_000;

/// The estimated peak memory of a run, in bytes, by what holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryEstimate {
    /// The panel's bars.
    pub panel: u64,
    /// The feature matrix and its scaled copies.
    pub features: u64,
    /// The folds' samples and the target table.
    pub samples: u64,
    /// Validation and test predictions.
    pub predictions: u64,
    /// Weights and ledgers of the strategy and its benchmarks.
    pub book: u64,
}

impl MemoryEstimate {
    /// The estimated peak, allocator slack included.
    pub fn total(&self) -> u64 {
        let live = self.panel + self.features + self.samples + self.predictions + self.book;
        (live as f64 * SLACK) as u64 + BASE
    }

    /// "4.52 GB (panel 1.25 GB, features 1.04 GB, samples 0.84 GB, predictions 1.01 GB,
    /// weights 0.63 GB)".
    pub fn describe(&self) -> String {
        format!(
            "{} (panel {}, features {}, samples {}, predictions {}, weights {})",
            gb(self.total()),
            gb(self.panel),
            gb(self.features),
            gb(self.samples),
            gb(self.predictions),
            gb(self.book)
        )
    }
}

/// Bytes in gigabytes with two decimals (1 GB = 1e9 bytes), or megabytes below 1 GB.
pub fn gb(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{:.2} GB", bytes as f64 / 1e9)
    } else {
        format!("{:.0} MB", bytes as f64 / 1e6)
    }
}

impl<M: ModelConfig> Experiment<M> {
    /// The estimated peak memory of this experiment on `panel` with `parallel` folds fitted at
    /// once.
    ///
    /// # Errors
    /// A split or walk-forward that does not resolve on the panel's dates (as the run would).
    pub fn memory_estimate(&self, panel: &Panel, parallel: usize) -> Result<MemoryEstimate> {
        let (tickers, dates) = (panel.tickers().len() as u64, panel.dates().len() as u64);
        let columns = self.features.names().len().max(1) as u64;
        let matrix = tickers * dates * columns * 8;
        let splits = match &self.dataset.walk_forward {
            Some(walk) => walk.folds(panel.dates(), 0)?,
            None => vec![self.dataset.split.resolve(panel.dates(), 0)?],
        };
        // one model per group counts as one per ticker: at most that many
        let jobs =
            if self.model.split_models() { splits.len() * tickers as usize } else { splits.len() };
        let copies = if jobs > 1 { parallel.clamp(1, jobs) } else { 0 };
        let span = |a: usize, b: usize| (b.saturating_sub(a) + 1) as u64;
        // every fold's samples are built before the first is fitted; the candidates they are
        // drawn from once more
        let fold_samples: u64 = splits.iter().map(|s| span(s.train_start, s.test_end)).sum();
        let width = crate::dataset::target_names(&self.dataset).len() as u64;
        let samples = tickers * (fold_samples + dates) * SAMPLE + tickers * dates * width * 8;
        let out_of_sample: u64 = splits.iter().map(|s| span(s.train_end + 1, s.test_end)).sum();
        let predictions = tickers * out_of_sample * PREDICTION;
        let benchmarks = 3; // the strategy, its stress copies and the benchmark strategies
        let book = tickers * dates * 8 * benchmarks;
        Ok(MemoryEstimate {
            panel: tickers * dates * 6 * 8,
            features: matrix * (1 + copies as u64),
            samples,
            predictions,
            book,
        })
    }
}

/// Checks `estimate` against `limit` (bytes; `None`: what the machine has available now plus
/// what the process holds, which it reuses). Returns the limit it checked against, if any.
///
/// # Errors
/// [`Error::Resources`] naming the estimate, the limit and what to change.
pub fn check(estimate: &MemoryEstimate, limit: Option<u64>) -> Result<Option<u64>> {
    let (limit, what) = match limit {
        Some(l) => (l, "the limit (--memory-limit) is"),
        None => match available_bytes() {
            Some(a) => (a + resident_bytes().unwrap_or(estimate.panel), "the machine has"),
            None => return Ok(None),
        },
    };
    if estimate.total() <= limit {
        return Ok(Some(limit));
    }
    Err(Error::Resources(format!(
        "this run needs about {} of memory and {what} {}; use fewer tickers or features (data.tickers, [features]) or fewer folds at once (--parallel), or set --memory-limit GB if the estimate is too cautious",
        estimate.describe(),
        gb(limit)
    )))
}

/// `MemAvailable` of /proc/meminfo (Linux), in bytes.
pub fn available_bytes() -> Option<u64> {
    proc_kb("/proc/meminfo", "MemAvailable:")
}

/// The process's resident set (`VmRSS` of /proc/self/status, Linux), in bytes.
pub fn resident_bytes() -> Option<u64> {
    proc_kb("/proc/self/status", "VmRSS:")
}

fn proc_kb(path: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(panel: u64) -> MemoryEstimate {
        MemoryEstimate { panel, features: 2, samples: 3, predictions: 4, book: 1 }
    }

    #[test]
    fn a_limit_below_the_estimate_is_an_error_naming_both() {
        let e = MemoryEstimate { panel: 2_000_000_000, ..estimate(0) };
        assert_eq!(e.total(), 2_500_000_011);
        let err = check(&e, Some(1_000_000_000)).unwrap_err().to_string();
        assert!(err.contains("needs about 2.50 GB (panel 2.00 GB,"), "{err}");
        assert!(err.contains("limit (--memory-limit) is 1.00 GB"), "{err}");
        assert_eq!(check(&e, Some(3_000_000_000)).unwrap(), Some(3_000_000_000));
    }
}
