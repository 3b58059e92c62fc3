//! Running an experiment into a run folder: the prices loaded by the data policy, the folds (or
//! tickers, or search trials) fitted through the pipeline's scheduler, and every file written
//! atomically: config.toml, the last fold's model, the data files (predictions.csv, equity.csv,
//! positions.csv, ...), metrics.json and, built from those files, report.html
//! ([`report`](super::report)). The binary and the Python package both call
//! [`Experiment::run_folder`]; `run.log` is the caller's [`RunLog`].

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::log::RunLog;
use super::outputs::Outputs;
use super::{atomic, claim, memory, store, trials, Experiment, ForecasterOptions, ModelConfig};
use crate::data::{policy, Panel};
use crate::error::{Error, Result};
use crate::forecast::{EpochProgress, ProgressHook};
use crate::metrics::significance::SharpeSignificance;
use crate::pipeline::{Execution, PipelineOutput};
use crate::portfolio::Neutrality;
use crate::selection::{Decision, SelectionCache};
use crate::strategy::Rule;

/// What a run does with its folds (or trials).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Fit what is missing and write the whole run folder.
    #[default]
    Full,
    /// Fit shard I of N of the folds (or trials) and stop.
    Shard(usize, usize),
    /// Fit nothing; assemble the run from the stored folds (or finished trials).
    Merge,
}

/// Shows what the run is doing (`Some`: a step or an epoch) or that it stopped (`None`).
pub type StatusHook = Arc<dyn Fn(Option<&str>) + Send + Sync>;

/// How to run, beyond what the experiment says (none of it changes results).
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Full, one shard, or the merge of the shards.
    pub mode: Mode,
    /// Training threads per model (default: one each when folds, tickers or trials run in
    /// parallel, else the configuration's).
    pub threads: Option<usize>,
    /// Folds, tickers or trials fitted at once (default: the machine's cores).
    pub parallel: Option<usize>,
    /// Progress of the run (the binary's spinner).
    pub status: Option<StatusHook>,
    /// Stop before computing features when the estimated peak memory exceeds this many bytes
    /// (`None`: what the machine has available; see [`super::memory`]).
    pub memory_limit: Option<u64>,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("mode", &self.mode)
            .field("threads", &self.threads)
            .field("parallel", &self.parallel)
            .field("status", &self.status.is_some())
            .field("memory_limit", &self.memory_limit)
            .finish()
    }
}

impl RunOptions {
    pub(crate) fn cores(&self) -> usize {
        self.parallel
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1)
    }

    fn show(&self, message: Option<&str>) {
        if let Some(status) = &self.status {
            status(message);
        }
    }
}

impl<M: ModelConfig> Experiment<M> {
    /// Runs the experiment (a `[search]` or a single run) into `dir` ([`Experiment::claim_folder`]:
    /// new, empty, or this experiment's to resume); lines for the run log go to `log`. A full
    /// run or a merge ends with the `COMPLETE` marker ([`claim::COMPLETE`]).
    ///
    /// # Errors
    /// A folder of another experiment ([`Error::Config`], key `--out`),
    /// Bad data ([`Error::InvalidData`], its first issues logged), a failed fit, an unwritable
    /// folder, or (merging) folds or trials that are missing.
    pub fn run_folder(&self, dir: &Path, log: &RunLog, options: &RunOptions) -> Result<()> {
        self.claim_folder(dir, false)?;
        claim::start(dir)?;
        let cache = SelectionCache::default();
        match &self.search {
            Some(search) => {
                // each trial's own log says it too; the search's log says it before and after
                self.warn_look_ahead(log);
                let searched = trials::run(self, search, dir, log, options, &cache);
                self.warn_look_ahead(log);
                searched
            }
            None => self.execute(dir, log, options, &cache),
        }
    }

    /// Reads, validates and shapes the prices as `[data]` says; issues go to the log file, the
    /// summary and the policy's notes to the log.
    ///
    /// # Errors
    /// As [`policy::load`]; for invalid data the first 20 issues are logged first.
    pub fn load_panel(&self, log: &RunLog) -> Result<Panel> {
        let loaded = match policy::load(&self.data) {
            Ok(l) => l,
            Err(Error::InvalidData { issues }) => {
                for e in issues.iter().take(20) {
                    log.line(&e.to_string());
                }
                return Err(Error::InvalidData { issues });
            }
            Err(e) => return Err(e),
        };
        for issue in &loaded.issues {
            // a possible unadjusted split is shown, not only logged: the model would train on it
            if issue.kind == crate::issue::IssueKind::UnadjustedSplit {
                log.line(&issue.to_string());
            } else {
                log.quiet(&issue.to_string());
            }
        }
        let listed = if log.has_file() {
            "all listed in run.log"
        } else {
            "`alphaseq data check` lists them"
        };
        log.line(&format!("{} ({listed})", loaded.summary));
        for note in &loaded.notes {
            log.line(note);
        }
        Ok(loaded.panel)
    }

    /// Sector-neutral weights need every traded ticker's sector: a ticker without one would be
    /// neutralised in a group of its own kind ("no sector") without a word.
    ///
    /// # Errors
    /// [`Error::Config`] (key `data.sectors`) naming the tickers without a sector.
    pub fn check_sectors(&self, panel: &Panel) -> Result<()> {
        let st = &self.strategy;
        if !(st.rule == Rule::MeanVariance && st.neutral == Neutrality::Sector) {
            return Ok(());
        }
        let index_like = [self.data.benchmark.as_deref(), self.data.calendar.as_deref()];
        let traded = (0..panel.tickers().len())
            .filter(|&i| !index_like.contains(&Some(panel.tickers()[i].as_str())));
        let missing: Vec<&str> = traded
            .filter(|&i| panel.sector(i).is_none())
            .map(|i| panel.tickers()[i].as_str())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let shown = missing.iter().take(10).copied().collect::<Vec<_>>().join(", ");
        let more = if missing.len() > 10 {
            format!(" and {} more", missing.len() - 10)
        } else {
            String::new()
        };
        Err(Error::config(
            "data.sectors",
            format!(
                "{} traded ticker(s) have no sector, which strategy.neutral = \"sector\" needs: {shown}{more}; add them to the sectors file or set strategy.neutral = \"dollar\"",
                missing.len()
            ),
        ))
    }

    /// One line per input that reads the future (allowed by `features.look_ahead`), before the
    /// run and again beside its results.
    fn warn_look_ahead(&self, log: &RunLog) {
        for input in self.features.look_ahead_inputs() {
            log.line(&format!(
                "LOOK-AHEAD INPUT (features.look_ahead = \"allow\"): {input}; these results \
                 use later prices and are not achievable in trading"
            ));
        }
    }

    /// The forecaster's name as the run log and the record give it.
    pub fn model_name(&self) -> String {
        let mut name = self.forecaster(&ForecasterOptions::default()).name();
        if self.model.per_ticker() {
            name.push_str(", one per ticker");
        }
        if self.model.per_group() {
            name.push_str(", one per group");
        }
        name
    }

    /// One experiment (no search) into `dir`: every file of a run folder.
    pub(crate) fn execute(
        &self,
        dir: &Path,
        log: &RunLog,
        options: &RunOptions,
        cache: &SelectionCache,
    ) -> Result<()> {
        atomic::write(&dir.join("config.toml"), self.to_toml()?.as_bytes())?;
        options.show(Some("loading prices"));
        let started = Instant::now();
        let panel = self.load_panel(log);
        options.show(None);
        let panel = panel?;
        self.check_sectors(&panel)?;
        log.line(&format!(
            "panel: {} tickers x {} dates ({} .. {}) in {:.2} s",
            panel.tickers().len(),
            panel.dates().len(),
            panel.dates()[0],
            panel.dates()[panel.dates().len() - 1],
            started.elapsed().as_secs_f64()
        ));
        self.warn_look_ahead(log);
        let store = store::FileStore::new(dir, store::Fingerprint::of(self, &panel))
            .restoring(Box::new(|fold: &Path| self.model.restore(fold)));
        options.show(Some("preparing features and windows"));
        // several folds (walk-forward, one model per ticker) train at once, one thread each;
        // the numbers depend on training.threads (the replica split), never on how many
        // threads run the replicas
        // (warm-started refits of one model are one chain, fitted one after another)
        // (each seed's models are fitted apart from the others')
        let chained = self.model.warm_start(&self.training) && !self.model.split_models();
        let seeds = self.model.seeds(&self.training).len();
        let several = (self.dataset.walk_forward.is_some() && !chained)
            || self.model.split_models()
            || seeds > 1;
        let parallel = if several { options.cores() } else { 1 };
        let estimate = self.memory_estimate(&panel, parallel)?;
        let limit = memory::check(&estimate, options.memory_limit);
        if limit.is_err() {
            options.show(None);
        }
        log.quiet(&format!(
            "memory: about {} at the peak{}",
            estimate.describe(),
            match &limit {
                Ok(Some(l)) => format!(", of {} available", memory::gb(*l)),
                _ => String::new(),
            }
        ));
        limit?;
        let forecaster_options = ForecasterOptions {
            threads: options.threads.or((parallel > 1).then_some(1)),
            progress: Some(self.epoch_hook(log, options)),
        };
        let model_name = self.model_name();
        options.show(Some(&format!("fitting {model_name} and backtesting")));
        if let Mode::Shard(i, n) = options.mode {
            let keys = self.run_shard(&panel, &store, parallel, (i, n), cache, &forecaster_options);
            options.show(None);
            let keys = keys?;
            let (fitted, reused, predicted) = store.counts();
            let reused = reused + predicted;
            log.line(&format!(
                "shard {i}/{n}: {} of the folds ({fitted} fitted now, {reused} stored earlier): {}",
                keys.len(),
                keys.join(", ")
            ));
            return Ok(());
        }
        let execution = Execution { parallel, stored_only: options.mode == Mode::Merge };
        let out = self.run(&panel, &store, execution, cache, &forecaster_options);
        options.show(None);
        for note in store.notes.lock().map(|n| n.clone()).unwrap_or_default() {
            log.line(&note);
        }
        let out = out?;
        let (fitted, reused, predicted) = store.counts();
        if out.folds.len() > 1 || reused + predicted > 0 {
            // a fold whose data grew after its validation span keeps its model
            let again = if predicted > 0 {
                format!(
                    ", {predicted} of them with a test span predicted again by its stored model"
                )
            } else {
                String::new()
            };
            log.line(&format!(
                "folds: {} ({fitted} fitted now, {} taken from {}{again}; {parallel} at once)",
                out.folds.len(),
                reused + predicted,
                dir.join("folds").display()
            ));
        }
        self.log_results(log, &panel, &out, &model_name);
        self.warn_look_ahead(log);
        // the last fold's model (checkpoint, history) is the run's model; with one model per
        // ticker (group) each stays in its folds/TICKER/ (folds/GROUP/) folder
        // (the first seed's, with several)
        if !self.model.split_models() {
            let seeds = self.model.seeds(&self.training);
            let prefix =
                if seeds.len() > 1 { format!("seed-{}/", seeds[0]) } else { String::new() };
            let last = format!("{prefix}fold-{:03}", out.folds.len() - 1);
            for (name, bytes) in store.artifacts(&last)? {
                atomic::write(&dir.join(name), &bytes)?;
            }
        }
        let spec = self.pipeline_spec();
        Outputs { exp: self, spec: &spec, panel: &panel, out: &out, model_name }.write_all(dir)?;
        // last: the report is built from the files above, then the folder is marked finished
        super::report::write_run_report::<M>(dir)?;
        claim::finish(dir)
    }

    /// Logs every epoch to the run log's file and shows it as the status.
    fn epoch_hook(&self, log: &RunLog, options: &RunOptions) -> ProgressHook {
        let (log, status, epochs) =
            (log.clone(), options.status.clone(), self.model.epochs(&self.training));
        Arc::new(move |e: &EpochProgress| {
            let val = |digits: usize| e.val_loss.map(|v| format!("{v:.digits$}"));
            log.quiet(&format!(
                "epoch {}: loss {:.6} val_loss {} ({:.2} s)",
                e.epoch,
                e.loss,
                val(6).unwrap_or_else(|| "n/a".into()),
                e.seconds
            ));
            if let Some(status) = &status {
                let val = val(5).map_or(String::new(), |v| format!(", val_loss {v}"));
                let total = epochs.map_or(String::new(), |n| format!("/{n}"));
                status(Some(&format!(
                    "training: epoch {}{total}, loss {:.5}{val}",
                    e.epoch, e.loss
                )));
            }
        })
    }

    fn log_results(&self, log: &RunLog, panel: &Panel, out: &PipelineOutput, model: &str) {
        if let Some(b) = &out.boruta {
            let count = |d| b.decisions.iter().filter(|x| **x == d).count();
            let spec = self.selection.boruta.clone().unwrap_or_default();
            let kept = b.kept_by(&spec);
            log.line(&format!(
                "boruta: {} confirmed, {} tentative, {} rejected of {} features in {} rounds (median shadow threshold {:.4}); kept {} (boruta.csv)",
                count(Decision::Confirmed),
                count(Decision::Tentative),
                count(Decision::Rejected),
                b.names.len(),
                b.rounds,
                b.shadow_threshold,
                kept.len()
            ));
            if b.kept(spec.keep_tentative).is_empty() && spec.fallback > 0 {
                let names: Vec<&str> = kept.iter().map(|&j| b.names[j].as_str()).collect();
                log.line(&format!(
                    "boruta: the tests kept nothing; kept the {} best by rank (selection.boruta.fallback): {}",
                    names.len(),
                    names.join(", ")
                ));
            }
        }
        for f in &out.folds {
            let [train, valid, test] = f.sample_counts;
            log.line(&format!(
                "split: {}; samples train {train}, valid {valid}, test {test}",
                f.split.describe(panel.dates())
            ));
        }
        let valid_mse = match out.fit.valid_loss {
            v if v.is_finite() => format!("{v:.6e}"),
            _ => "n/a (no validation dates)".to_string(),
        };
        log.line(&format!(
            "model {}: {} parameters, train MSE {:.6e}, valid MSE {valid_mse}",
            model, out.fit.parameters, out.fit.train_loss
        ));
        let s = &out.strategy_summary;
        let fmt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.4}"));
        log.line(&format!(
            "test: {} periods, Sharpe {}, annual return {}, max drawdown {}",
            s.periods,
            fmt(s.sharpe_ratio),
            fmt(s.annual_return),
            fmt(s.max_drawdown)
        ));
        if let Some(t) = crate::backtest::Trading::of(&out.ledger, self.data.periods_per_year()) {
            let gross =
                crate::metrics::sharpe_ratio(&out.ledger.gross, 0.0, self.data.periods_per_year());
            log.line(&format!(
                "trading: Sharpe {} before costs, turnover {:.3}/bar, gross exposure {:.2}, holding period {} bars, cost drag {:.2}%/year, break-even cost {} bps",
                fmt(gross),
                t.mean_turnover,
                t.mean_exposure,
                t.holding_period.map_or("n/a".into(), |h| format!("{h:.1}")),
                t.cost_drag * 100.0,
                t.break_even_bps.map_or("n/a".into(), |b| format!("{b:.2}"))
            ));
        }
        let g = SharpeSignificance::of(&out.ledger.net, self.data.periods_per_year());
        log.line(&format!(
            "significance: Sharpe {} +- {} (Lo, {} Newey-West lags), 95% bootstrap interval {}, P(Sharpe > 0) {}",
            fmt(g.sharpe),
            fmt(g.se_hac),
            g.hac_lags,
            g.bootstrap.map_or("n/a".into(), |[lo, hi]| format!("[{lo:.4}, {hi:.4}]")),
            fmt(g.psr)
        ));
        if !out.by_seed.is_empty() {
            let sharpe: Vec<Option<f64>> =
                out.by_seed.iter().map(|(_, o)| o.strategy_summary.sharpe_ratio).collect();
            let seeds: Vec<String> = out.by_seed.iter().map(|(s, _)| s.to_string()).collect();
            let spread = crate::record::Spread::of(&sharpe);
            log.line(&format!(
                "seeds {}: net Sharpe mean {} sd {} (min {}, max {}); the traded forecast ({}) {}",
                seeds.join(", "),
                fmt(spread.map(|s| s.mean)),
                fmt(spread.and_then(|s| s.sd)),
                fmt(spread.map(|s| s.min)),
                fmt(spread.map(|s| s.max)),
                self.model.ensemble(&self.training).describe(),
                fmt(s.sharpe_ratio)
            ));
        }
        if let Some(t) = out.threshold {
            let valid =
                out.threshold_sweep.iter().find(|r| r.threshold == t).and_then(|r| r.valid_sharpe);
            log.line(&format!(
                "threshold: {t}, chosen on the validation predictions (validation Sharpe {})",
                fmt(valid)
            ));
        }
        for note in &out.notes {
            log.line(&format!("note: {note}"));
        }
        if out.ledger.missing_returns > 0 {
            log.line(&format!(
                "note: {} held positions had no return the next bar (counted as 0)",
                out.ledger.missing_returns
            ));
        }
    }
}
