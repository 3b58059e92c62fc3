//! The experiment file as library types: one TOML document in sections (data, features, dataset,
//! selection, importance, model, training, strategy, report, search). Unknown keys and wrong
//! types are errors naming the key, line and column (the `toml` crate's diagnostics on
//! `deny_unknown_fields` structs); values out of range are [`Error::Config`] naming their key.
//! Every key and its default is documented in docs/config.md; relative paths are relative to the
//! file's folder.
//!
//! `[model]` and `[training]` describe the forecaster, which this crate does not know beyond the
//! [`crate::forecast::Forecaster`] trait: they are the type parameter's ([`ModelConfig`]), so the
//! network engine (`alphaseq_nn::experiment`) supplies them and the library stays testable with
//! its own linear model ([`LinearModel`]).

pub mod atomic;
pub mod claim;
pub mod folder;
mod linear;
mod locate;
pub mod log;
pub mod memory;
mod outputs;
pub mod report;
pub mod runner;
pub mod search;
pub mod store;
mod trials;

pub use linear::{check_ridge, LinearKind, LinearModel, NoTraining};

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::data::policy::DataSpec;
use crate::data::Panel;
use crate::dataset::DatasetSpec;
use crate::error::{Error, Result};
use crate::features::{FeatureSpec, IndicatorPrices};
use crate::forecast::{Forecaster, ImportanceSpec, ProgressHook};
use crate::pipeline::{self, Ensemble, Execution, FoldStore, PipelineOutput, PipelineSpec};
use crate::portfolio::{Estimator, Neutrality};
use crate::selection::SelectionCache;
use crate::selection::SelectionSpec;
use crate::strategy::{Rule, StrategySpec};
use search::SearchSpec;

/// The `[model]` section of a forecaster family, with its `[training]` section.
pub trait ModelConfig:
    Debug + Clone + PartialEq + Default + Serialize + DeserializeOwned + Send + Sync
{
    /// `[training]`.
    type Training: Debug + Clone + PartialEq + Default + Serialize + DeserializeOwned + Send + Sync;

    /// Checks the section and `training` against the feature columns the experiment computes.
    ///
    /// # Errors
    /// [`Error::Config`] naming the key.
    fn check(&self, training: &Self::Training, columns: &[String]) -> Result<()>;

    /// One model per ticker instead of one for all.
    fn per_ticker(&self) -> bool {
        false
    }

    /// One model per group of `data.sectors` instead of one for all.
    fn per_group(&self) -> bool {
        false
    }

    /// Several models, one per ticker or per group, each with its own folds.
    fn split_models(&self) -> bool {
        self.per_ticker() || self.per_group()
    }

    /// Whether `training` starts each walk-forward refit from the previous refit's model.
    fn warm_start(&self, _training: &Self::Training) -> bool {
        false
    }

    /// The `training` key that watches the validation loss (`training.monitor`), when it does:
    /// a walk forward without validation dates refuses it.
    fn watches_validation(&self, _training: &Self::Training) -> Option<&'static str> {
        None
    }

    /// The columns of the training history the model writes (`history.csv`), which a search may
    /// take as its objective; none for a model without a history.
    fn history_columns(&self, _training: &Self::Training) -> Vec<String> {
        vec![]
    }

    /// The seeds `training` trains every model with (`training.seeds`); fewer than two: one
    /// model per fold, with its own seed.
    fn seeds(&self, _training: &Self::Training) -> Vec<u64> {
        vec![]
    }

    /// How the seeds' forecasts combine into the traded one (`training.ensemble`).
    fn ensemble(&self, _training: &Self::Training) -> Ensemble {
        Ensemble::None
    }

    /// `training` with `seed` in place of its own.
    fn with_seed(&self, training: &Self::Training, _seed: u64) -> Self::Training {
        training.clone()
    }

    /// The epochs `training` trains for, when it trains in epochs (shown with the progress).
    fn epochs(&self, _training: &Self::Training) -> Option<usize> {
        None
    }

    /// A new, unfitted forecaster as the section and `training` describe it.
    fn forecaster(
        &self,
        training: &Self::Training,
        options: &ForecasterOptions,
    ) -> Box<dyn Forecaster>;

    /// The fitted forecaster stored in a fold's folder (its artifacts).
    ///
    /// # Errors
    /// [`Error::Io`] for a missing file, or the forecaster's own error for a bad one.
    fn restore(&self, dir: &Path) -> Result<Box<dyn Forecaster>>;
}

/// How a run makes its forecasters, beyond what the experiment says (never changing results).
#[derive(Clone, Default)]
pub struct ForecasterOptions {
    /// Training threads per model (default: the configuration's).
    pub threads: Option<usize>,
    /// Called after every training epoch.
    pub progress: Option<ProgressHook>,
}

impl Debug for ForecasterOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForecasterOptions")
            .field("threads", &self.threads)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Reads a fold's artifact `name` from `dir`.
///
/// # Errors
/// [`Error::Io`] naming the file.
pub fn read_artifact(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| Error::io(&path, e))
}

/// A whole experiment, its forecaster described by `M`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound(serialize = "", deserialize = ""))]
pub struct Experiment<M: ModelConfig> {
    /// Name of the experiment; the run folder is `runs/<name>-<timestamp>`.
    pub name: String,
    /// Where the prices come from and how they are prepared.
    pub data: DataSpec,
    /// Features.
    #[serde(default)]
    pub features: FeatureSpec,
    /// Targets, windows and split.
    #[serde(default)]
    pub dataset: DatasetSpec,
    /// Feature selection on the training samples.
    #[serde(default)]
    pub selection: SelectionSpec,
    /// Permutation feature importance on the validation windows (`[importance]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<ImportanceSpec>,
    /// The forecaster.
    #[serde(default)]
    pub model: M,
    /// Training loop options of the forecaster.
    #[serde(default)]
    pub training: M::Training,
    /// Trading rule and costs.
    #[serde(default)]
    pub strategy: StrategySpec,
    /// Report options.
    #[serde(default)]
    pub report: ReportSection,
    /// Hyperparameter search (`[search]`): run the experiment once per trial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchSpec>,
}

/// `[report]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Report title (default: the experiment name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Write predictions.csv and positions.csv gzip-compressed (`.csv.gz`): with thousands of
    /// tickers they are hundreds of megabytes of text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compress: bool,
    /// The ticker whose forecast and realised next prices the report charts (a `next_prices`
    /// target; default: the first ticker with test predictions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticker: Option<String>,
}

/// `[strategy.costs]`: finite rates >= 0, and a minimum cost only with a capital.
fn check_costs(c: &crate::strategy::CostSpec) -> Result<()> {
    let bad = |key: String, message: String| Err(Error::config(key, message));
    let rate = |v: f64| v.is_finite() && v >= 0.0;
    for (key, v) in [("buy_bps", c.buy_bps), ("sell_bps", c.sell_bps)] {
        if let Some(v) = v.filter(|v| !rate(*v)) {
            return bad(
                format!("strategy.costs.{key}"),
                format!("{v} must be a finite number >= 0"),
            );
        }
    }
    for (ticker, r) in &c.by_ticker {
        let (buy, sell) = r.sides();
        if !rate(buy) || !rate(sell) {
            return bad(
                format!("strategy.costs.by_ticker.{ticker}"),
                format!("buy {buy}, sell {sell}: rates must be basis points >= 0 (one number, or [buy, sell])"),
            );
        }
    }
    if !rate(c.min_cost) {
        return bad(
            "strategy.costs.min_cost".into(),
            format!("{} must be a finite number >= 0", c.min_cost),
        );
    }
    match c.capital {
        Some(k) if !(k.is_finite() && k > 0.0) => {
            bad("strategy.costs.capital".into(), format!("{k} must be a positive amount"))
        }
        None if c.min_cost > 0.0 => bad(
            "strategy.costs.min_cost".into(),
            "is in currency: set strategy.costs.capital, the book's size in the same currency"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Relative path strings (one, or a list) made absolute from the current folder.
fn absolute_paths(value: &toml::Value) -> Result<toml::Value> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let fix = |v: &toml::Value| -> toml::Value {
        match v.as_str() {
            Some(p) if Path::new(p).is_relative() => {
                toml::Value::String(cwd.join(p).to_string_lossy().into_owned())
            }
            _ => v.clone(),
        }
    };
    Ok(match value {
        toml::Value::Array(a) => toml::Value::Array(a.iter().map(fix).collect()),
        v => fix(v),
    })
}

/// Parses one `--set KEY=VALUE`: VALUE as a TOML value (`3`, `0.1`, `true`, `"x"`, `[1, 2]`,
/// `2017-12-31`, `{ type = "lstm", units = 8 }`), else as a plain string.
///
/// # Errors
/// A message for text that is not `KEY=VALUE` with a dotted key path.
pub fn parse_override(s: &str) -> std::result::Result<(String, toml::Value), String> {
    let (key, value) = s.split_once('=').ok_or("use KEY=VALUE, e.g. training.epochs=2")?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(format!("{key:?} is not a dotted key path like training.epochs"));
    }
    let value = value.trim();
    let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    Ok((key.to_string(), parsed))
}

/// A TOML document that does not parse or does not fit the schema, with the file it came from.
fn toml_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Toml { path: path.to_path_buf(), message: e.to_string() }
}

impl<M: ModelConfig> Experiment<M> {
    /// Reads and checks an experiment file; relative paths become relative to its folder.
    ///
    /// # Errors
    /// As [`Experiment::load_with`].
    pub fn load(path: &Path) -> Result<Experiment<M>> {
        Experiment::load_with(path, &[])
    }

    /// Reads an experiment file with `overrides` (dotted key path, TOML value) put in before it
    /// is checked, as `alphaseq run --set` gives them. A relative path given for `data.prices`
    /// or `data.sectors` in an override is relative to the current folder, not the file's.
    ///
    /// # Errors
    /// [`Error::Io`] for an unreadable file, [`Error::Toml`] for TOML that does not parse or
    /// fit the schema (with line and column), [`Error::Config`] for a value out of range or an
    /// override whose path does not exist.
    pub fn load_with(path: &Path, overrides: &[(String, toml::Value)]) -> Result<Experiment<M>> {
        let original = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut text = original.clone();
        if !overrides.is_empty() {
            // the file's own schema errors first, with its lines
            toml::from_str::<Experiment<M>>(&original).map_err(|e| toml_error(path, e))?;
            let mut doc: toml::Value = toml::from_str(&text).map_err(|e| toml_error(path, e))?;
            for (key, value) in overrides {
                let value = match key.as_str() {
                    "data.prices" | "data.sectors" => absolute_paths(value)?,
                    _ => value.clone(),
                };
                search::set_path(&mut doc, key, value).map_err(|e| match e {
                    Error::Config { message, .. } => Error::config(format!("--set {key}"), message),
                    other => other,
                })?;
            }
            text = toml::to_string(&doc).map_err(|e| toml_error(path, e))?;
            // what no longer fits is an override's doing: no line of the file to cite
            toml::from_str::<Experiment<M>>(&text).map_err(|e| {
                let keys: Vec<String> = overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
                Error::config(format!("--set {}", keys.join(" --set ")), e.message().to_string())
            })?;
        }
        let mut exp = Experiment::parse(&text).map_err(|e| match e {
            Error::Toml { message, .. } => toml_error(path, message),
            Error::Config { key, message } => {
                locate::located(path, &original, overrides, key, message)
            }
            other => other,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let rebase = |p: &PathBuf| if p.is_absolute() { p.clone() } else { base.join(p) };
        exp.data.prices = exp.data.prices.iter().map(rebase).collect();
        exp.data.sectors = exp.data.sectors.as_ref().map(rebase);
        Ok(exp)
    }

    /// Parses and checks TOML text.
    ///
    /// # Errors
    /// [`Error::Toml`] (its path empty) or [`Error::Config`].
    pub fn parse(text: &str) -> Result<Experiment<M>> {
        let mut exp: Experiment<M> =
            toml::from_str(text).map_err(|e| toml_error(Path::new(""), e))?;
        if let Some(m) = exp.features.momentum.as_mut() {
            if m.market.is_none() {
                m.market.clone_from(&exp.data.benchmark);
            }
        }
        exp.check()?;
        Ok(exp)
    }

    fn check(&self) -> Result<()> {
        let bad = |key: &str, message: String| Err(Error::config(key, message));
        if self.name.trim().is_empty() || self.name.contains(['/', '\\']) {
            return bad(
                "name",
                format!("{:?} must be non-empty and contain no path separators", self.name),
            );
        }
        if self.data.prices.is_empty() {
            return bad("data.prices", "give at least one price file or folder".into());
        }
        if self.features.indicator_prices == IndicatorPrices::Raw && self.data.adjusted {
            return bad(
                "features.indicator_prices",
                "\"raw\" needs data.adjusted = false: with data.adjusted = true the panel holds adjusted prices only".into(),
            );
        }
        let ensemble = self.model.ensemble(&self.training);
        if ensemble != Ensemble::None && self.model.seeds(&self.training).len() < 2 {
            return bad(
                "training.ensemble",
                "combines the models of several seeds: set training.seeds to 2 or more".into(),
            );
        }
        if ensemble == Ensemble::Rank && self.model.per_ticker() {
            return bad(
                "training.ensemble",
                "\"rank\" ranks each date's names, but with model.per_ticker each model predicts one name; use \"mean\"".into(),
            );
        }
        if let (Some(t), Some(list)) = (&self.report.ticker, &self.data.tickers) {
            if !list.contains(t) {
                return bad(
                    "report.ticker",
                    format!("{t:?} is not one of data.tickers ({})", list.join(", ")),
                );
            }
        }
        if self.model.per_group() && self.data.sectors.is_none() {
            return bad(
                "model.per_group",
                "needs data.sectors: a ticker,group CSV (sectors, or asset classes) naming each ticker's group".into(),
            );
        }
        if let (Some(s), Some(e)) = (self.data.start, self.data.end) {
            if s >= e {
                return bad("data.start", format!("{s} must be before data.end {e}"));
            }
        }
        self.features.validate()?;
        self.dataset.validate()?;
        if let Some(s) = &self.search {
            s.check()?;
            if let search::Objective::History(column) = &s.objective {
                let columns = self.model.history_columns(&self.training);
                if !columns.contains(column) {
                    let has = if columns.is_empty() {
                        "this model keeps no training history; use \"val_loss\" or \"val_sharpe\""
                            .to_string()
                    } else {
                        format!(
                            "this model's history.csv has {}, and \"val_sharpe\"",
                            columns.join(", ")
                        )
                    };
                    return bad(
                        "search.objective",
                        format!("{column:?} is not an objective: {has}"),
                    );
                }
            }
        }
        self.model.check(&self.training, &self.features.names())?;
        if self.model.warm_start(&self.training) && self.dataset.walk_forward.is_none() {
            return bad(
                "training.warm_start",
                "starts each walk-forward refit from the previous one: add [dataset.walk_forward]"
                    .into(),
            );
        }
        if self.dataset.without_validation() {
            self.check_without_validation()?;
        }
        self.check_strategy()
    }

    /// With `dataset.walk_forward.valid_fraction = 0` (or a zero validation ratio), nothing may
    /// need the validation part.
    fn check_without_validation(&self) -> Result<()> {
        let none = if self.dataset.walk_forward.is_some() {
            "dataset.walk_forward.valid_fraction = 0"
        } else {
            "dataset.split.ratios' validation part of 0"
        };
        let needs = |key: &str, what: &str| {
            Err(Error::config(
                key,
                format!("{what} the validation part, and {none} holds out none"),
            ))
        };
        if let Some(key) = self.model.watches_validation(&self.training) {
            return needs(
                key,
                "\"val_loss\" watches (use \"loss\", as Keras' EarlyStopping(monitor=\"loss\"))",
            );
        }
        if self.importance.is_some() {
            return needs("importance", "permutation importance is measured on");
        }
        if self.strategy.choose_threshold {
            return needs("strategy.choose_threshold", "the threshold is chosen on");
        }
        if self.search.as_ref().is_some_and(|s| s.objective.needs_validation()) {
            return needs(
                "search.objective",
                "this objective is measured on (\"loss\" or another training column is not)",
            );
        }
        Ok(())
    }

    fn check_strategy(&self) -> Result<()> {
        let st = &self.strategy;
        let bad = |key: &str, message: String| Err(Error::config(key, message));
        if st.cost_bps < 0.0 || !st.cost_bps.is_finite() {
            return bad(
                "strategy.cost_bps",
                format!("{} must be a finite number >= 0", st.cost_bps),
            );
        }
        if st.quantiles < 2 {
            return bad("strategy.quantiles", format!("{} must be at least 2", st.quantiles));
        }
        if st.choose_threshold && !matches!(st.rule, Rule::LongAbove | Rule::LongShortAround) {
            return bad(
                "strategy.choose_threshold",
                "chooses the threshold of rule = \"long_above\" or \"long_short_around\"".into(),
            );
        }
        if st.cov_window < 2 {
            return bad(
                "strategy.cov_window",
                format!("{} must be at least 2 bars", st.cov_window),
            );
        }
        if st.realised_vol_window.is_some() && st.vol_target.is_none() {
            return bad(
                "strategy.realised_vol_window",
                "corrects the volatility target by the realised volatility: set strategy.vol_target".into(),
            );
        }
        if let Some(w) = st.realised_vol_window {
            if w < 6 {
                return bad("strategy.realised_vol_window", format!("{w} must be at least 6 bars"));
            }
        }
        if !(st.no_trade_band >= 0.0 && st.no_trade_band.is_finite()) {
            return bad(
                "strategy.no_trade_band",
                format!("{} must be a finite number >= 0", st.no_trade_band),
            );
        }
        for (key, v) in [
            ("strategy.vol_target", st.vol_target),
            ("strategy.max_gross", st.max_gross),
            ("strategy.smoothing_halflife", st.smoothing_halflife),
            ("strategy.max_trade", st.max_trade),
        ] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    return bad(key, format!("{v} must be a positive number"));
                }
            }
        }
        match st.covariance {
            Estimator::Pca { factors: 0 } => {
                return bad("strategy.covariance", "pca needs at least 1 factor".into())
            }
            Estimator::Ewm { halflife } if !(halflife.is_finite() && halflife > 0.0) => {
                return bad(
                    "strategy.covariance",
                    format!("ewm's halflife {halflife} must be a positive number of bars"),
                )
            }
            _ => {}
        }
        if let Some(costs) = &st.costs {
            check_costs(costs)?;
        }
        match (st.rule, &st.topk_dropout) {
            (Rule::TopkDropout, None) => {
                return bad(
                    "strategy.rule",
                    "\"topk_dropout\" needs [strategy.topk_dropout] with topk and n_drop".into(),
                )
            }
            (Rule::TopkDropout, Some(k)) => {
                if k.topk == 0 {
                    return bad(
                        "strategy.topk_dropout.topk",
                        "0 holds nothing: use at least 1".into(),
                    );
                }
                if k.n_drop == 0 {
                    return bad("strategy.topk_dropout.n_drop", "0 is refused: Qlib's get_last_n(comb, 0) is the whole list, so its TopkDropout sells the entire book every day; use at least 1".into());
                }
                if !(k.risk_degree > 0.0 && k.risk_degree <= 1.0) {
                    return bad(
                        "strategy.topk_dropout.risk_degree",
                        format!(
                            "{} must be in (0, 1]: the share of cash spent on buys",
                            k.risk_degree
                        ),
                    );
                }
            }
            (_, Some(_)) => {
                return bad(
                    "strategy.topk_dropout",
                    "is the setting of rule = \"topk_dropout\": set that rule or remove it".into(),
                )
            }
            (_, None) => {}
        }
        if let Some(opt) = &st.optimizer {
            self.check_optimizer(opt)?;
        }
        if st.rule == Rule::MeanVariance
            && st.neutral == Neutrality::Sector
            && self.data.sectors.is_none()
        {
            return bad("strategy.neutral", "\"sector\" needs data.sectors (a ticker,sector CSV); or set strategy.neutral = \"dollar\"".into());
        }
        Ok(())
    }

    fn check_optimizer(&self, opt: &crate::strategy::OptimizerSpec) -> Result<()> {
        let st = &self.strategy;
        let bad = |key: &str, message: String| Err(Error::config(key, message));
        if st.rule != Rule::MeanVariance {
            return bad(
                "strategy.optimizer",
                "is the cost-aware form of rule = \"mean_variance\": set that rule".into(),
            );
        }
        for (key, v) in [
            ("strategy.optimizer.risk_aversion", opt.risk_aversion),
            ("strategy.optimizer.cost_weight", opt.cost_weight),
            ("strategy.optimizer.impact", opt.impact),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return bad(key, format!("{v} must be a finite number >= 0"));
            }
        }
        if !(opt.ic.is_finite() && opt.ic > 0.0) {
            return bad("strategy.optimizer.ic", format!("{} must be positive", opt.ic));
        }
        if let Some(g) = opt.gross {
            if !(g.is_finite() && g > 0.0) {
                return bad("strategy.optimizer.gross", format!("{g} must be positive"));
            }
        }
        for (key, pair) in
            [("strategy.optimizer.net", opt.net), ("strategy.optimizer.bounds", opt.bounds)]
        {
            if let Some([lo, hi]) = pair {
                if lo.is_nan() || hi.is_nan() || lo > hi {
                    return bad(key, format!("[{lo}, {hi}] must be [low, high] with low <= high"));
                }
            }
        }
        let bounded = st.vol_target.is_some()
            || st.max_gross.is_some()
            || opt.gross.is_some()
            || opt.bounds.is_some();
        if opt.risk_aversion == 0.0 && opt.impact == 0.0 && !bounded {
            return bad(
                "strategy.optimizer.risk_aversion",
                "0 with no impact, vol_target, gross, max_gross or bounds leaves the weights unbounded".into(),
            );
        }
        if opt.long_only && st.neutral != Neutrality::None {
            return bad(
                "strategy.optimizer.long_only",
                format!(
                    "with strategy.neutral = {:?} a long-only book holds nothing: set strategy.neutral = \"none\"",
                    st.neutral
                ),
            );
        }
        Ok(())
    }

    /// The resolved configuration (every default filled in) as TOML.
    ///
    /// # Errors
    /// Never for a parsed experiment; kept for serde's signature.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| toml_error(Path::new(""), e))
    }

    /// A new forecaster for every fold, as the experiment describes it.
    pub fn forecaster(&self, options: &ForecasterOptions) -> Box<dyn Forecaster> {
        self.model.forecaster(&self.training, options)
    }

    /// A new forecaster with `seed` in place of the configured one (`None`: as configured).
    fn seeded_forecaster(
        &self,
        seed: Option<u64>,
        options: &ForecasterOptions,
    ) -> Box<dyn Forecaster> {
        match seed {
            Some(seed) => {
                self.model.forecaster(&self.model.with_seed(&self.training, seed), options)
            }
            None => self.forecaster(options),
        }
    }

    /// Runs the experiment on `panel` (loaded by [`crate::data::policy::load`] from
    /// `self.data`): every fold fitted (or taken from `store`), stitched, traded and evaluated.
    ///
    /// # Errors
    /// As [`pipeline::run_with_store`].
    pub fn run(
        &self,
        panel: &Panel,
        store: &dyn FoldStore,
        execution: Execution,
        cache: &SelectionCache,
        options: &ForecasterOptions,
    ) -> Result<PipelineOutput> {
        let factory = |seed| self.seeded_forecaster(seed, options);
        pipeline::run_with_store(panel, &self.pipeline_spec(), &factory, store, execution, cache)
    }

    /// Fits shard `shard` of `shards` of the folds (or tickers) into `store` and returns their
    /// keys; [`Experiment::run`] with `stored_only` assembles the run once every shard is done.
    ///
    /// # Errors
    /// As [`pipeline::fit_shard`].
    pub fn run_shard(
        &self,
        panel: &Panel,
        store: &dyn FoldStore,
        parallel: usize,
        shard: (usize, usize),
        cache: &SelectionCache,
        options: &ForecasterOptions,
    ) -> Result<Vec<String>> {
        let factory = |seed| self.seeded_forecaster(seed, options);
        pipeline::fit_shard(panel, &self.pipeline_spec(), &factory, store, parallel, shard, cache)
    }

    /// What the pipeline (and `signal`) needs of the experiment.
    pub fn pipeline_spec(&self) -> PipelineSpec {
        PipelineSpec {
            features: self.features.clone(),
            dataset: self.dataset.clone(),
            selection: self.selection.clone(),
            importance: self.importance,
            strategy: self.strategy.clone(),
            benchmark: self.data.benchmark.clone(),
            frequency: self.data.frequency,
            periods_per_year: self.data.periods_per_year,
            per_ticker: self.model.per_ticker(),
            per_group: self.model.per_group(),
            warm_start: self.model.warm_start(&self.training),
            seeds: self.model.seeds(&self.training),
            ensemble: self.model.ensemble(&self.training),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::MissingPolicy;
    use chrono::NaiveDate;

    const MINIMAL: &str = "name = \"t\"\n[data]\nprices = [\"p.csv\"]\n";

    type Linear = Experiment<LinearModel>;

    #[test]
    fn overrides_parse_toml_values_and_fall_back_to_strings() {
        let v = |s: &str| parse_override(s).unwrap();
        assert_eq!(v("training.epochs=2"), ("training.epochs".into(), toml::Value::Integer(2)));
        assert_eq!(v("training.optimizer.lr = 0.01").1, toml::Value::Float(0.01));
        assert_eq!(v(r#"data.tickers=["A","B"]"#).1.as_array().unwrap().len(), 2);
        assert_eq!(v("strategy.rule=top_bottom").1, toml::Value::String("top_bottom".into()));
        assert!(v("data.end=2017-12-31").1.as_datetime().is_some());
        assert!(parse_override("training.epochs").is_err());
        assert!(parse_override("training..epochs=2").is_err());
    }

    #[test]
    fn defaults_fill_every_section() {
        let e = Linear::parse(MINIMAL).unwrap();
        assert_eq!(e.features, FeatureSpec::default());
        assert_eq!(e.data.missing, MissingPolicy::Drop);
        assert!(e.data.adjusted);
        let again = Linear::parse(&e.to_toml().unwrap()).unwrap();
        assert_eq!(again, e, "the resolved config reads back to the same experiment");
    }

    #[test]
    fn raw_indicator_prices_need_raw_data() {
        let raw = "[features]\nindicators = [\"sma\"]\nindicator_prices = \"raw\"\n";
        let err = Linear::parse(&format!("{MINIMAL}{raw}")).unwrap_err().to_string();
        assert!(
            err.contains("features.indicator_prices") && err.contains("data.adjusted"),
            "{err}"
        );
        let text = format!("name = \"t\"\n[data]\nprices = [\"p.csv\"]\nadjusted = false\n{raw}");
        let e = Linear::parse(&text).unwrap();
        assert_eq!(e.features.indicator_prices, IndicatorPrices::Raw);
        assert!(e.to_toml().unwrap().contains("indicator_prices = \"raw\""));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_named_with_their_line() {
        let text = format!("{MINIMAL}[strategy]\nrule = \"long_short\"\ncost_bp = 5\n");
        let err = Linear::parse(&text).unwrap_err().to_string();
        assert!(err.contains("unknown field `cost_bp`") && err.contains("line 6"), "{err}");
        let text = format!("{MINIMAL}[dataset]\nhorizon = \"one\"\n");
        let err = Linear::parse(&text).unwrap_err().to_string();
        assert!(err.contains("line 5") && err.contains("invalid type"), "{err}");
    }

    #[test]
    fn values_out_of_range_name_their_key() {
        let text = format!("{MINIMAL}[model]\nridge = -1.0\n");
        let err = Linear::parse(&text).unwrap_err();
        assert!(matches!(&err, Error::Config { key, .. } if key == "model.ridge"), "{err:?}");
        let text = format!("{MINIMAL}[strategy]\nquantiles = 1\n");
        let err = Linear::parse(&text).unwrap_err();
        assert!(
            matches!(&err, Error::Config { key, .. } if key == "strategy.quantiles"),
            "{err:?}"
        );
        assert!(err.is_usage());
    }

    #[test]
    fn dates_may_be_bare_toml_dates_or_strings() {
        let text = format!("{MINIMAL}start = 2005-01-03\nend = \"2020-12-31\"\n");
        let e = Linear::parse(&text).unwrap();
        assert_eq!(e.data.start, NaiveDate::from_ymd_opt(2005, 1, 3));
        assert_eq!(e.data.end, NaiveDate::from_ymd_opt(2020, 12, 31));
        let bad = format!("{MINIMAL}start = \"2005-13-01\"\n");
        assert!(Linear::parse(&bad).unwrap_err().to_string().contains("2005-13-01"));
    }
}
