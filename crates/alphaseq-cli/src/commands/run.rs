//! `alphaseq run CONFIG [--out DIR]`: checks the experiment, makes the run folder and runs the
//! library's [`alphaseq::experiment::Experiment::run_folder`] into it: config.toml (resolved),
//! metrics.json, predictions.csv, equity.csv, scaler.json, report.html and run.log (every file
//! but the log written atomically). `alphaseq merge DIR` assembles a sharded run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use alphaseq::experiment::log::RunLog;
use alphaseq::experiment::runner::{Mode, RunOptions};
use anyhow::{anyhow, Context, Result};
use clap::Args;

use crate::config::Experiment;
use crate::stdout::{out, outln};
use crate::{progress, Failure};

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The experiment file (TOML).
    config: PathBuf,
    /// The run folder (default: `runs/<name>-<timestamp>`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Clear the --out folder first when it holds another experiment's run (a folder that
    /// holds no run is never cleared).
    #[arg(long)]
    force: bool,
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
    /// Folds, tickers (one model per ticker) or search trials fitted at once (default: the
    /// machine's cores). Never changes results; each at once holds its own scaled features.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    parallel: Option<u16>,
    /// Stop before computing features when the run's estimated peak memory exceeds this many
    /// gigabytes (default: what the machine has available). The estimate is logged in run.log.
    #[arg(long, value_name = "GB", value_parser = parse_gigabytes)]
    memory_limit: Option<u64>,
}

/// A positive number of gigabytes (decimal: 1 GB = 1e9 bytes), as bytes.
fn parse_gigabytes(s: &str) -> Result<u64, String> {
    let gb: f64 = s
        .trim()
        .trim_end_matches(['G', 'B', 'g', 'b'])
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of gigabytes"))?;
    if !(gb.is_finite() && gb > 0.0) {
        return Err(format!("{s:?}: the limit must be a positive number of gigabytes"));
    }
    Ok((gb * 1e9) as u64)
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

/// Runs an experiment.
pub fn run(args: RunArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let mut overrides = args.set.clone();
    if let Some(period) = &args.refit_every {
        overrides.push(("dataset.walk_forward.refit".into(), toml::Value::String(period.clone())));
    }
    let exp = Experiment::load_with(&args.config, &overrides).map_err(Failure::usage)?;
    if args.check {
        out!("{}", exp.to_toml()?);
        return Ok(());
    }
    if args.shard.is_some() && args.out.is_none() {
        return Err(Failure::Usage(anyhow!("--shard needs --out: the folder all shards share")));
    }
    let mode = args.shard.map_or(Mode::Full, |(i, n)| Mode::Shard(i, n));
    let dir = args.out.clone().unwrap_or_else(|| exp.default_folder());
    exp.claim_folder(&dir, args.force)?;
    let log = crate::log::open(&dir.join("run.log"), true)?;
    log.line(&format!(
        "alphaseq {} run {} -> {} (engine GEMM kernels: {})",
        env!("CARGO_PKG_VERSION"),
        args.config.display(),
        dir.display(),
        alphaseq_nn::gemm::kernels()
    ));
    let options = RunOptions {
        mode,
        parallel: args.parallel.map(usize::from),
        memory_limit: args.memory_limit,
        ..RunOptions::default()
    };
    dispatch(&exp, &dir, &log, options)?;
    log.line(&format!("done in {:.2} s", started.elapsed().as_secs_f64()));
    if mode == Mode::Full || mode == Mode::Merge {
        outln!("report: {}", dir.join("report.html").display());
    }
    Ok(())
}

/// Runs `exp` (a search or a single experiment) into `dir` in `mode` with a spinner.
fn dispatch(
    exp: &Experiment,
    dir: &Path,
    log: &RunLog,
    options: RunOptions,
) -> Result<(), Failure> {
    let options = RunOptions { status: Some(progress::status()), ..options };
    Ok(exp.run_folder(dir, log, &options)?)
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
    let log = crate::log::open(&dir.join("run.log"), true)?;
    log.line(&format!("alphaseq {} merge {}", env!("CARGO_PKG_VERSION"), dir.display()));
    dispatch(&exp, dir, &log, RunOptions { mode: Mode::Merge, ..RunOptions::default() })?;
    log.line(&format!("done in {:.2} s", started.elapsed().as_secs_f64()));
    outln!("report: {}", dir.join("report.html").display());
    Ok(())
}
