//! The forecasting interface: a [`Forecaster`] is fitted on training windows (with validation
//! windows for early stopping or model choice) and predicts one value per window. Windows are
//! index views into a [`FeatureMatrix`]: a sample (ticker, t) with sequence length L and sampling
//! rate r sees feature rows t - (L-1) r, ..., t - r, t of its ticker, never another ticker's,
//! never a later date.
//!
//! The baseline [`LinearForecaster`] lives here; the recurrent-network engine (`alphaseq-nn`)
//! implements the same trait. Depends on [`crate::features`] and [`crate::dataset`].

pub mod importance;
mod linear;

use serde::Serialize;

pub use importance::{permutation_importance, Importance, ImportanceSpec};
pub use linear::{LinearForecaster, LinearSpec};

/// One finished training epoch, as a forecaster that trains in epochs reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochProgress {
    /// 1-based epoch.
    pub epoch: usize,
    /// Mean training loss over the epoch.
    pub loss: f64,
    /// Validation loss after the epoch.
    pub val_loss: Option<f64>,
    /// Wall time of the epoch in seconds.
    pub seconds: f64,
}

/// Called after every training epoch, from the thread that trains.
pub type ProgressHook = std::sync::Arc<dyn Fn(&EpochProgress) + Send + Sync>;

use crate::dataset::{Sample, TargetTable, WindowShape};
use crate::error::Result;
use crate::features::FeatureMatrix;

/// Samples seen as windows of feature rows.
#[derive(Debug, Clone, Copy)]
pub struct Windows<'a> {
    /// The feature matrix the windows point into.
    pub features: &'a FeatureMatrix,
    /// The samples (ticker, as-of date, target).
    pub samples: &'a [Sample],
    /// Rows per window and bars between them.
    pub shape: WindowShape,
    /// Every target column (several for a `next_prices` target); `None`: the samples' own
    /// targets, one per window.
    pub targets: Option<&'a TargetTable>,
}

impl<'a> Windows<'a> {
    /// The windows of `samples` in `features`; `targets`: every target column (`None`: the
    /// samples' own targets).
    pub fn new(
        features: &'a FeatureMatrix,
        samples: &'a [Sample],
        shape: WindowShape,
        targets: Option<&'a TargetTable>,
    ) -> Windows<'a> {
        Windows { features, samples, shape, targets }
    }

    /// Rows per window.
    pub fn sequence_length(&self) -> usize {
        self.shape.length
    }

    /// Number of windows.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Row `k` (0 = oldest, L-1 = the as-of date) of window `i`.
    pub fn row(&self, i: usize, k: usize) -> &'a [f64] {
        let s = self.samples[i];
        let ticker = s.ticker as usize;
        self.features.row(ticker, self.shape.row_in(self.features, ticker, s.t as usize, k))
    }

    /// The targets, in sample order.
    pub fn targets(&self) -> Vec<f64> {
        self.samples.iter().map(|s| s.target).collect()
    }

    /// Target values per window.
    pub fn target_width(&self) -> usize {
        self.targets.map_or(1, TargetTable::width)
    }

    /// Every target of window `i` (its sample's target when there is no table).
    pub fn target_row(&self, i: usize) -> Vec<f64> {
        let s = self.samples[i];
        match self.targets {
            Some(t) => t.row(s.ticker as usize, s.t as usize).to_vec(),
            None => vec![s.target],
        }
    }

    /// Every target of the date of row `k` (0 = oldest) of window `i`: what a many-to-many
    /// model learns at that step. `None` without a target table. Realised no later than the
    /// window's own target, so the purge of the window's as-of date covers every step.
    pub fn step_targets(&self, i: usize, k: usize) -> Option<&'a [f64]> {
        let s = self.samples[i];
        let table = self.targets?;
        let ticker = s.ticker as usize;
        Some(table.row(ticker, self.shape.row_in(self.features, ticker, s.t as usize, k)))
    }

    /// The column of the traded target.
    pub fn primary(&self) -> usize {
        self.targets.map_or(0, |t| t.primary)
    }
}

/// What fitting produced, for the log and the report.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct FitReport {
    /// Mean squared error on the training windows.
    pub train_loss: f64,
    /// Mean squared error on the validation windows (NaN without any).
    #[serde(with = "crate::numeric::nan_as_null")]
    pub valid_loss: f64,
    /// The model's own validation loss: the loss it trains on (with any weight penalty) at the
    /// epoch it ends with, as Keras reports `val_loss`; `None` for a model without one (the
    /// linear baseline, whose loss is the MSE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_objective: Option<f64>,
    /// Number of fitted parameters.
    pub parameters: usize,
    /// Each column of the training history (`loss`, `val_loss`, `val_accuracy`, `val_auc`, ...)
    /// at its best epoch: the lowest loss, the highest score (keras-tuner's trial score for an
    /// objective); empty for a model without a history.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub history_best: std::collections::BTreeMap<String, f64>,
}

/// A model that learns to map windows of features to a target.
pub trait Forecaster {
    /// A short name for logs and reports.
    fn name(&self) -> String;

    /// Fits on `train`; `valid` may be used for early stopping or model choice, never for fitting
    /// parameters directly.
    ///
    /// # Errors
    /// When the data are unusable (too few samples, singular design).
    fn fit(&mut self, train: &Windows, valid: &Windows) -> Result<FitReport>;

    /// One prediction per window (of the traded target).
    ///
    /// # Errors
    /// When called before `fit`, or on windows of another shape.
    fn predict(&self, windows: &Windows) -> Result<Vec<f64>>;

    /// Every target column's prediction per window (`target_width` values); by default the one
    /// of [`Forecaster::predict`].
    ///
    /// # Errors
    /// As [`Forecaster::predict`].
    fn predict_all(&self, windows: &Windows) -> Result<Vec<Vec<f64>>> {
        Ok(self.predict(windows)?.into_iter().map(|p| vec![p]).collect())
    }

    /// Makes the next [`Forecaster::fit`] start from the model the previous refit left, given as
    /// that refit's [`Forecaster::artifacts`] (`training.warm_start`).
    ///
    /// # Errors
    /// [`Error::Config`](crate::error::Error::Config) for a forecaster that cannot start from
    /// earlier weights (the default), or artifacts without them.
    fn warm_start(&mut self, previous: &[(String, Vec<u8>)]) -> Result<()> {
        let _ = previous;
        Err(crate::error::Error::config(
            "training.warm_start",
            format!("{} cannot start from an earlier refit's weights", self.name()),
        ))
    }

    /// Files describing the last fit for the run folder (a checkpoint, the training history), as
    /// (file name, bytes); none by default. They must not depend on the wall clock.
    fn artifacts(&self) -> Vec<(String, Vec<u8>)> {
        vec![]
    }
}
