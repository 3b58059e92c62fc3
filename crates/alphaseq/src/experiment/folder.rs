//! A run folder read back: its experiment (`config.toml`), its record (`metrics.json`), its
//! stored folds (`folds/fold-NNN`, per ticker `folds/TICKER/fold-NNN`, for a search the best
//! trial's) and the models in them, and from these the positions on new prices
//! ([`RunFolder::signal`]): each traded name gets the model and scaler of the fold that traded
//! the as-of date, as the backtest did.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::store::read_fold;
use super::{Experiment, ModelConfig};
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::pipeline::{ticker_key, Ensemble, FoldResult};
use crate::record::RunRecord;
use crate::signal::{self, ModelGroup, Position};

/// A run folder written by a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFolder {
    /// The folder.
    pub dir: PathBuf,
}

/// Positions on the as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// The last trading date of the prices at or before the requested date.
    pub asof: NaiveDate,
    /// One position per traded name.
    pub positions: Vec<Position>,
    /// What a user should know (e.g. the requested date was not a trading day).
    pub notes: Vec<String>,
}

impl Signal {
    /// Gross exposure: the sum of absolute weights.
    pub fn gross(&self) -> f64 {
        self.positions.iter().map(|p| p.weight.abs()).sum()
    }
}

impl RunFolder {
    /// The finished run folder `dir`.
    ///
    /// # Errors
    /// [`Error::Record`] when it is not a run folder or not finished (no `COMPLETE` marker).
    pub fn open(dir: &Path) -> Result<RunFolder> {
        super::claim::require_complete(dir)?;
        Ok(RunFolder { dir: dir.to_path_buf() })
    }

    /// The experiment it ran (its resolved `config.toml`).
    ///
    /// # Errors
    /// [`Error::Io`], or the experiment's parse errors naming the file.
    pub fn experiment<M: ModelConfig>(&self) -> Result<Experiment<M>> {
        let path = self.dir.join("config.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        Experiment::parse(&text).map_err(|e| match e {
            Error::Toml { message, .. } => Error::Toml { path, message },
            other => other,
        })
    }

    /// The run's experiment as `signal` loads prices for it: its data read from `prices` (when
    /// any are given) with `sectors` (when given), up to `asof` (when given).
    ///
    /// # Errors
    /// As [`RunFolder::experiment`].
    pub fn signal_experiment<M: ModelConfig>(
        &self,
        prices: &[PathBuf],
        sectors: Option<&Path>,
        asof: Option<NaiveDate>,
    ) -> Result<Experiment<M>> {
        let mut exp: Experiment<M> = self.experiment()?;
        if !prices.is_empty() {
            exp.data.prices = prices.to_vec();
        }
        if let Some(s) = sectors {
            exp.data.sectors = Some(s.to_path_buf());
        }
        if let Some(d) = asof {
            exp.data.end = Some(exp.data.end.map_or(d, |e| e.min(d)));
        }
        Ok(exp)
    }

    /// Its run record (`metrics.json`).
    ///
    /// # Errors
    /// As [`RunRecord::read`].
    pub fn record(&self) -> Result<RunRecord> {
        RunRecord::read(&self.dir)
    }

    /// Where its folds are: `folds/`, or for a search the best trial's (search.csv's first row).
    ///
    /// # Errors
    /// [`Error::Record`] when there is neither.
    pub fn fold_root(&self) -> Result<PathBuf> {
        let folds = self.dir.join("folds");
        if folds.is_dir() {
            return Ok(folds);
        }
        let path = self.dir.join("search.csv");
        let search = std::fs::read_to_string(&path)
            .map_err(|_| Error::record(&self.dir, "has no folds/ and no search.csv"))?;
        let best = search
            .lines()
            .nth(1)
            .and_then(|l| l.split(',').nth(1))
            .and_then(|t| t.trim().parse::<usize>().ok())
            .ok_or_else(|| Error::record(&path, "no best trial"))?;
        Ok(self.dir.join("trials").join(format!("trial-{best:03}")).join("folds"))
    }

    /// The fold under `root` (`fold-NNN` folders) that traded `asof`, with its folder.
    ///
    /// # Errors
    /// Unreadable folds; [`Error::Invalid`] for a date before the first fold's test span.
    pub fn fold_for(root: &Path, asof: NaiveDate) -> Result<(FoldResult, PathBuf)> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
            .map_err(|e| Error::io(root, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fold-")))
            .collect();
        dirs.sort();
        // one fold at a time: each holds its predictions, all of them a run's worth
        let firsts: Vec<Option<NaiveDate>> = dirs
            .iter()
            .map(|d| read_fold(d).map(|f| signal::first_test_date(&f)))
            .collect::<Result<_>>()?;
        let k = signal::fold_for(&firsts, asof)?;
        let dir = dirs.swap_remove(k);
        Ok((read_fold(&dir)?, dir))
    }

    /// The positions on the last date of `panel` (prices loaded by the run's data policy, up to
    /// the as-of date) from the run's models; `requested` is the date asked for, if any, and
    /// `max_stale_days` how many calendar days the last bar may lie before it (default: the
    /// frequency's [`crate::data::Frequency::stale_days`]).
    ///
    /// # Errors
    /// [`Error::UnknownTicker`] when the prices lack a ticker the run was trained on; unreadable
    /// folds or models; a date before the run's first test date; [`Error::NotEnoughData`] when
    /// the prices end more than `max_stale_days` before the requested date.
    pub fn signal<M: ModelConfig>(
        &self,
        exp: &Experiment<M>,
        panel: &Panel,
        requested: Option<NaiveDate>,
        max_stale_days: Option<i64>,
    ) -> Result<Signal> {
        let trained = self.record()?.data.tickers;
        if let Some(missing) = trained.iter().find(|t| panel.ticker_index(t).is_none()) {
            return Err(Error::unknown_ticker("the run's trained tickers", missing.clone()));
        }
        let panel = panel.select(&trained)?;
        let dates = panel.dates();
        let Some(&asof) = dates.last() else {
            return Err(Error::NotEnoughData("the prices have no dates".into()));
        };
        let mut notes = vec![];
        if let Some(d) = requested.filter(|d| *d != asof) {
            let lag = (d - asof).num_days();
            let limit = max_stale_days.unwrap_or_else(|| exp.data.frequency.stale_days());
            if lag > limit {
                return Err(Error::NotEnoughData(format!(
                    "the prices end on {asof}, {lag} days before the as-of date {d}: positions from them would be stale (the limit is {limit} days for {} bars; pass newer prices with --data, or raise --max-stale-days)",
                    exp.data.frequency.name()
                )));
            }
            notes.push(format!(
                "{d} is not a trading day of the prices; using the last bar before it, {asof} ({lag} days earlier)"
            ));
        }
        let mut spec = exp.pipeline_spec();
        // the threshold the run chose on its validation predictions, when it chose one
        if let Some(t) = self.record()?.strategy.threshold_chosen {
            spec.strategy.threshold = t;
        }
        let root = self.fold_root()?;
        let model = |root: &Path| -> Result<_> {
            let (fold, dir) = RunFolder::fold_for(root, asof)?;
            Ok((fold.scaler, exp.model.restore(&dir)?))
        };
        // one set of models per seed (folds/seed-S/...), only the first when it alone trades
        let roots: Vec<PathBuf> = match (spec.seeds.len() > 1, spec.ensemble) {
            (false, _) => vec![root],
            (true, Ensemble::None) => vec![root.join(format!("seed-{}", spec.seeds[0]))],
            (true, _) => spec.seeds.iter().map(|s| root.join(format!("seed-{s}"))).collect(),
        };
        let mut by_seed: Vec<Vec<ModelGroup>> = vec![];
        for root in &roots {
            let mut groups: Vec<ModelGroup> = vec![];
            let traded = signal::traded(&panel, &spec);
            match crate::pipeline::partition(&panel, &spec, &traded)? {
                Some(units) => {
                    for (name, tickers) in units {
                        let (scaler, model) = model(&root.join(ticker_key(&name)))?;
                        groups.push(ModelGroup { scaler, model, tickers });
                    }
                }
                None => {
                    let (scaler, model) = model(root)?;
                    groups.push(ModelGroup { scaler, model, tickers: traded });
                }
            }
            by_seed.push(groups);
        }
        let refs: Vec<Vec<&ModelGroup>> = by_seed.iter().map(|g| g.iter().collect()).collect();
        let positions = signal::ensemble_positions(&panel, &spec, &refs)?;
        Ok(Signal { asof, positions, notes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::LinearModel;

    #[test]
    fn a_folder_without_a_run_is_named_and_a_run_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let err = RunFolder::open(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Record { .. }) && err.to_string().contains("config.toml"));
        std::fs::write(dir.path().join("config.toml"), "name = \"t\"\n[data]\nprices = [\"p\"]\n")
            .unwrap();
        let err = RunFolder::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a finished run (no COMPLETE marker)"), "{err}");
        std::fs::write(dir.path().join(crate::experiment::claim::COMPLETE), "finished\n").unwrap();
        let folder = RunFolder::open(dir.path()).unwrap();
        let exp: Experiment<LinearModel> = folder.experiment().unwrap();
        assert_eq!(exp.name, "t");
        let err = folder.fold_root().unwrap_err().to_string();
        assert!(err.contains("no folds/ and no search.csv"), "{err}");
        std::fs::write(dir.path().join("search.csv"), "rank,trial\n1,3\n").unwrap();
        assert!(folder.fold_root().unwrap().ends_with("trials/trial-003/folds"));
    }
}
