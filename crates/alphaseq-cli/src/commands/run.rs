//! `alphaseq run CONFIG [--out DIR]`: loads and validates the prices, runs the pipeline, and
//! writes the run folder: config.toml (resolved), metrics.json, predictions.csv, equity.csv,
//! scaler.json (the feature scaler fitted on the training span), report.html and run.log. Every file but the log is written atomically.

use std::path::{Path, PathBuf};
use std::time::Instant;

use alphaseq::data::Panel;
use std::sync::{Arc, Mutex};

use alphaseq::experiment::ForecasterOptions;
use alphaseq::forecast::{EpochProgress, ProgressHook};
use alphaseq::pipeline::{Execution, PipelineOutput};
use anyhow::{anyhow, Context, Result};
use clap::Args;

use crate::config::Experiment;
use crate::log::Log;
use crate::prices::load_panel;
use crate::{progress, Failure};
use alphaseq::experiment::{atomic, store};
use alphaseq::selection::{Decision, SelectionCache};

pub(crate) mod outputs;
mod search_run;

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The experiment file (TOML).
    config: PathBuf,
    /// The run folder (default: `runs/<name>-<timestamp>`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Only check the experiment file (keys, types, values) and print the resolved config.
    #[arg(long)]
    check: bool,
    /// Compute only shard I of N (`I/N`, I from 0) of the folds, tickers or trials into the
    /// run folder (shared by all shards, --out required); `alphaseq merge DIR` then assembles
    /// the run.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// Override one key of the experiment file, `KEY=VALUE` with a dotted key and a TOML value
    /// (repeatable): `--set training.epochs=2 --set 'data.tickers=["AAPL","MSFT"]'`. The run's
    /// config.toml records the result.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = crate::config::parse_override)]
    set: Vec<(String, toml::Value)>,
    /// Walk-forward refit frequency (`year`, `quarter`, `month`): shorthand for
    /// `--set dataset.walk_forward.refit=...` on a walk-forward experiment.
    #[arg(long, value_name = "PERIOD", value_parser = parse_refit)]
    refit_every: Option<String>,
}

/// `year`, `quarter` or `month` (or the config's words `yearly`, `quarterly`, `monthly`).
fn parse_refit(s: &str) -> Result<String, String> {
    match s {
        "year" | "yearly" => Ok("yearly".into()),
        "quarter" | "quarterly" => Ok("quarterly".into()),
        "month" | "monthly" => Ok("monthly".into()),
        _ => Err(format!("{s:?}: use year, quarter or month")),
    }
}

/// `I/N` with I < N.
fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s.split_once('/').ok_or("use I/N, e.g. 0/3")?;
    let (i, n): (usize, usize) = (
        i.trim().parse().map_err(|_| format!("{i:?} is not a number"))?,
        n.trim().parse().map_err(|_| format!("{n:?} is not a number"))?,
    );
    if n == 0 || i >= n {
        return Err(format!("shard {i}/{n}: need 0 <= I < N"));
    }
    Ok((i, n))
}

/// What a run does with its folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Fit what is missing and write the whole run folder.
    Full,
    /// Fit shard I of N of the folds (or trials) and stop.
    Shard(usize, usize),
    /// Fit nothing; assemble the run from the stored folds (or finished trials).
    Merge,
}

/// Runs an experiment.
pub fn run(args: RunArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut overrides = args.set.clone();
    if let Some(period) = &args.refit_every {
        overrides.push(("dataset.walk_forward.refit".into(), toml::Value::String(period.clone())));
    }
    let exp =
        Experiment::load_with(&args.config, &overrides).map_err(|e| Failure::Usage(e.into()))?;
    if args.check {
        print!("{}", exp.to_toml()?);
        return Ok(());
    }
    if args.shard.is_some() && args.out.is_none() {
        return Err(Failure::Usage(anyhow!("--shard needs --out: the folder all shards share")));
    }
    let mode = args.shard.map_or(Mode::Full, |(i, n)| Mode::Shard(i, n));
    let dir = match &args.out {
        Some(d) => d.clone(),
        None => PathBuf::from("runs").join(format!(
            "{}-{}",
            exp.name,
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        )),
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating run folder {}", dir.display()))?;
    let mut log = Log::open(&dir.join("run.log"), true)?;
    log.line(&format!(
        "alphaseq {} run {} -> {} (engine GEMM kernels: {})",
        env!("CARGO_PKG_VERSION"),
        args.config.display(),
        dir.display(),
        alphaseq_nn::gemm::kernels()
    ));
    dispatch(&exp, &dir, &mut log, mode, &SelectionCache::default())?;
    log.line(&format!("done in {:.2} s", started.elapsed().as_secs_f64()));
    if mode == Mode::Full || mode == Mode::Merge {
        println!("report: {}", dir.join("report.html").display());
    }
    Ok(())
}

/// A search or a single experiment, in `mode`.
pub(crate) fn dispatch(
    exp: &Experiment,
    dir: &Path,
    log: &mut Log,
    mode: Mode,
    cache: &SelectionCache,
) -> Result<(), Failure> {
    match &exp.search {
        Some(search) => search_run::run(exp, search, dir, log, mode, cache),
        None => execute(exp, dir, log, None, mode, cache),
    }
}

/// `alphaseq merge DIR`: assembles a run whose folds (or trials) were computed by
/// `alphaseq run --shard I/N` into DIR; fails naming what is missing.
pub fn merge(dir: &Path) -> Result<(), Failure> {
    let started = Instant::now();
    let config = ["search.toml", "config.toml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .ok_or_else(|| {
            Failure::Usage(anyhow!("{} has no config.toml: not a run folder", dir.display()))
        })?;
    let text = std::fs::read_to_string(&config).context("reading the run's config")?;
    let exp = Experiment::parse(&text)
        .with_context(|| format!("in {}", config.display()))
        .map_err(Failure::Usage)?;
    let mut log = Log::open(&dir.join("run.log"), true)?;
    log.line(&format!("alphaseq {} merge {}", env!("CARGO_PKG_VERSION"), dir.display()));
    dispatch(&exp, dir, &mut log, Mode::Merge, &SelectionCache::default())?;
    log.line(&format!("done in {:.2} s", started.elapsed().as_secs_f64()));
    println!("report: {}", dir.join("report.html").display());
    Ok(())
}

/// Runs one experiment (no search) into `dir`: every file of a run folder. `threads` overrides
/// the training threads without changing the recorded config (threads never change results).
pub(crate) fn execute(
    exp: &Experiment,
    dir: &Path,
    log: &mut Log,
    threads: Option<usize>,
    mode: Mode,
    cache: &SelectionCache,
) -> Result<(), Failure> {
    atomic::write(&dir.join("config.toml"), exp.to_toml()?.as_bytes())?;

    let load_started = Instant::now();
    let panel = load_panel(exp, log)?;
    let load_seconds = load_started.elapsed().as_secs_f64();
    log.line(&format!(
        "panel: {} tickers x {} dates ({} .. {}) in {load_seconds:.2} s",
        panel.tickers().len(),
        panel.dates().len(),
        panel.dates()[0],
        panel.dates()[panel.dates().len() - 1]
    ));

    let spec = exp.pipeline_spec();
    let store = store::FileStore::new(dir, store::fingerprint(exp, &panel));
    let bar = if log.echo {
        progress::spinner("preparing features and windows")
    } else {
        progress::hidden()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // several folds (walk-forward, one model per ticker) train at once, one thread each;
    // threads never change results
    let several = exp.dataset.walk_forward.is_some() || exp.model.per_ticker;
    let parallel = if several { cores } else { 1 };
    let epoch_log = Mutex::new(Log::open(&dir.join("run.log"), false)?);
    let epochs = exp.training.epochs;
    let epoch_bar = bar.clone();
    let progress: ProgressHook = Arc::new(move |e: &EpochProgress| {
        let val = e.val_loss.map_or(String::new(), |v| format!(", val_loss {v:.5}"));
        if let Ok(mut l) = epoch_log.lock() {
            l.quiet(&format!(
                "epoch {}: loss {:.6} val_loss {} ({:.2} s)",
                e.epoch,
                e.loss,
                e.val_loss.map_or("n/a".into(), |v| format!("{v:.6}")),
                e.seconds
            ));
        }
        epoch_bar
            .set_message(format!("training: epoch {}/{epochs}, loss {:.5}{val}", e.epoch, e.loss));
    });
    let options = ForecasterOptions {
        threads: threads.or((parallel > 1).then_some(1)),
        progress: Some(progress),
    };
    let mut model_name = exp.forecaster(&ForecasterOptions::default()).name();
    if exp.model.per_ticker {
        model_name.push_str(", one per ticker");
    }
    bar.set_message(format!("fitting {model_name} and backtesting"));
    if let Mode::Shard(i, n) = mode {
        let keys = exp.run_shard(&panel, &store, parallel, (i, n), cache, &options);
        bar.finish_and_clear();
        let keys = keys.map_err(|e| anyhow!(e))?;
        let (fitted, reused) = store.counts();
        log.line(&format!(
            "shard {i}/{n}: {} of the folds ({fitted} fitted now, {reused} stored earlier): {}",
            keys.len(),
            keys.join(", ")
        ));
        return Ok(());
    }
    let execution = Execution { parallel, stored_only: mode == Mode::Merge };
    let out = exp.run(&panel, &store, execution, cache, &options);
    bar.finish_and_clear();
    for note in store.notes.lock().map(|n| n.clone()).unwrap_or_default() {
        log.line(&note);
    }
    let out = out.map_err(|e| anyhow!(e))?;
    let (fitted, reused) = store.counts();
    if out.folds.len() > 1 || reused > 0 {
        log.line(&format!(
            "folds: {} ({fitted} fitted now, {reused} taken from {}; {parallel} at once)",
            out.folds.len(),
            dir.join("folds").display()
        ));
    }
    log_results(log, &panel, &out, &model_name, exp);
    // the last fold's model (checkpoint, history) is the run's model; with one model per
    // ticker each stays in its folds/TICKER/ folder
    if !exp.model.per_ticker {
        for (name, bytes) in store.artifacts(&format!("fold-{:03}", out.folds.len() - 1))? {
            atomic::write(&dir.join(name), &bytes)?;
        }
    }

    let files = outputs::Outputs {
        exp,
        spec: &spec,
        panel: &panel,
        out: &out,
        model_name: model_name.clone(),
    };
    files.write_all(dir)?;
    Ok(())
}

fn log_results(log: &mut Log, panel: &Panel, out: &PipelineOutput, model: &str, exp: &Experiment) {
    if let Some(b) = &out.boruta {
        let count = |d| b.decisions.iter().filter(|x| **x == d).count();
        log.line(&format!(
            "boruta: {} confirmed, {} tentative, {} rejected of {} features in {} rounds (median shadow threshold {:.4}); kept {} (boruta.csv)",
            count(Decision::Confirmed),
            count(Decision::Tentative),
            count(Decision::Rejected),
            b.names.len(),
            b.rounds,
            b.shadow_threshold,
            b.kept(exp.selection.boruta.as_ref().is_some_and(|s| s.keep_tentative)).len()
        ));
    }
    for f in &out.folds {
        let [train, valid, test] = f.sample_counts;
        log.line(&format!(
            "split: {}; samples train {train}, valid {valid}, test {test}",
            f.split.describe(panel.dates())
        ));
    }
    log.line(&format!(
        "model {}: {} parameters, train MSE {:.6e}, valid MSE {:.6e}",
        model, out.fit.parameters, out.fit.train_loss, out.fit.valid_loss
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
    if out.ledger.missing_returns > 0 {
        log.line(&format!(
            "note: {} held positions had no return the next bar (counted as 0)",
            out.ledger.missing_returns
        ));
    }
}
