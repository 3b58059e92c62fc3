//! The end-to-end job behind `alphaseq run`, as a pure function of a panel and a spec: features,
//! a purged chronological data set, a fitted [`Forecaster`], out-of-sample predictions, target
//! weights, a backtest ledger and its statistics against a buy-and-hold benchmark.
//!
//! Only validation and test dates are traded, with a model fitted on training data alone, so every
//! position at date t depends on prices up to t only (see the look-ahead property test).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::backtest::{self, Ledger};
use crate::data::{Frequency, Panel, ReturnKind};
use crate::dataset::{Dataset, DatasetSpec, Scaler, Split};
use crate::error::{Error, Result};
use crate::features::{FeatureMatrix, FeatureSpec};
use crate::forecast::{
    permutation_importance, FitReport, Forecaster, Importance, ImportanceSpec, Windows,
};
use crate::metrics::{self, Summary};
use crate::selection::{self, BorutaReport, SelectionSpec};
use crate::strategy::{self, Benchmark, Market, Rule, StrategySpec};

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
    /// One model per ticker (each with its own scaler and split) instead of one for all.
    pub per_ticker: bool,
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
    /// The feature matrix (all tickers of the panel), scaled.
    pub features: FeatureMatrix,
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
    /// Benchmark returns on the ledger's dates (buy and hold), when a benchmark is set.
    pub benchmark_returns: Option<Vec<f64>>,
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

/// Where folds are kept between runs, so an interrupted walk-forward finishes only the missing
/// folds. The library does no I/O; `alphaseq run` stores each fold as a file. Folds are fitted
/// on several threads at once, so a store is shared.
pub trait FoldStore: Sync {
    /// The stored result of the fold named `key` with this split, if there is one.
    fn load(&self, key: &str, split: &Split) -> Option<FoldResult>;
    /// Stores fold `key` with its model's [`Forecaster::artifacts`] (called as soon as it is
    /// fitted).
    ///
    /// # Errors
    /// When it cannot be stored.
    fn save(&self, key: &str, fold: &FoldResult, artifacts: &[(String, Vec<u8>)]) -> Result<()>;
}

/// A store that keeps nothing: every fold is fitted.
pub struct NoStore;

impl FoldStore for NoStore {
    fn load(&self, _: &str, _: &Split) -> Option<FoldResult> {
        None
    }
    fn save(&self, _: &str, _: &FoldResult, _: &[(String, Vec<u8>)]) -> Result<()> {
        Ok(())
    }
}

/// Makes a fresh, unfitted forecaster for each fold (several may train at once).
pub type ModelFactory<'a> = &'a (dyn Fn() -> Box<dyn Forecaster> + Sync);

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

/// Fits only shard `shard` of `shards` of the folds (fold k belongs to shard k mod shards),
/// skipping those already stored, and stores them; assembles nothing. Returns the keys of the
/// shard's folds. Sharded runs into one store, then [`run_with_store`] with
/// [`Execution::stored_only`], give the unsharded run's results bit for bit.
///
/// # Errors
/// As [`run_with_store`].
pub fn fit_shard(
    panel: &Panel,
    spec: &PipelineSpec,
    models: ModelFactory,
    store: &dyn FoldStore,
    parallel: usize,
    (shard, shards): (usize, usize),
) -> Result<Vec<String>> {
    let prepared = prepare(panel, spec)?;
    let jobs: Vec<Job> = prepared
        .jobs(panel, spec)?
        .into_iter()
        .enumerate()
        .filter(|(k, _)| k % shards.max(1) == shard)
        .map(|(_, j)| j)
        .collect();
    let keys: Vec<String> = jobs.iter().map(|j| j.key.clone()).collect();
    let execution = Execution { parallel, stored_only: false };
    run_jobs(panel, spec, &prepared.raw, jobs, models, store, execution)?;
    Ok(keys)
}

/// Runs the pipeline on `panel` with `model`, one fold after another.
///
/// # Errors
/// Invalid specs, an unknown benchmark ticker, too little data, or a failed fit.
pub fn run(
    panel: &Panel,
    spec: &PipelineSpec,
    model: &mut dyn Forecaster,
) -> Result<PipelineOutput> {
    let prepared = prepare(panel, spec)?;
    let mut folds = vec![];
    let mut last = None;
    for job in prepared.jobs(panel, spec)? {
        let (fold, scaled) = fit_fold(panel, &prepared.raw, job.dataset, spec, model)?;
        folds.push(fold);
        last = Some(scaled);
    }
    let features = last.unwrap_or(prepared.raw);
    assemble(panel, spec, prepared.benchmark, prepared.universe, features, folds)
}

/// The pieces every fold shares.
struct Prepared {
    benchmark: Option<usize>,
    universe: Vec<usize>,
    raw: FeatureMatrix,
}

/// One fold to fit: its store key and data set.
struct Job {
    key: String,
    dataset: Dataset,
}

fn prepare(panel: &Panel, spec: &PipelineSpec) -> Result<Prepared> {
    let benchmark =
        match &spec.benchmark {
            Some(b) => Some(panel.ticker_index(b).ok_or_else(|| {
                Error::Invalid(format!("benchmark ticker {b:?} is not in the data"))
            })?),
            None => None,
        };
    let universe: Vec<usize> =
        (0..panel.tickers().len()).filter(|i| Some(*i) != benchmark).collect();
    if universe.is_empty() {
        return Err(Error::NotEnoughData("no tickers to trade besides the benchmark".into()));
    }
    let raw = FeatureMatrix::compute(panel, &spec.features)?;
    Ok(Prepared { benchmark, universe, raw })
}

impl Prepared {
    /// The folds: per split or walk-forward fold, and per ticker when each has its own model.
    fn jobs(&self, panel: &Panel, spec: &PipelineSpec) -> Result<Vec<Job>> {
        let ppy = spec.frequency.periods_per_year();
        let sets = |tickers: &[usize]| match &spec.dataset.walk_forward {
            Some(walk) => {
                Dataset::walk_forward(panel, &self.raw, tickers, &spec.dataset, walk, ppy)
            }
            None => Ok(vec![Dataset::build(panel, &self.raw, tickers, &spec.dataset, ppy)?]),
        };
        if !spec.per_ticker {
            return Ok(sets(&self.universe)?
                .into_iter()
                .enumerate()
                .map(|(k, dataset)| Job { key: format!("fold-{k:03}"), dataset })
                .collect());
        }
        let mut jobs = vec![];
        for &i in &self.universe {
            let ticker = &panel.tickers()[i];
            let folds = sets(&[i]).map_err(|e| {
                Error::NotEnoughData(format!("ticker {ticker} (one model per ticker): {e}"))
            })?;
            let safe = ticker_key(ticker);
            for (k, dataset) in folds.into_iter().enumerate() {
                jobs.push(Job { key: format!("{safe}/fold-{k:03}"), dataset });
            }
        }
        Ok(jobs)
    }
}

/// A fitted (or stored) fold, with the scaled feature matrix when it is the last one.
type FoldOutcome = Result<(FoldResult, Option<FeatureMatrix>)>;

/// A ticker as a folder-safe store key prefix (`^GSPC` -> `_GSPC`).
pub fn ticker_key(ticker: &str) -> String {
    ticker
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' })
        .collect()
}

/// Runs the pipeline, fitting one model per fold (one fold without `dataset.walk_forward`; one
/// per ticker and fold with `per_ticker`), `execution.parallel` at once, each with a fresh model
/// from `models`; takes finished folds from `store` and saves new ones to it. The test
/// predictions of all folds are stitched into one out-of-sample series, traded and evaluated as
/// one strategy. Results do not depend on `parallel`.
///
/// # Errors
/// As [`run`], or when the store fails to save.
pub fn run_with_store(
    panel: &Panel,
    spec: &PipelineSpec,
    models: ModelFactory,
    store: &dyn FoldStore,
    execution: Execution,
) -> Result<PipelineOutput> {
    let prepared = prepare(panel, spec)?;
    let jobs = prepared.jobs(panel, spec)?;
    let (folds, last_features) =
        run_jobs(panel, spec, &prepared.raw, jobs, models, store, execution)?;
    let features = last_features.unwrap_or(prepared.raw);
    assemble(panel, spec, prepared.benchmark, prepared.universe, features, folds)
}

/// Fits (or takes from the store) every job, `execution.parallel` at once; the folds in job
/// order and the last job's scaled feature matrix when it was fitted now.
fn run_jobs(
    panel: &Panel,
    spec: &PipelineSpec,
    raw: &FeatureMatrix,
    jobs: Vec<Job>,
    models: ModelFactory,
    store: &dyn FoldStore,
    execution: Execution,
) -> Result<(Vec<FoldResult>, Option<FeatureMatrix>)> {
    let n = jobs.len();
    let slots: Vec<std::sync::Mutex<Option<FoldOutcome>>> =
        (0..n).map(|_| std::sync::Mutex::new(None)).collect();
    let queue: std::sync::Mutex<Vec<(usize, Job)>> =
        std::sync::Mutex::new(jobs.into_iter().enumerate().rev().collect());
    let failed = std::sync::atomic::AtomicBool::new(false);
    let work = || loop {
        if failed.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        let next = queue.lock().ok().and_then(|mut q| q.pop());
        let Some((k, job)) = next else { break };
        let result = match store.load(&job.key, &job.dataset.split) {
            Some(done) => Ok((done, None)),
            None if execution.stored_only => Err(Error::NotEnoughData(format!(
                "fold {} is not stored: run every shard first",
                job.key
            ))),
            None => {
                let mut model = models();
                fit_fold(panel, raw, job.dataset, spec, model.as_mut()).and_then(
                    |(fold, scaled)| {
                        store.save(&job.key, &fold, &model.artifacts())?;
                        // only the last fold's scaled matrix is kept (for the caller's log)
                        Ok((fold, (k + 1 == n).then_some(scaled)))
                    },
                )
            }
        };
        if result.is_err() {
            failed.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        if let Ok(mut slot) = slots[k].lock() {
            *slot = Some(result);
        }
    };
    let threads = execution.parallel.clamp(1, n.max(1));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let mut folds = Vec::with_capacity(n);
    let mut last_features = None;
    for slot in slots {
        match slot.into_inner().ok().flatten() {
            Some(Ok((fold, scaled))) => {
                folds.push(fold);
                if scaled.is_some() {
                    last_features = scaled;
                }
            }
            Some(Err(e)) => return Err(e),
            None => {} // not run after another fold failed; that failure is returned above
        }
    }
    if folds.len() < n {
        return Err(Error::Invalid("a fold was not fitted".into()));
    }
    Ok((folds, last_features))
}

/// Fits one fold: feature selection and scaling on its training span, the model, importance,
/// and its validation and test predictions. Returns the fold and its scaled feature matrix.
fn fit_fold(
    panel: &Panel,
    raw: &FeatureMatrix,
    mut ds: Dataset,
    spec: &PipelineSpec,
    model: &mut dyn Forecaster,
) -> Result<(FoldResult, FeatureMatrix)> {
    let universe: Vec<usize> = {
        let mut u: Vec<usize> = ds.train.iter().map(|s| s.ticker as usize).collect();
        u.sort_unstable();
        u.dedup();
        u
    };
    let boruta = match &spec.selection.boruta {
        Some(b) => {
            let report = selection::boruta_on(raw, &ds.train, b)?;
            if report.kept(b.keep_tentative).is_empty() {
                let mut best: Vec<usize> = (0..report.names.len()).collect();
                best.sort_by_key(|&j| std::cmp::Reverse(report.hits[j]));
                let top: Vec<String> = best
                    .iter()
                    .take(3)
                    .map(|&j| format!("{} {} hits", report.names[j], report.hits[j]))
                    .collect();
                return Err(Error::NotEnoughData(format!(
                    "selection.boruta kept no feature of {} after {} rounds (most hits: {}); nothing beats its shuffled copy reliably{}",
                    report.names.len(),
                    report.rounds,
                    top.join(", "),
                    if b.keep_tentative { "" } else { "; keep_tentative = true keeps the undecided" }
                )));
            }
            Some(report)
        }
        None => None,
    };
    let mut features = match (&boruta, &spec.selection.boruta) {
        (Some(report), Some(b)) => raw.select_columns(&report.kept(b.keep_tentative)),
        _ => raw.clone(),
    };
    let scaler = Scaler::fit(
        &features,
        &universe,
        ds.split.train_start..=ds.split.train_end,
        spec.dataset.scaler,
    )?;
    scaler.transform(&mut features)?;
    for part in [&mut ds.train, &mut ds.valid, &mut ds.test] {
        part.retain(|s| scaler.group(s.ticker as usize).is_some());
    }
    if ds.train.is_empty() || ds.valid.is_empty() || ds.test.is_empty() {
        return Err(Error::NotEnoughData(format!(
            "fold {}: no training, validation or test samples are left for tickers with a fitted scaler",
            ds.split.describe(panel.dates())
        )));
    }
    let table = (ds.targets.width() > 1).then_some(&*ds.targets);
    let view = |samples| Windows::new(&features, samples, spec.dataset.window(), table);
    let (train_w, valid_w, test_w) = (view(&ds.train), view(&ds.valid), view(&ds.test));
    let fit = model.fit(&train_w, &valid_w)?;
    let importance = match &spec.importance {
        Some(imp) => Some(permutation_importance(model, &valid_w, imp)?),
        None => None,
    };
    let valid_pred = model.predict(&valid_w)?;
    let test_pred = model.predict(&test_w)?;
    let multi = ds.targets.width() > 1;
    let (valid_all, test_all) = if multi {
        (model.predict_all(&valid_w)?, model.predict_all(&test_w)?)
    } else {
        (vec![], vec![])
    };
    let mut predictions = Vec::with_capacity(valid_pred.len() + test_pred.len());
    for (part, w, preds, all) in [
        (Part::Valid, &valid_w, &valid_pred, &valid_all),
        (Part::Test, &test_w, &test_pred, &test_all),
    ] {
        for (i, (s, p)) in w.samples.iter().zip(preds).enumerate() {
            let columns = match all.get(i) {
                Some(row) => row.iter().copied().zip(w.target_row(i)).collect(),
                None => vec![],
            };
            predictions.push(Prediction {
                date: panel.dates()[s.t as usize],
                ticker: panel.tickers()[s.ticker as usize].clone(),
                prediction: *p,
                target: s.target,
                part,
                columns,
            });
        }
    }
    let fold = FoldResult {
        split: ds.split,
        sample_counts: [ds.train.len(), ds.valid.len(), ds.test.len()],
        fit,
        scaler,
        boruta,
        importance,
        predictions,
    };
    Ok((fold, features))
}

/// Stitches the folds' test predictions into one out-of-sample series and trades, stresses and
/// evaluates it.
fn assemble(
    panel: &Panel,
    spec: &PipelineSpec,
    benchmark: Option<usize>,
    universe: Vec<usize>,
    features: FeatureMatrix,
    folds: Vec<FoldResult>,
) -> Result<PipelineOutput> {
    let ppy = spec.frequency.periods_per_year();
    let n_dates = panel.dates().len();
    let predictions: Vec<Prediction> =
        folds.iter().flat_map(|f| f.predictions.iter().cloned()).collect();
    let test: Vec<&Prediction> = predictions.iter().filter(|p| p.part == Part::Test).collect();
    let mut triples = Vec::with_capacity(test.len());
    for p in &test {
        let i = panel.ticker_index(&p.ticker).ok_or_else(|| {
            Error::Invalid(format!("a stored prediction names ticker {} not in the data", p.ticker))
        })?;
        let t = panel.dates().binary_search(&p.date).map_err(|_| {
            Error::Invalid(format!("a stored prediction is dated {} outside the data", p.date))
        })?;
        triples.push((i, t, p.prediction));
    }
    let part_quality = |part: Part| {
        let (pred, real): (Vec<f64>, Vec<f64>) =
            predictions.iter().filter(|p| p.part == part).map(|p| (p.prediction, p.target)).unzip();
        quality_of(&pred, &real)
    };
    let quality = [part_quality(Part::Valid), part_quality(Part::Test)];
    let width = predictions.first().map_or(0, |p| p.columns.len());
    let names = crate::dataset::target_names(&spec.dataset);
    let column_quality = (0..width)
        .map(|c| {
            let q = |part: Part| {
                let (pred, real): (Vec<f64>, Vec<f64>) =
                    predictions.iter().filter(|p| p.part == part).map(|p| p.columns[c]).unzip();
                quality_of(&pred, &real)
            };
            let name = names.get(c).cloned().unwrap_or_else(|| format!("target_{c}"));
            (name, [q(Part::Valid), q(Part::Test)])
        })
        .collect();

    let (returns, sectors) = market_inputs(panel);
    let market = Market { returns: &returns, sectors: &sectors, periods_per_year: ppy };
    let weights = strategy::weights(&spec.strategy, &triples, &market, n_dates);
    let first_test = folds.iter().map(|f| f.split.valid_end + 1).min().unwrap_or(n_dates);
    let run_ledger = |w: &[Vec<f64>]| {
        backtest::run(
            w,
            &returns,
            first_test,
            n_dates - 1,
            spec.strategy.cost_bps,
            spec.strategy.execution_lag,
        )
    };
    let ledger = run_ledger(&weights);
    let benchmark_returns =
        benchmark.map(|b| ledger.dates.iter().map(|&t| returns[b][t]).collect::<Vec<f64>>());
    let mut benchmarks = vec![];
    if let Some(b) = benchmark {
        // buy and hold: the benchmark ticker on the strategy's decision dates
        let mut days: Vec<usize> = triples.iter().map(|&(_, t, _)| t).collect();
        days.sort_unstable();
        days.dedup();
        let held: Vec<(usize, usize, f64)> = days.iter().map(|&t| (b, t, 1.0)).collect();
        let w = strategy::benchmark_weights(
            Benchmark::EqualWeight,
            &spec.strategy,
            &held,
            &market,
            n_dates,
        );
        let name = format!("{} buy and hold", panel.tickers()[b]);
        benchmarks.push(BenchmarkRun { key: "buy_and_hold".into(), name, ledger: run_ledger(&w) });
    }
    for &kind in &spec.strategy.benchmarks {
        let w = strategy::benchmark_weights(kind, &spec.strategy, &triples, &market, n_dates);
        benchmarks.push(BenchmarkRun {
            key: kind.key().into(),
            name: kind.label().into(),
            ledger: run_ledger(&w),
        });
    }
    let base_lag = spec.strategy.execution_lag;
    let scenarios = STRESS_LAGS
        .iter()
        .map(|&extra| (base_lag + extra, spec.strategy.cost_bps))
        .chain(STRESS_COSTS.iter().map(|&c| (base_lag, c)));
    let stress = scenarios
        .map(|(lag, cost_bps)| {
            let l = backtest::run(&weights, &returns, first_test, n_dates - 1, cost_bps, lag);
            let mean_turnover = l.turnover.iter().sum::<f64>() / l.turnover.len().max(1) as f64;
            StressRow { lag, cost_bps, summary: Summary::of(&l.net, ppy), mean_turnover }
        })
        .collect();
    let threshold_sweep = if matches!(spec.strategy.rule, Rule::LongAbove | Rule::LongShortAround) {
        SWEEP_THRESHOLDS
            .iter()
            .map(|&threshold| {
                let swept = StrategySpec { threshold, ..spec.strategy.clone() };
                let w = strategy::weights(&swept, &triples, &market, n_dates);
                let l = run_ledger(&w);
                let long = triples.iter().filter(|&&(i, t, _)| w[t][i] > 0.0).count();
                SweepRow {
                    threshold,
                    summary: Summary::of(&l.net, ppy),
                    mean_turnover: l.turnover.iter().sum::<f64>() / l.turnover.len().max(1) as f64,
                    long_share: long as f64 / triples.len().max(1) as f64,
                }
            })
            .collect()
    } else {
        vec![]
    };
    let mut valid_sharpes = vec![];
    for f in &folds {
        let mut vt = vec![];
        for p in f.predictions.iter().filter(|p| p.part == Part::Valid) {
            if let (Some(i), Ok(t)) =
                (panel.ticker_index(&p.ticker), panel.dates().binary_search(&p.date))
            {
                vt.push((i, t, p.prediction));
            }
        }
        let w = strategy::weights(&spec.strategy, &vt, &market, n_dates);
        let l = backtest::run(
            &w,
            &returns,
            f.split.train_end + 1,
            // every return booked inside the validation span, none from the test span
            f.split.valid_end.saturating_sub(1 + spec.strategy.execution_lag),
            spec.strategy.cost_bps,
            spec.strategy.execution_lag,
        );
        if let Some(s) = metrics::sharpe_ratio(&l.net, 0.0, ppy) {
            valid_sharpes.push(s);
        }
    }
    let valid_sharpe = (!valid_sharpes.is_empty())
        .then(|| valid_sharpes.iter().sum::<f64>() / valid_sharpes.len() as f64);
    let (test_pred, test_targets): (Vec<f64>, Vec<f64>) =
        test.iter().map(|p| (p.prediction, p.target)).unzip();
    let signal_regression = metrics::forecast::signal_regression(&test_pred, &test_targets);
    let last = folds.last().ok_or_else(|| Error::NotEnoughData("no fold".into()))?;
    let (scaler, boruta, importance, fit) =
        (last.scaler.clone(), last.boruta.clone(), last.importance.clone(), last.fit.clone());
    let sample_counts = folds.iter().fold([0; 3], |acc, f| {
        [acc[0] + f.sample_counts[0], acc[1] + f.sample_counts[1], acc[2] + f.sample_counts[2]]
    });
    Ok(PipelineOutput {
        valid_sharpe,
        signal_regression,
        strategy_summary: Summary::of(&ledger.net, ppy),
        benchmark_summary: benchmark_returns.as_ref().map(|r| Summary::of(r, ppy)),
        features,
        scaler,
        boruta,
        importance,
        stress,
        threshold_sweep,
        universe,
        split: folds[0].split,
        sample_counts,
        fit,
        folds: folds
            .iter()
            .map(|f| FoldSummary {
                split: f.split,
                sample_counts: f.sample_counts,
                fit: f.fit.clone(),
                test_quality: {
                    let (pred, real): (Vec<f64>, Vec<f64>) = f
                        .predictions
                        .iter()
                        .filter(|p| p.part == Part::Test)
                        .map(|p| (p.prediction, p.target))
                        .unzip();
                    quality_of(&pred, &real)
                },
            })
            .collect(),
        predictions,
        quality,
        column_quality,
        weights,
        ledger,
        benchmarks,
        benchmark_returns,
    })
}

/// What a strategy reads of the market: every ticker's simple returns per date and its sector
/// id ([`sector_ids`]).
pub fn market_inputs(panel: &Panel) -> (Vec<Vec<f64>>, Vec<Option<usize>>) {
    let returns = panel.all_bars().iter().map(|b| b.returns(ReturnKind::Simple)).collect();
    (returns, sector_ids(panel))
}

/// A sector id per ticker of the panel (sectors numbered in sorted order), none without one.
pub fn sector_ids(panel: &Panel) -> Vec<Option<usize>> {
    let mut names: Vec<&str> = (0..panel.tickers().len()).filter_map(|i| panel.sector(i)).collect();
    names.sort_unstable();
    names.dedup();
    (0..panel.tickers().len())
        .map(|i| panel.sector(i).and_then(|s| names.binary_search(&s).ok()))
        .collect()
}

fn quality_of(pred: &[f64], real: &[f64]) -> ForecastQuality {
    ForecastQuality {
        samples: real.iter().filter(|r| r.is_finite()).count(),
        mse: metrics::forecast::mse(pred, real),
        r2: metrics::forecast::r2(pred, real),
        hit_rate: metrics::forecast::hit_rate(pred, real),
    }
}
