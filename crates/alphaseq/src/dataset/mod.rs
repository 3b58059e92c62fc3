//! Data sets: which (ticker, date) pairs are samples, what their target is, and which samples are
//! train, validation and test. A sample dated t uses features up to t; its target is realised at
//! t + horizon. The split is chronological and purged: a training sample is kept only if its
//! target is realised by the last training date (likewise for validation), so no label crosses
//! into a later period.
//!
//! Depends on [`crate::data`] and [`crate::features`].

mod split;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use split::{Split, SplitSpec};

use crate::data::Panel;
use crate::error::{Error, Result};
use crate::features::FeatureMatrix;

/// What the model predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The simple return of the adjusted close from t to t + horizon.
    #[default]
    NextReturn,
}

/// How to build the data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatasetSpec {
    /// The target.
    pub target: TargetKind,
    /// Bars ahead the target looks (1 = next bar).
    pub horizon: usize,
    /// Bars of features a sample sees (1 = only the as-of date).
    pub sequence_length: usize,
    /// The chronological split.
    pub split: SplitSpec,
}

impl Default for DatasetSpec {
    fn default() -> Self {
        DatasetSpec {
            target: TargetKind::NextReturn,
            horizon: 1,
            sequence_length: 1,
            split: SplitSpec::default(),
        }
    }
}

/// One sample: a ticker, the index of its as-of date, and its target (NaN when not yet realised).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Ticker index in the panel.
    pub ticker: u32,
    /// Index of the as-of date in the panel's calendar.
    pub t: u32,
    /// The target value, NaN when it is not realised inside the data.
    pub target: f64,
}

/// The samples of each part of a split.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Training samples (targets realised by the end of training).
    pub train: Vec<Sample>,
    /// Validation samples (targets realised by the end of validation).
    pub valid: Vec<Sample>,
    /// Test samples (targets may be NaN at the end of the data).
    pub test: Vec<Sample>,
    /// The resolved split.
    pub split: Split,
}

/// Targets of every ticker on every date: `targets[ticker][t]`.
pub fn targets(panel: &Panel, spec: &DatasetSpec) -> Vec<Vec<f64>> {
    let h = spec.horizon;
    panel
        .all_bars()
        .iter()
        .map(|b| {
            let p = &b.adj_close;
            (0..p.len())
                .map(|t| if t + h < p.len() { p[t + h] / p[t] - 1.0 } else { f64::NAN })
                .collect()
        })
        .collect()
}

impl Dataset {
    /// Builds samples for `tickers` (panel indices): every date whose window of
    /// `sequence_length` feature rows is complete, split chronologically and purged.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a zero horizon or sequence length; [`Error::NotEnoughData`] when a
    /// part of the split is empty.
    pub fn build(
        panel: &Panel,
        features: &FeatureMatrix,
        tickers: &[usize],
        spec: &DatasetSpec,
    ) -> Result<Dataset> {
        if spec.horizon == 0 || spec.sequence_length == 0 {
            return Err(Error::Invalid(
                "dataset: horizon and sequence_length must be at least 1".into(),
            ));
        }
        let targets = targets(panel, spec);
        let l = spec.sequence_length;
        let mut candidates = Vec::new();
        for &i in tickers {
            let mut complete_run = 0usize;
            for t in 0..features.n_dates() {
                complete_run = if features.row_is_finite(i, t) { complete_run + 1 } else { 0 };
                if complete_run >= l {
                    candidates.push(Sample {
                        ticker: i as u32,
                        t: t as u32,
                        target: targets[i][t],
                    });
                }
            }
        }
        let first = candidates.iter().map(|s| s.t as usize).min().ok_or_else(|| {
            Error::NotEnoughData("no (ticker, date) has a complete feature window".into())
        })?;
        let split = spec.split.resolve(panel.dates(), first)?;
        let h = spec.horizon;
        let mut ds = Dataset { train: vec![], valid: vec![], test: vec![], split };
        for s in candidates {
            let t = s.t as usize;
            if t + h <= split.train_end && s.target.is_finite() {
                ds.train.push(s);
            } else if t > split.train_end && t + h <= split.valid_end && s.target.is_finite() {
                ds.valid.push(s);
            } else if t > split.valid_end {
                ds.test.push(s);
            }
        }
        for (name, part) in [("training", &ds.train), ("validation", &ds.valid), ("test", &ds.test)]
        {
            if part.is_empty() {
                return Err(Error::NotEnoughData(format!(
                    "the {name} part of the split has no samples ({})",
                    split.describe(panel.dates())
                )));
            }
        }
        Ok(ds)
    }
}

/// The date of a sample.
pub fn sample_date(panel: &Panel, s: &Sample) -> NaiveDate {
    panel.dates()[s.t as usize]
}
