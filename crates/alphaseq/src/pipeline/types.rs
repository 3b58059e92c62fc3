//! The pipeline's types: its spec, predictions, fold results and the store that keeps them,
//! the run's output and how folds are executed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::backtest::Ledger;
use crate::data::Frequency;
use crate::dataset::{DatasetSpec, Scaler, Split};
use crate::error::Result;
use crate::features::FeatureSpec;
use crate::forecast::{FitReport, Forecaster, Importance, ImportanceSpec};
use crate::metrics::{self, Summary};
use crate::selection::{BorutaReport, SelectionSpec};
use crate::strategy::StrategySpec;

/// Everything the pipeline needs besides the panel and the model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PipelineSpec {
    /// Features.
    pub features: FeatureSpec,
    /// Targets, windows and split.
    pub dataset: DatasetSpec,
    /// Feature selection on the training samples.
    pub selection: SelectionSpec,
    /// Permutation importance of the fitted model on the validation windows.
    pub importance: Option<ImportanceSpec>,
    /// Trading rule and costs.
    pub strategy: StrategySpec,
    /// Buy-and-hold benchmark ticker (excluded from the traded universe).
    pub benchmark: Option<String>,
    /// Bar frequency of the panel (for annualisation).
    pub frequency: Frequency,
    /// `data.periods_per_year`: the annualisation when it is not the frequency's.
    pub periods_per_year: Option<f64>,
    /// One model per ticker (each with its own scaler and split) instead of one for all.
    pub per_ticker: bool,
    /// One model per group of the panel's sectors (`data.sectors`: sectors or asset classes),
    /// each trained on its group's tickers with its own scaler and split.
    pub per_group: bool,
    /// Each walk-forward refit starts from the previous refit's model (`training.warm_start`):
    /// the folds (of each ticker, with `per_ticker`) are fitted in order, one after another.
    pub warm_start: bool,
    /// Every fold is fitted once per seed (`training.seeds`), with store keys `seed-S/...`;
    /// fewer than two: once, with the model's own seed.
    pub seeds: Vec<u64>,
    /// How the seeds' forecasts combine into the traded one (`training.ensemble`).
    pub ensemble: super::Ensemble,
}

impl PipelineSpec {
    /// Periods a year that ratios are annualised with: `periods_per_year`, else the frequency's.
    pub fn periods_per_year(&self) -> f64 {
        self.periods_per_year.unwrap_or_else(|| self.frequency.periods_per_year())
    }
}

/// Which part of the split a prediction belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// Validation span.
    Valid,
    /// Test span.
    Test,
}

/// One out-of-sample prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// As-of date.
    pub date: NaiveDate,
    /// Ticker.
    pub ticker: String,
    /// The model's prediction.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub prediction: f64,
    /// The realised target (NaN when not yet realised).
    #[serde(with = "crate::numeric::nan_as_null")]
    pub target: f64,
    /// Validation or test.
    pub part: Part,
    /// Every target column's prediction and realised value, for a target with several columns
    /// (empty otherwise).
    #[serde(with = "crate::numeric::nan_pairs_as_null")]
    pub columns: Vec<(f64, f64)>,
}

/// Forecast quality on one part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastQuality {
    /// Samples with a realised target.
    pub samples: usize,
    /// Mean squared error (scikit-learn).
    pub mse: Option<f64>,
    /// R2 (scikit-learn `r2_score`).
    pub r2: Option<f64>,
    /// Share of predictions with the sign of the realised target.
    pub hit_rate: Option<f64>,
    /// A `next_prices` target's errors in price units and its MAE in returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<PriceErrors>,
}

/// A `next_prices` forecast's errors in price units: a forecast r (a return from the as-of
/// adjusted close) is the price (1 + r) x adj_close(t), the realised one field(t + h).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceErrors {
    /// Mean absolute error in price units (scikit-learn `mean_absolute_error`).
    pub mae: Option<f64>,
    /// Root mean squared error in price units.
    pub rmse: Option<f64>,
    /// Mean absolute error of the forecasts as returns (their RMSE is the square root of `mse`).
    pub mae_return: Option<f64>,
}

/// One stress scenario of the test-span backtest: the same weights with an extra signal lag or
/// another cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StressRow {
    /// Bars of execution lag (the configured one plus the stress).
    pub lag: usize,
    /// Cost in basis points.
    pub cost_bps: f64,
    /// Statistics of the net returns.
    pub summary: Summary,
    /// Mean sum of absolute weight changes per bar.
    pub mean_turnover: f64,
    /// The cost at which the mean net return is 0 in this scenario
    /// ([`crate::backtest::Trading::break_even_bps`]).
    pub break_even_bps: Option<f64>,
}

/// One fold's diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoldSummary {
    /// The fold's split.
    pub split: Split,
    /// Sample counts (train, valid, test).
    pub sample_counts: [usize; 3],
    /// Fit diagnostics.
    pub fit: FitReport,
    /// Forecast quality of its test predictions.
    pub test_quality: ForecastQuality,
}

/// A benchmark's backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkRun {
    /// Identifier (`buy_and_hold`, `equal_weight`, `momentum_21`, ...).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Its ledger on the test span.
    pub ledger: Ledger,
}

/// One threshold of the threshold sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepRow {
    /// The threshold.
    pub threshold: f64,
    /// Statistics of the net returns.
    pub summary: Summary,
    /// Mean sum of absolute weight changes per bar.
    pub mean_turnover: f64,
    /// Share of (date, name) decisions that are long.
    pub long_share: f64,
    /// The Sharpe ratio the threshold gave on the validation predictions (averaged over the
    /// folds): what `strategy.choose_threshold` chooses by.
    pub valid_sharpe: Option<f64>,
}

/// Thresholds of the sweep of `long_above` and `long_short_around`.
pub const SWEEP_THRESHOLDS: [f64; 9] = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

/// Extra lags and costs of the stress test: the signal lagged by 1, 5, 10 and 21 bars at the
/// configured cost, and costs of 0 to 5 bps at the configured lag.
pub const STRESS_LAGS: [usize; 4] = [1, 5, 10, 21];
/// See [`STRESS_LAGS`].
pub const STRESS_COSTS: [f64; 6] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];

/// The pipeline's results.
#[derive(Debug, Clone)]
pub struct PipelineOutput {
    /// The scaler fitted on the training span (saved with the model).
    pub scaler: Scaler,
    /// Boruta's report, when selection ran (the matrix then holds only the kept columns).
    pub boruta: Option<BorutaReport>,
    /// Validation MSE and each feature's permutation importance, when asked for.
    pub importance: Option<(f64, Vec<Importance>)>,
    /// The stress test: signal lags, then cost sweeps.
    pub stress: Vec<StressRow>,
    /// For a rule with a threshold: the same predictions traded at other thresholds
    /// ([`SWEEP_THRESHOLDS`]), at the configured cost and lag (empty otherwise).
    pub threshold_sweep: Vec<SweepRow>,
    /// Panel indices of the traded tickers.
    pub universe: Vec<usize>,
    /// The resolved split.
    pub split: Split,
    /// Sample counts (train, valid, test).
    pub sample_counts: [usize; 3],
    /// Fit diagnostics (of the last fold).
    pub fit: FitReport,
    /// Each fold's split, sample counts, fit and test quality (one without walk-forward).
    pub folds: Vec<FoldSummary>,
    /// Validation and test predictions (of every fold).
    pub predictions: Vec<Prediction>,
    /// Forecast quality on validation and test (of the traded target).
    pub quality: [ForecastQuality; 2],
    /// Per target column, for a target with several (empty otherwise): name and quality on
    /// validation and test.
    pub column_quality: Vec<(String, [ForecastQuality; 2])>,
    /// Target weights `[date][ticker]` over the whole calendar (0 outside the test span).
    pub weights: Vec<Vec<f64>>,
    /// The test-span ledger.
    pub ledger: Ledger,
    /// The benchmark strategies on the same dates (buy and hold of the benchmark ticker first,
    /// when set; then the spec's benchmarks), with the strategy's costs and lag.
    pub benchmarks: Vec<BenchmarkRun>,
    /// Benchmark returns on the ledger's dates (buy and hold), when a benchmark is set, else
    /// the lone traded ticker's own returns in a single-asset run: what alpha and beta are
    /// measured against.
    pub benchmark_returns: Option<Vec<f64>>,
    /// What the run left out and why (benchmarks that cannot exist for it).
    pub notes: Vec<String>,
    /// The threshold chosen on the validation predictions (`strategy.choose_threshold`).
    pub threshold: Option<f64>,
    /// Realised target on the prediction, pooled over the test samples (the study's R2 and
    /// t-stat of returns on the signal).
    pub signal_regression: Option<metrics::forecast::SignalRegression>,
    /// Sharpe ratio of the strategy traded on each fold's validation predictions (its
    /// validation span, the configured costs and lag), averaged over the folds: an objective
    /// for model choice that never looks at the test span.
    pub valid_sharpe: Option<f64>,
    /// Statistics of the strategy's net returns.
    pub strategy_summary: Summary,
    /// Statistics of the benchmark.
    pub benchmark_summary: Option<Summary>,
    /// With several seeds: each seed's run on its own, in the order of
    /// [`PipelineSpec::seeds`] (this output is the ensemble's, or the first seed's without
    /// one); empty otherwise.
    pub by_seed: Vec<(u64, PipelineOutput)>,
}

/// What one fold produced (the single split is one fold): everything the later steps need, so a
/// stored fold can stand in for refitting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    /// The fold's split.
    pub split: Split,
    /// Sample counts (train, valid, test).
    pub sample_counts: [usize; 3],
    /// Fit diagnostics.
    pub fit: FitReport,
    /// The scaler fitted on the fold's training span.
    pub scaler: Scaler,
    /// Boruta's report on the fold's training samples, when selection ran.
    pub boruta: Option<BorutaReport>,
    /// Validation MSE and permutation importance, when asked for.
    pub importance: Option<(f64, Vec<Importance>)>,
    /// Validation and test predictions.
    pub predictions: Vec<Prediction>,
}

/// What a store holds of a fold.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// The fold as it would be fitted now (the same data and split): used as it is.
    Whole(FoldResult),
    /// A fold fitted on the same data (every bar up to the end of its validation span) whose
    /// test span has changed since, as when a day is appended to the prices: its stored model
    /// predicts the test span again ([`FoldStore::restore`]), and nothing is refitted.
    Model(FoldResult),
}

/// Where folds are kept between runs, so an interrupted walk-forward finishes only the missing
/// folds, and a daily run refits only the folds whose training data changed. The library does
/// no I/O; `alphaseq run` stores each fold as a file. Folds are fitted on several threads at
/// once, so a store is shared.
pub trait FoldStore: Sync {
    /// The stored fold named `key` for this split, if there is one.
    fn load(&self, key: &str, split: &Split) -> Option<Stored>;
    /// The fitted model stored with fold `key`, for predicting its test span again (`None` when
    /// the store keeps no models: the fold is then refitted).
    fn restore(&self, key: &str) -> Option<Result<Box<dyn Forecaster>>> {
        let _ = key;
        None
    }
    /// Stores fold `key` again with new test predictions, keeping its model files.
    ///
    /// # Errors
    /// When it cannot be stored.
    fn update(&self, key: &str, fold: &FoldResult) -> Result<()> {
        self.save(key, fold, &[])
    }
    /// Stores fold `key` with its model's [`Forecaster::artifacts`] (called as soon as it is
    /// fitted).
    ///
    /// # Errors
    /// When it cannot be stored.
    fn save(&self, key: &str, fold: &FoldResult, artifacts: &[(String, Vec<u8>)]) -> Result<()>;
    /// The artifacts stored with fold `key` (its model files), for the next refit to start from
    /// (`training.warm_start`); `None` when the store keeps none.
    fn model_files(&self, key: &str) -> Option<Vec<(String, Vec<u8>)>> {
        let _ = key;
        None
    }
}

/// A store that keeps nothing: every fold is fitted.
pub struct NoStore;

impl FoldStore for NoStore {
    fn load(&self, _: &str, _: &Split) -> Option<Stored> {
        None
    }
    fn save(&self, _: &str, _: &FoldResult, _: &[(String, Vec<u8>)]) -> Result<()> {
        Ok(())
    }
}

/// Makes a fresh, unfitted forecaster for each fold (several may train at once), with the
/// given seed (`None`: the model's own).
pub type ModelFactory<'a> = &'a (dyn Fn(Option<u64>) -> Box<dyn Forecaster> + Sync);

/// How the folds are fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Execution {
    /// Folds fitted at once (each on its own thread).
    pub parallel: usize,
    /// Fit nothing: every fold must be in the store (assembling the folds of sharded runs).
    pub stored_only: bool,
}

impl Default for Execution {
    fn default() -> Self {
        Execution { parallel: 1, stored_only: false }
    }
}
