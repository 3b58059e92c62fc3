//! The end-to-end job behind `alphaseq run`, as a pure function of a panel and a spec: features,
//! a purged chronological data set, a fitted [`Forecaster`], out-of-sample predictions, target
//! weights, a backtest ledger and its statistics against a buy-and-hold benchmark.
//!
//! Only validation and test dates are traded, with a model fitted on training data alone, so every
//! position at date t depends on prices up to t only (see the look-ahead property test).

mod ensemble;
mod evaluate;
mod fold;
mod schedule;
mod types;

pub use ensemble::{combine as combine_seeds, rank_scores_of, Ensemble, Seeds};
pub use evaluate::{as_of_adj_closes, market_inputs, sector_ids};
pub use types::*;

use crate::selection::SelectionCache;
use evaluate::assemble;
use fold::fit_fold;
use schedule::{run_jobs, Fitting};
use std::borrow::Cow;

use crate::data::Panel;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::features::FeatureMatrix;
use crate::forecast::Forecaster;

/// Fits only shard `shard` of `shards` of the folds (fold k belongs to shard k mod shards; with
/// warm starts, whole chains of folds: each ticker's, or all), skipping those already stored,
/// and stores them; assembles nothing. Returns the keys of the shard's folds. Sharded runs
/// into one store, then [`run_with_store`] with [`Execution::stored_only`], give the unsharded
/// run's results bit for bit.
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
    cache: &SelectionCache,
) -> Result<Vec<String>> {
    let prepared = prepare(panel, spec)?;
    let all = schedule::chains(
        prepared.jobs(panel, spec)?.into_iter().enumerate().collect(),
        spec.warm_start,
    );
    if all.len() < shards && spec.warm_start {
        return Err(Error::config(
            "training.warm_start",
            format!("each refit starts from the one before, so the {} chain(s) of folds cannot be spread over {shards} shards (one chain per ticker with model.per_ticker, else one)", all.len()),
        ));
    }
    let jobs: Vec<Job> = all
        .into_iter()
        .enumerate()
        .filter(|(c, _)| c % shards.max(1) == shard)
        .flat_map(|(_, chain)| chain.into_iter().map(|(_, j)| j))
        .collect();
    let keys: Vec<String> = jobs.iter().map(|j| j.key.clone()).collect();
    let execution = Execution { parallel, stored_only: false };
    let fitting = Fitting { models, store, execution, cache };
    run_jobs(panel, spec, prepared.raw, jobs, fitting)?;
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
    if spec.seeds.len() > 1 {
        return Err(Error::config(
            "training.seeds",
            "a run with several seeds makes a model per seed: use run_with_store",
        ));
    }
    let prepared = prepare(panel, spec)?;
    let cache = SelectionCache::default();
    let mut folds = vec![];
    let jobs = prepared.jobs(panel, spec)?.into_iter().enumerate().collect();
    for chain in schedule::chains(jobs, spec.warm_start) {
        for (i, (_, job)) in chain.into_iter().enumerate() {
            if i > 0 {
                model.warm_start(&model.artifacts())?;
            }
            let raw = Cow::Borrowed(&prepared.raw);
            folds.push(fit_fold(panel, raw, job.dataset, spec, model, &cache)?);
        }
    }
    drop(prepared.raw);
    assemble(panel, spec, prepared.benchmark, prepared.universe, folds)
}

/// The pieces every fold shares.
struct Prepared {
    benchmark: Option<usize>,
    universe: Vec<usize>,
    raw: FeatureMatrix,
}

/// One fold to fit: its store key, data set and seed (`None`: the model's own).
struct Job {
    key: String,
    dataset: Dataset,
    seed: Option<u64>,
}

fn prepare(panel: &Panel, spec: &PipelineSpec) -> Result<Prepared> {
    let benchmark = match &spec.benchmark {
        Some(b) => {
            Some(panel.ticker_index(b).ok_or_else(|| Error::unknown_ticker("data.benchmark", b))?)
        }
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
    /// The folds: per split or walk-forward fold, per ticker when each has its own model, and
    /// per seed (seed-major) with several.
    fn jobs(&self, panel: &Panel, spec: &PipelineSpec) -> Result<Vec<Job>> {
        let folds = self.fold_jobs(panel, spec)?;
        if spec.seeds.len() < 2 {
            return Ok(folds);
        }
        Ok(spec
            .seeds
            .iter()
            .flat_map(|&seed| {
                folds.iter().map(move |j| Job {
                    key: format!("seed-{seed}/{}", j.key),
                    dataset: j.dataset.clone(),
                    seed: Some(seed),
                })
            })
            .collect())
    }

    fn fold_jobs(&self, panel: &Panel, spec: &PipelineSpec) -> Result<Vec<Job>> {
        let ppy = spec.periods_per_year();
        let sets = |tickers: &[usize]| match &spec.dataset.walk_forward {
            Some(walk) => {
                Dataset::walk_forward(panel, &self.raw, tickers, &spec.dataset, walk, ppy)
            }
            None => Ok(vec![Dataset::build(panel, &self.raw, tickers, &spec.dataset, ppy)?]),
        };
        let Some(units) = partition(panel, spec, &self.universe)? else {
            return Ok(sets(&self.universe)?
                .into_iter()
                .enumerate()
                .map(|(k, dataset)| Job { key: format!("fold-{k:03}"), dataset, seed: None })
                .collect());
        };
        let unit = if spec.per_group { "group" } else { "ticker" };
        let mut jobs = vec![];
        for (name, tickers) in units {
            let folds = sets(&tickers).map_err(|e| {
                Error::NotEnoughData(format!("{unit} {name} (one model per {unit}): {e}"))
            })?;
            let safe = ticker_key(&name);
            for (k, dataset) in folds.into_iter().enumerate() {
                jobs.push(Job { key: format!("{safe}/fold-{k:03}"), dataset, seed: None });
            }
        }
        Ok(jobs)
    }
}

/// Models by name (their folder under `folds/`) and the tickers each is fitted on.
pub type Units = Vec<(String, Vec<usize>)>;

/// The models of a run over `universe`: `None` for one model of all its tickers, else each
/// model's name (its folder under `folds/`) and tickers: one per ticker with `per_ticker`, one
/// per group of the panel's sectors with `per_group`.
///
/// # Errors
/// As [`groups`].
pub fn partition(panel: &Panel, spec: &PipelineSpec, universe: &[usize]) -> Result<Option<Units>> {
    if spec.per_group {
        return groups(panel, universe).map(Some);
    }
    Ok(spec
        .per_ticker
        .then(|| universe.iter().map(|&i| (panel.tickers()[i].clone(), vec![i])).collect()))
}

/// The tickers of `universe` by their group (the panel's sector), groups in name order; an
/// error names a ticker without one.
///
/// # Errors
/// [`Error::Config`] naming `data.sectors` and the ticker.
pub fn groups(panel: &Panel, universe: &[usize]) -> Result<Units> {
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for &i in universe {
        let group = panel.sector(i).ok_or_else(|| {
            Error::config(
                "data.sectors",
                format!(
                    "ticker {} has no group, and model.per_group needs one for every traded ticker",
                    panel.tickers()[i]
                ),
            )
        })?;
        groups.entry(group.to_string()).or_default().push(i);
    }
    Ok(groups.into_iter().collect())
}

/// A ticker as a folder-safe store key prefix (`^GSPC` -> `_GSPC`).
pub fn ticker_key(ticker: &str) -> String {
    ticker
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' })
        .collect()
}

/// Runs the pipeline, fitting one model per fold (one fold without `dataset.walk_forward`; one
/// per ticker and fold with `per_ticker`), `execution.parallel` at once, each with a fresh model
/// from `models`; takes finished folds from `store` and saves new ones to it, and selections
/// computed before from `cache` (shared by the runs that may repeat them, like a search's
/// trials). The test
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
    cache: &SelectionCache,
) -> Result<PipelineOutput> {
    let prepared = prepare(panel, spec)?;
    let jobs = prepared.jobs(panel, spec)?;
    let fitting = Fitting { models, store, execution, cache };
    let folds = run_jobs(panel, spec, prepared.raw, jobs, fitting)?;
    if spec.seeds.len() < 2 {
        return assemble(panel, spec, prepared.benchmark, prepared.universe, folds);
    }
    // seed-major: each seed's folds in turn
    let per_seed = folds.len() / spec.seeds.len();
    let mut groups: Vec<Vec<FoldResult>> = vec![];
    let mut rest = folds.into_iter();
    for _ in &spec.seeds {
        groups.push(rest.by_ref().take(per_seed).collect());
    }
    let combined = match spec.ensemble {
        Ensemble::None => None,
        how => Some(ensemble::combine(&groups, how)?),
    };
    let (benchmark, universe) = (prepared.benchmark, prepared.universe);
    let by_seed = spec
        .seeds
        .iter()
        .zip(groups)
        .map(|(&seed, folds)| {
            Ok((seed, assemble(panel, spec, benchmark, universe.clone(), folds)?))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut main = match combined {
        Some(folds) => assemble(panel, spec, benchmark, universe, folds)?,
        None => by_seed[0].1.clone(),
    };
    main.by_seed = by_seed;
    Ok(main)
}
