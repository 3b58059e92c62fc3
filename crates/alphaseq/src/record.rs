//! The run record: what `metrics.json` holds, as typed and versioned structs. `alphaseq run`
//! builds it from the pipeline's output ([`RunRecord::new`]) and writes it; the report, the
//! search (its objectives) and `signal` read it back with [`RunRecord::parse`]. An unknown field
//! (a renamed key, say) or a missing one is an error that names it, never a silent "n/a";
//! a record of another [`SCHEMA_VERSION`] is refused with the versions named.
//! docs/run-record.md describes every field.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::backtest::Trading;
use crate::data::{Frequency, Panel};
use crate::error::{Error, Result};
use crate::metrics::evaluation::{self, Evaluation};
use crate::metrics::forecast::SignalRegression;
use crate::metrics::significance::{Deflated, SharpeSignificance};
use crate::metrics::{PerfStats, Summary};
use crate::pipeline::{Ensemble, FoldSummary, ForecastQuality, Part, PipelineOutput, PipelineSpec};
use crate::strategy::Rule;

/// The layout version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Every statistic of one run (the contents of `metrics.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// [`SCHEMA_VERSION`] of the build that wrote it.
    pub schema_version: u32,
    /// The experiment's name.
    pub name: String,
    /// The data the run used.
    pub data: DataRecord,
    /// The model (of the last fold: the one `signal` serves).
    pub model: ModelRecord,
    /// The last fold's training history summary (a network's; `None` for the linear model).
    pub training: Option<TrainingRecord>,
    /// The first fold's split (where the stitched test span starts) and sample counts summed
    /// over every fold.
    pub split: SplitRecord,
    /// Each fold: its spans, samples, losses and test quality (one without walk-forward).
    pub folds: Vec<FoldRecord>,
    /// Forecast quality of the traded target (scikit-learn definitions).
    pub forecast: PartsQuality,
    /// The same per target column, for a target with several (empty otherwise).
    pub forecast_by_target: BTreeMap<String, PartsQuality>,
    /// ICs, quantile returns and classification quality of the test predictions.
    pub evaluation: Evaluation,
    /// The strategy on the test span.
    pub strategy: StrategyRecord,
    /// The benchmark ticker held alone, when one is set.
    pub benchmark: Option<MarketRecord>,
    /// The benchmark strategies (buy and hold first, then the configured ones).
    pub benchmarks: Vec<BenchmarkRecord>,
    /// In a single-asset run without a benchmark ticker: the traded ticker, whose own returns
    /// alpha and beta are measured against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// The inputs that read the future, allowed by `features.look_ahead = "allow"` to reproduce
    /// a study (one line each: columns, indicator, how): results that are not achievable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub look_ahead: Vec<String>,
    /// What the run left out and why (benchmarks that cannot exist for it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The conventions the statistics follow.
    pub conventions: String,
    /// A search's every trial on the test span, best first (the top-level record of a search
    /// only; the cross-sectional study's Table 3 layout).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trials: Vec<TrialRecord>,
    /// The chosen trial's Sharpe ratio deflated for the number of trials (a search's top-level
    /// record only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deflated: Option<Deflated>,
    /// With `training.seeds`: each seed's headline figures and their spread (the rest of the
    /// record is the traded forecast's: the ensemble's, or the first seed's without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeds: Option<SeedsRecord>,
}

/// A run's headline figures on the test span, as the seeds' spread reports them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    /// Sharpe ratio after costs.
    pub sharpe: Option<f64>,
    /// Sharpe ratio before costs.
    pub gross_sharpe: Option<f64>,
    /// Annual return (CAGR) after costs.
    pub annual_return: Option<f64>,
    /// Maximum drawdown after costs.
    pub max_drawdown: Option<f64>,
    /// Mean daily IC (Pearson), for a cross-sectional forecast.
    pub ic: Option<f64>,
    /// Mean daily rank IC (Spearman), for a cross-sectional forecast.
    pub rank_ic: Option<f64>,
    /// Accuracy at the strategy's threshold, for a 0/1 target.
    pub accuracy: Option<f64>,
    /// ROC AUC, for a 0/1 target.
    pub auc: Option<f64>,
    /// R2 of the test forecasts (scikit-learn).
    pub r2: Option<f64>,
    /// Mean turnover per bar.
    pub turnover: Option<f64>,
}

impl Headline {
    /// The headline figures of `record`.
    pub fn of(record: &RunRecord) -> Headline {
        let ics = record.evaluation.ics.as_ref();
        let class = record.evaluation.classification.as_ref();
        Headline {
            sharpe: record.strategy.net.summary.sharpe_ratio,
            gross_sharpe: record.strategy.gross.sharpe_ratio,
            annual_return: record.strategy.net.summary.annual_return,
            max_drawdown: record.strategy.net.summary.max_drawdown,
            ic: ics.and_then(|i| i.ic.mean),
            rank_ic: ics.and_then(|i| i.rank_ic.mean),
            accuracy: class.map(|c| c.report.accuracy),
            auc: class.and_then(|c| c.roc_auc),
            r2: record.forecast.test.r2,
            turnover: record.strategy.mean_turnover,
        }
    }

    /// The figures by name, in the order of the fields.
    pub fn fields(&self) -> [(&'static str, Option<f64>); 10] {
        [
            ("sharpe", self.sharpe),
            ("gross_sharpe", self.gross_sharpe),
            ("annual_return", self.annual_return),
            ("max_drawdown", self.max_drawdown),
            ("ic", self.ic),
            ("rank_ic", self.rank_ic),
            ("accuracy", self.accuracy),
            ("auc", self.auc),
            ("r2", self.r2),
            ("turnover", self.turnover),
        ]
    }
}

/// The spread of one figure over the seeds that have it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    /// Seeds with a value.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Their standard deviation (ddof 1; none for one seed).
    pub sd: Option<f64>,
    /// The lowest.
    pub min: f64,
    /// The highest.
    pub max: f64,
}

impl Spread {
    /// The spread of the finite values; `None` without any.
    pub fn of(values: &[Option<f64>]) -> Option<Spread> {
        let v: Vec<f64> = values.iter().flatten().copied().filter(|x| x.is_finite()).collect();
        let n = v.len();
        let mean = mean(&v)?;
        let sd = (n > 1).then(|| {
            (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
        });
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Spread { n, mean, sd, min, max })
    }
}

/// One seed's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRun {
    /// The seed.
    pub seed: u64,
    /// Its headline figures (its whole record: `seeds/seed-S/metrics.json`).
    #[serde(flatten)]
    pub headline: Headline,
}

/// `seeds`: a run trained with several seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedsRecord {
    /// How the seeds' forecasts combine into the traded one.
    pub ensemble: Ensemble,
    /// Each seed, in order.
    pub each: Vec<SeedRun>,
    /// Each headline figure's spread over the seeds, by name.
    pub spread: BTreeMap<String, Spread>,
    /// The traded forecast's headline figures (the ensemble's, or the first seed's).
    pub traded: Headline,
}

impl SeedsRecord {
    /// The record of `seeds` (seed, its record), traded as `traded` says.
    pub fn of(ensemble: Ensemble, seeds: &[(u64, RunRecord)], traded: &RunRecord) -> SeedsRecord {
        let each: Vec<SeedRun> = seeds
            .iter()
            .map(|(seed, r)| SeedRun { seed: *seed, headline: Headline::of(r) })
            .collect();
        let mut spread = BTreeMap::new();
        for (k, (name, _)) in Headline::of(traded).fields().iter().enumerate() {
            let values: Vec<Option<f64>> = each.iter().map(|s| s.headline.fields()[k].1).collect();
            if let Some(s) = Spread::of(&values) {
                spread.insert(name.to_string(), s);
            }
        }
        SeedsRecord { ensemble, each, spread, traded: Headline::of(traded) }
    }
}

/// One trial of a search as its own record says: what chose it and the Table 3 layout's
/// numbers (Sharpe, Calmar, Sortino, volatility, tail ratio, alpha, beta and drawdown in `net`;
/// turnover, bias, and the regression of returns on the signal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialRecord {
    /// Its number (folder `trials/trial-NNN`).
    pub trial: usize,
    /// Its rank by the validation objective (1: the chosen trial).
    pub rank: usize,
    /// The values it set, as search.csv and the log show them.
    pub values: String,
    /// Its mean validation loss over the folds.
    pub valid_loss: Option<f64>,
    /// The Sharpe ratio of trading its validation predictions.
    pub valid_sharpe: Option<f64>,
    /// Its value of a history objective (`search.objective = "val_accuracy"`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Its strategy on the test span, net of costs.
    pub net: PerfStats,
    /// Its mean daily turnover.
    pub mean_turnover: Option<f64>,
    /// Its mean daily net return in basis points.
    pub bias_bps: Option<f64>,
    /// The regression of its returns on the signal.
    pub signal_regression: Option<SignalRegression>,
    /// Its Sharpe ratio before costs.
    #[serde(default)]
    pub gross_sharpe: Option<f64>,
    /// Its exposure, turnover, holding period, cost drag and break-even cost (records written
    /// before these were kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trading: Option<Trading>,
    /// Its headline figures' spread over the seeds, when trained with several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_spread: Option<BTreeMap<String, Spread>>,
}

impl TrialRecord {
    /// Trial `trial` at `rank` with `values`, from its chosen-by numbers and its own record.
    pub fn of(
        (trial, rank, values): (usize, usize, String),
        (valid_loss, valid_sharpe, score): (Option<f64>, Option<f64>, Option<f64>),
        record: &RunRecord,
    ) -> TrialRecord {
        let s = &record.strategy;
        TrialRecord {
            trial,
            rank,
            values,
            valid_loss,
            valid_sharpe,
            score,
            net: s.net.clone(),
            mean_turnover: s.mean_turnover,
            bias_bps: s.bias_bps,
            signal_regression: s.signal_regression,
            gross_sharpe: s.gross.sharpe_ratio,
            trading: s.trading,
            seed_spread: record.seeds.as_ref().map(|r| r.spread.clone()),
        }
    }
}

/// `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataRecord {
    /// Tickers traded (the panel's but the benchmark).
    pub tickers_traded: usize,
    /// Every ticker of the panel, in panel order (the benchmark included).
    pub tickers: Vec<String>,
    /// Dates of the panel.
    pub dates: usize,
    /// First date of the panel.
    pub first_date: Option<NaiveDate>,
    /// Last date of the panel.
    pub last_date: Option<NaiveDate>,
    /// Bar frequency.
    pub frequency: Frequency,
    /// `data.periods_per_year`, when the run annualises with other than the frequency's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods_per_year: Option<f64>,
    /// Whether prices were split- and dividend-adjusted.
    pub adjusted: bool,
    /// The prices the indicators were computed on, when the run computes indicators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator_prices: Option<crate::features::IndicatorPrices>,
}

impl DataRecord {
    /// Periods a year the run annualised with.
    pub fn periods_per_year(&self) -> f64 {
        self.periods_per_year.unwrap_or_else(|| self.frequency.periods_per_year())
    }
}

/// `model`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRecord {
    /// The forecaster's description.
    pub name: String,
    /// Fitted parameters.
    pub parameters: usize,
    /// Training loss of the last fold.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub train_mse: f64,
    /// Validation loss of the last fold.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub valid_mse: f64,
}

/// `training`: a network's training history, summarised (`training.json` of the run folder).
/// Fields in alphabetical order, the order the engine has always written them in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingRecord {
    /// The epoch whose weights the model ends with (1-based).
    pub best_epoch: usize,
    /// The monitored value at that epoch.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub best_value: f64,
    /// Epochs run.
    pub epochs: usize,
    /// True if early stopping ended training before the configured epochs.
    pub stopped_early: bool,
}

/// Sample counts of the three parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Samples {
    /// Training samples.
    pub train: usize,
    /// Validation samples.
    pub valid: usize,
    /// Test samples.
    pub test: usize,
}

impl From<[usize; 3]> for Samples {
    fn from([train, valid, test]: [usize; 3]) -> Samples {
        Samples { train, valid, test }
    }
}

/// `split`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRecord {
    /// Last training date of the first fold.
    pub train_end: NaiveDate,
    /// Last validation date of the first fold; the test span starts after it.
    pub valid_end: NaiveDate,
    /// Samples summed over the folds.
    pub samples: Samples,
}

/// One entry of `folds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoldRecord {
    /// First training date.
    pub train_start: NaiveDate,
    /// Last training date.
    pub train_end: NaiveDate,
    /// Last validation date.
    pub valid_end: NaiveDate,
    /// Last test date.
    pub test_end: NaiveDate,
    /// Its samples.
    pub samples: Samples,
    /// Training loss.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub train_loss: f64,
    /// Mean squared error of the validation predictions.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub valid_loss: f64,
    /// The model's own validation loss (the loss it trains on, penalties included, at the epoch
    /// it ends with); absent for a model without one. The search's `val_loss` objective averages
    /// these when every fold has one, else `valid_loss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_objective: Option<f64>,
    /// Each column of the model's training history at its best epoch (a network's; the
    /// search's history objectives, e.g. `val_accuracy`, average these over the folds).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub history_best: BTreeMap<String, f64>,
    /// Quality of its test predictions.
    pub test: ForecastQuality,
}

/// Forecast quality on validation and test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartsQuality {
    /// Validation.
    pub valid: ForecastQuality,
    /// Test.
    pub test: ForecastQuality,
}

/// `strategy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyRecord {
    /// The trading rule.
    pub rule: Rule,
    /// Costs in basis points of the traded value.
    pub cost_bps: f64,
    /// Bars between decision and execution.
    pub execution_lag: usize,
    /// The threshold chosen on the validation predictions (`strategy.choose_threshold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_chosen: Option<f64>,
    /// First date a return is booked.
    pub first_return_date: Option<NaiveDate>,
    /// Last date a return is booked.
    pub last_return_date: Option<NaiveDate>,
    /// Mean sum of absolute weight changes per bar.
    pub mean_turnover: Option<f64>,
    /// Held positions without a return the next bar (counted as 0).
    pub missing_returns: usize,
    /// Mean net return per bar, in basis points.
    pub bias_bps: Option<f64>,
    /// Sharpe ratio traded on each fold's validation predictions, averaged over the folds.
    pub valid_sharpe: Option<f64>,
    /// Realised target on the prediction over the test samples (scipy `linregress`).
    pub signal_regression: Option<SignalRegression>,
    /// pyfolio's statistics of the net returns (alpha and beta against the benchmark).
    pub net: PerfStats,
    /// The headline statistics before costs.
    pub gross: Summary,
    /// Exposure, turnover, holding period, cost drag and break-even cost (records written
    /// before these were kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trading: Option<Trading>,
    /// How much to believe the net Sharpe ratio (records written before it was kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significance: Option<SharpeSignificance>,
}

/// `benchmark`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketRecord {
    /// The benchmark ticker.
    pub ticker: String,
    /// Its own returns' statistics on the test span.
    pub buy_and_hold: Option<PerfStats>,
}

/// One entry of `benchmarks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkRecord {
    /// Identifier, the column of equity.csv (`buy_and_hold`, `equal_weight`, `momentum_21`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Mean sum of absolute weight changes per bar.
    pub mean_turnover: Option<f64>,
    /// Mean net return per bar, in basis points.
    pub bias_bps: Option<f64>,
    /// pyfolio's statistics of its net returns.
    pub net: PerfStats,
    /// Exposure, turnover, holding period, cost drag and break-even cost (records written
    /// before these were kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trading: Option<Trading>,
    /// How much to believe its net Sharpe ratio (records written before it was kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significance: Option<SharpeSignificance>,
}

/// The conventions every statistic of the record follows.
pub const CONVENTIONS: &str = "empyrical: simple returns, annual_return = CAGR over n/periods_per_year years, annual_volatility and sharpe_ratio with ddof=1 and sqrt(periods_per_year), max_drawdown from a starting wealth of 1, calmar = annual_return/|max_drawdown|, sortino with downside deviation over all periods, omega and sortino at a 0 threshold, tail_ratio = |p95|/|p5|, value_at_risk = p5 (numpy linear percentiles), stability = R^2 of cumulative log returns on time, alpha/beta against the benchmark (alpha compounded); skew and kurtosis as scipy (biased, Fisher); forecast metrics as scikit-learn";

/// The mean, `None` when empty.
fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

impl FoldRecord {
    fn of(f: &FoldSummary, dates: &[NaiveDate]) -> FoldRecord {
        FoldRecord {
            train_start: dates[f.split.train_start],
            train_end: dates[f.split.train_end],
            valid_end: dates[f.split.valid_end],
            test_end: dates[f.split.test_end],
            samples: f.sample_counts.into(),
            train_loss: f.fit.train_loss,
            valid_loss: f.fit.valid_loss,
            valid_objective: f.fit.valid_objective.filter(|v| v.is_finite()),
            history_best: f.fit.history_best.clone(),
            test: f.test_quality.clone(),
        }
    }
}

impl StrategyRecord {
    fn of(spec: &PipelineSpec, out: &PipelineOutput, dates: &[NaiveDate]) -> StrategyRecord {
        let l = &out.ledger;
        let ppy = spec.periods_per_year();
        StrategyRecord {
            rule: spec.strategy.rule,
            cost_bps: spec.strategy.cost_bps,
            execution_lag: spec.strategy.execution_lag,
            threshold_chosen: out.threshold,
            first_return_date: l.dates.first().map(|&t| dates[t]),
            last_return_date: l.dates.last().map(|&t| dates[t]),
            mean_turnover: mean(&l.turnover),
            missing_returns: l.missing_returns,
            bias_bps: mean(&l.net).map(|m| m * 1e4),
            valid_sharpe: out.valid_sharpe,
            signal_regression: out.signal_regression,
            net: PerfStats::of(&l.net, out.benchmark_returns.as_deref(), ppy),
            gross: Summary::of(&l.gross, ppy),
            trading: Trading::of(l, ppy),
            significance: Some(SharpeSignificance::of(&l.net, ppy)),
        }
    }
}

impl RunRecord {
    /// The record of a finished run: `out` of `spec` on `panel`, for the experiment `name`
    /// whose model is described as `model_name`; `adjusted` as the prices were; `training` as
    /// the last fold's model reported it.
    pub fn new(
        name: &str,
        model_name: &str,
        adjusted: bool,
        spec: &PipelineSpec,
        panel: &Panel,
        out: &PipelineOutput,
        training: Option<TrainingRecord>,
    ) -> RunRecord {
        let dates = panel.dates();
        let ppy = spec.periods_per_year();
        let bench = out.benchmark_returns.as_deref();
        let test: Vec<(NaiveDate, f64, f64)> = out
            .predictions
            .iter()
            .filter(|p| p.part == Part::Test)
            .map(|p| (p.date, p.prediction, p.target))
            .collect();
        let parts =
            |q: &[ForecastQuality; 2]| PartsQuality { valid: q[0].clone(), test: q[1].clone() };
        let mut record = RunRecord {
            schema_version: SCHEMA_VERSION,
            name: name.to_string(),
            data: DataRecord {
                tickers_traded: out.universe.len(),
                tickers: panel.tickers().to_vec(),
                dates: dates.len(),
                first_date: dates.first().copied(),
                last_date: dates.last().copied(),
                frequency: spec.frequency,
                periods_per_year: spec.periods_per_year,
                adjusted,
                indicator_prices: (!spec.features.indicators.is_empty())
                    .then_some(spec.features.indicator_prices),
            },
            model: ModelRecord {
                name: model_name.to_string(),
                parameters: out.fit.parameters,
                train_mse: out.fit.train_loss,
                valid_mse: out.fit.valid_loss,
            },
            training,
            split: SplitRecord {
                train_end: dates[out.split.train_end],
                valid_end: dates[out.split.valid_end],
                samples: out.sample_counts.into(),
            },
            folds: out.folds.iter().map(|f| FoldRecord::of(f, dates)).collect(),
            forecast: parts(&out.quality),
            forecast_by_target: out
                .column_quality
                .iter()
                .map(|(name, q)| (name.clone(), parts(q)))
                .collect(),
            evaluation: evaluation::evaluate(
                &test,
                out.threshold.unwrap_or(spec.strategy.threshold),
            ),
            strategy: StrategyRecord::of(spec, out, dates),
            benchmark: spec.benchmark.as_ref().map(|b| MarketRecord {
                ticker: b.clone(),
                buy_and_hold: bench.map(|r| PerfStats::of(r, None, ppy)),
            }),
            benchmarks: out
                .benchmarks
                .iter()
                .map(|b| BenchmarkRecord {
                    key: b.key.clone(),
                    name: b.name.clone(),
                    mean_turnover: mean(&b.ledger.turnover),
                    bias_bps: mean(&b.ledger.net).map(|m| m * 1e4),
                    net: PerfStats::of(&b.ledger.net, bench, ppy),
                    trading: Trading::of(&b.ledger, ppy),
                    significance: Some(SharpeSignificance::of(&b.ledger.net, ppy)),
                })
                .collect(),
            market: (spec.benchmark.is_none() && out.universe.len() == 1)
                .then(|| panel.tickers()[out.universe[0]].clone()),
            look_ahead: spec.features.look_ahead_inputs(),
            notes: out.notes.clone(),
            conventions: CONVENTIONS.to_string(),
            trials: vec![],
            deflated: None,
            seeds: None,
        };
        if !out.by_seed.is_empty() {
            let seeds: Vec<(u64, RunRecord)> = out
                .by_seed
                .iter()
                .map(|(seed, o)| {
                    (*seed, RunRecord::new(name, model_name, adjusted, spec, panel, o, None))
                })
                .collect();
            record.seeds = Some(SeedsRecord::of(spec.ensemble, &seeds, &record));
        }
        record
    }

    /// Reads a record from `metrics.json` text; `file` names it in errors.
    ///
    /// # Errors
    /// [`Error::Record`] naming the file, the field and its line for JSON that is not a record
    /// of this [`SCHEMA_VERSION`].
    pub fn parse(text: &str, file: &str) -> Result<RunRecord> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: Option<u32>,
        }
        let version: Version = serde_json::from_str(text)
            .map_err(|e| Error::record(file, format!("not a run record: {e}")))?;
        match version.schema_version {
            Some(SCHEMA_VERSION) => {}
            found => {
                let found = found
                    .map_or("none (written before run records were versioned)".into(), |v| {
                        v.to_string()
                    });
                return Err(Error::record(file, format!(
                    "run record schema_version {found}; this alphaseq reads version {SCHEMA_VERSION}: run the experiment again"
                )));
            }
        }
        serde_json::from_str(text).map_err(|e| Error::record(file, e))
    }

    /// Reads the record of the run (or trial) folder `dir` (its `metrics.json`).
    ///
    /// # Errors
    /// [`Error::Io`] when there is none; as [`RunRecord::parse`].
    pub fn read(dir: &Path) -> Result<RunRecord> {
        let path = dir.join("metrics.json");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        RunRecord::parse(&text, &path.display().to_string())
    }

    /// The mean validation loss over the folds (a search's `val_loss` objective): the model's own
    /// loss when every fold has one, else the predictions' MSE, over the folds where it is finite.
    pub fn mean_valid_loss(&self) -> Option<f64> {
        let own: Option<Vec<f64>> = self.folds.iter().map(|f| f.valid_objective).collect();
        let losses: Vec<f64> = match own {
            Some(own) if !own.is_empty() => own,
            _ => self.folds.iter().map(|f| f.valid_loss).filter(|l| l.is_finite()).collect(),
        };
        (!losses.is_empty()).then(|| losses.iter().sum::<f64>() / losses.len() as f64)
    }

    /// The mean over the folds of history column `column` at each fold's best epoch; `None`
    /// unless every fold has it (finite).
    pub fn mean_history_best(&self, column: &str) -> Option<f64> {
        let values: Option<Vec<f64>> = self
            .folds
            .iter()
            .map(|f| f.history_best.get(column).copied().filter(|v| v.is_finite()))
            .collect();
        values.filter(|v| !v.is_empty()).map(|v| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// The record as pretty JSON (what `metrics.json` holds).
    ///
    /// # Errors
    /// Never for a record built by [`RunRecord::new`]; kept for serde's signature.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::record("metrics.json", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"schema_version": 1, "name": "x"}"#;

    #[test]
    fn another_version_or_a_missing_field_is_an_error_naming_it() {
        let err = RunRecord::parse(r#"{"name": "x"}"#, "m.json").unwrap_err().to_string();
        assert!(err.contains("m.json") && err.contains("schema_version none"), "{err}");
        let err = RunRecord::parse(r#"{"schema_version": 99}"#, "m.json").unwrap_err().to_string();
        assert!(err.contains("schema_version 99") && err.contains("version 1"), "{err}");
        let err = RunRecord::parse(MINIMAL, "m.json").unwrap_err().to_string();
        assert!(err.contains("missing field `data`"), "{err}");
    }
}
