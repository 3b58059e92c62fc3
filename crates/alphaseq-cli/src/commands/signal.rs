//! `alphaseq signal --run RUN_DIR --data PRICES... [--asof DATE] [--out FILE]`: positions from a
//! trained run. Reads the run's experiment, record and stored folds, and the prices up to the
//! as-of date only (nothing after it is read into the panel); [`alphaseq::signal`] chooses the
//! fold whose model traded that date (the last fold after the run's test span; each ticker's own
//! with one model per ticker), and computes the positions as the backtest held them. Writes
//! `ticker,weight,prediction,asof` as CSV (stdout or `--out FILE`) and, with `--out`, the same
//! as JSON beside it.

use std::path::{Path, PathBuf};

use alphaseq::dataset::Scaler;
use alphaseq::forecast::{Forecaster, LinearForecaster};
use alphaseq::pipeline::FoldResult;
use alphaseq::record::RunRecord;
use alphaseq::signal::{self, ModelGroup};
use alphaseq_nn::RecurrentForecaster;
use anyhow::{anyhow, Context};
use chrono::NaiveDate;
use clap::Args;
use serde_json::json;

use crate::config::{Experiment, ModelKind};
use crate::log::Log;
use crate::prices::load_panel;
use crate::store::read_fold;
use crate::{atomic, Failure};

/// Arguments of `signal`.
#[derive(Debug, Args)]
pub struct SignalArgs {
    /// A run folder written by `alphaseq run`.
    #[arg(long)]
    run: PathBuf,
    /// The latest prices (same layouts as the run's `data.prices`); default: the run's files.
    #[arg(long, num_args = 1..)]
    data: Vec<PathBuf>,
    /// The as-of date (default: the last date of the prices); later rows are not read.
    #[arg(long)]
    asof: Option<NaiveDate>,
    /// The ticker,sector file (default: the run's `data.sectors`).
    #[arg(long)]
    sectors: Option<PathBuf>,
    /// Write the positions here (CSV) and as JSON beside it (same name, `.json`).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Computes and writes the positions.
pub fn run(args: SignalArgs) -> Result<(), Failure> {
    let usage = Failure::Usage;
    let dir = &args.run;
    let text = std::fs::read_to_string(dir.join("config.toml"))
        .with_context(|| format!("{} has no config.toml; is it a run folder?", dir.display()))
        .map_err(usage)?;
    let mut exp = Experiment::parse(&text).context("the run's config.toml").map_err(usage)?;
    if !args.data.is_empty() {
        exp.data.prices = args.data.clone();
    }
    if let Some(s) = &args.sectors {
        exp.data.sectors = Some(s.clone());
    }
    if let Some(d) = args.asof {
        exp.data.end = Some(exp.data.end.map_or(d, |e| e.min(d)));
    }
    let trained = RunRecord::read(dir).map_err(|e| usage(anyhow!(e)))?.data.tickers;

    let mut log = Log::stderr();
    let panel = load_panel(&exp, &mut log)?;
    let missing: Vec<&String> =
        trained.iter().filter(|t| panel.ticker_index(t).is_none()).collect();
    if !missing.is_empty() {
        return Err(usage(anyhow!(
            "the prices lack tickers the model was trained on: {}",
            missing.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let panel = panel.select(&trained).map_err(|e| anyhow!(e))?;
    if panel.tickers() != trained.as_slice() {
        return Err(Failure::Failed(anyhow!("ticker order differs from the trained panel")));
    }
    let dates = panel.dates();
    let t = dates.len() - 1;
    let asof = dates[t];
    if let Some(d) = args.asof {
        if asof != d {
            log.line(&format!("{d} is not a trading day of the prices; using {asof}"));
        }
    }

    let spec = exp.pipeline_spec();
    // one group, or one per ticker, each with the model of the fold that traded the as-of date
    let mut groups: Vec<ModelGroup> = vec![];
    let root = fold_root(dir).map_err(usage)?;
    if exp.model.per_ticker {
        for i in signal::traded(&panel, &spec) {
            let ticker = &panel.tickers()[i];
            let (scaler, model) =
                fold_model(&exp, &root.join(alphaseq::pipeline::ticker_key(ticker)), asof)
                    .with_context(|| format!("the model of {ticker}"))?;
            groups.push(ModelGroup { scaler, model, tickers: vec![i] });
        }
    } else {
        let (scaler, model) = fold_model(&exp, &root, asof)?;
        groups.push(ModelGroup { scaler, model, tickers: signal::traded(&panel, &spec) });
    }
    let positions = signal::positions(&panel, &spec, &groups).map_err(|e| anyhow!(e))?;

    let mut csv = String::from("ticker,weight,prediction,asof\n");
    for p in &positions {
        csv.push_str(&format!("{},{},{},{asof}\n", p.ticker, p.weight, p.prediction));
    }
    match &args.out {
        Some(path) => {
            atomic::write(path, csv.as_bytes())?;
            let doc = json!({
                "asof": asof.to_string(),
                "run": dir.display().to_string(),
                "rule": exp.strategy.rule,
                "positions": positions.iter().map(|p| json!({"ticker": p.ticker, "weight": p.weight, "prediction": p.prediction})).collect::<Vec<_>>(),
            });
            atomic::write(
                &path.with_extension("json"),
                serde_json::to_string_pretty(&doc).map_err(|e| anyhow!(e))?.as_bytes(),
            )?;
            let gross: f64 = positions.iter().map(|p| p.weight.abs()).sum();
            eprintln!(
                "signal for {asof}: {} names, gross exposure {gross:.3}; {}",
                positions.len(),
                path.display()
            );
        }
        None => print!("{csv}"),
    }
    Ok(())
}

/// Where the run's folds are: `RUN/folds`, or for a search the best trial's (search.csv's first
/// row).
fn fold_root(dir: &Path) -> anyhow::Result<PathBuf> {
    let folds = dir.join("folds");
    if folds.is_dir() {
        return Ok(folds);
    }
    let search = std::fs::read_to_string(dir.join("search.csv"))
        .with_context(|| format!("{} has no folds/ and no search.csv", dir.display()))?;
    let best = search
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').nth(1))
        .and_then(|t| t.trim().parse::<usize>().ok())
        .ok_or_else(|| anyhow!("{}: no best trial", dir.join("search.csv").display()))?;
    Ok(dir.join("trials").join(format!("trial-{best:03}")).join("folds"))
}

/// The scaler and model of the fold under `root` (`fold-NNN` folders) that traded `asof`.
fn fold_model(
    exp: &Experiment,
    root: &Path,
    asof: NaiveDate,
) -> anyhow::Result<(Scaler, Box<dyn Forecaster>)> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .with_context(|| format!("reading {}", root.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fold-")))
        .collect();
    dirs.sort();
    let folds: Vec<FoldResult> =
        dirs.iter().map(|d| read_fold(d)).collect::<anyhow::Result<_>>()?;
    let firsts: Vec<Option<NaiveDate>> = folds.iter().map(signal::first_test_date).collect();
    let k = signal::fold_for(&firsts, asof)?;
    let fold = folds.into_iter().nth(k).ok_or_else(|| anyhow!("no fold {k}"))?;
    Ok((fold.scaler, load_model(exp, &dirs[k])?))
}

/// The fitted model stored in `dir` (`linear.json` or `model.safetensors`).
fn load_model(exp: &Experiment, dir: &Path) -> anyhow::Result<Box<dyn Forecaster>> {
    Ok(match exp.model.kind {
        ModelKind::Linear => Box::new(
            LinearForecaster::restore(
                &std::fs::read(dir.join("linear.json")).context("reading linear.json")?,
            )
            .map_err(|e| anyhow!(e))?,
        ),
        ModelKind::Recurrent => Box::new(
            RecurrentForecaster::restore(
                &std::fs::read(dir.join("model.safetensors"))
                    .context("reading model.safetensors")?,
            )
            .map_err(|e| anyhow!(e))?,
        ),
    })
}
