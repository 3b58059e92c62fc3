//! `alphaseq signal --run RUN_DIR --data PRICES... [--asof DATE] [--out FILE]`: today's positions
//! from a trained run. Loads the run's experiment, model (the last fold's: `model.safetensors` or
//! `linear.json`; with one model per ticker, each ticker's last fold's) and scaler; reads the prices up to the as-of date only (nothing after it is
//! read into the panel); computes the features, scales them with the training-span scaler,
//! predicts for every ticker with a complete window at the as-of date, and applies the run's
//! strategy (the weights of that date, as the backtest would have held them). Writes
//! `ticker,weight,prediction,asof` as CSV (stdout or `--out FILE`) and, with `--out`, the same
//! as JSON beside it.

use std::path::PathBuf;

use alphaseq::dataset::{Sample, Scaler};
use alphaseq::features::FeatureMatrix;
use alphaseq::forecast::{Forecaster, LinearForecaster, Windows};
use alphaseq::strategy::{self, Market};
use alphaseq_nn::RecurrentForecaster;
use anyhow::{anyhow, Context};
use chrono::NaiveDate;
use clap::Args;
use serde_json::json;

use crate::commands::run::{load_panel, Log};
use crate::config::{Experiment, ModelKind};
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

/// One target position.
struct Position {
    ticker: String,
    weight: f64,
    prediction: f64,
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
    let trained = crate::report::read_record(dir).map_err(usage)?.data.tickers;

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

    let raw = FeatureMatrix::compute(&panel, &exp.features).map_err(|e| anyhow!(e))?;
    let benchmark = exp.data.benchmark.as_ref().and_then(|b| panel.ticker_index(b));
    let traded: Vec<usize> = (0..panel.tickers().len()).filter(|&i| Some(i) != benchmark).collect();
    // (scaler, model, tickers): one group, or one per ticker with its own last fold's model
    let mut groups: Vec<(Scaler, Box<dyn Forecaster>, Vec<usize>)> = vec![];
    if exp.model.per_ticker {
        for &i in &traded {
            let ticker = &panel.tickers()[i];
            let fdir = super::run::folds::last_fold_dir(
                &dir.join("folds").join(alphaseq::pipeline::ticker_key(ticker)),
            )
            .ok_or_else(|| usage(anyhow!("{} has no stored model for {ticker}", dir.display())))?;
            let fold = super::run::folds::read_fold(&fdir)?;
            groups.push((fold.scaler, load_model(&exp, &fdir)?, vec![i]));
        }
    } else {
        let scaler: Scaler = serde_json::from_slice(
            &std::fs::read(dir.join("scaler.json"))
                .context("reading scaler.json")
                .map_err(usage)?,
        )
        .context("parsing scaler.json")
        .map_err(usage)?;
        groups.push((scaler, load_model(&exp, dir)?, traded.clone()));
    }
    let shape = exp.dataset.window();
    let mut samples: Vec<Sample> = vec![];
    let mut preds: Vec<f64> = vec![];
    for (scaler, model, tickers) in &groups {
        let keep: Vec<usize> = scaler
            .columns
            .iter()
            .map(|c| {
                raw.names()
                    .iter()
                    .position(|n| n == c)
                    .ok_or_else(|| anyhow!("the features lack column {c} the scaler was fitted on"))
            })
            .collect::<anyhow::Result<_>>()?;
        let mut features = raw.select_columns(&keep);
        scaler.transform(&mut features).map_err(|e| anyhow!(e))?;
        let group: Vec<Sample> = tickers
            .iter()
            .copied()
            .filter(|&i| scaler.group(i).is_some())
            .filter(|&i| shape.is_complete(&features, i, t))
            .map(|i| Sample { ticker: i as u32, t: t as u32, target: f64::NAN })
            .collect();
        if group.is_empty() {
            continue;
        }
        let windows = Windows::new(&features, &group, shape, None);
        preds.extend(model.predict(&windows).map_err(|e| anyhow!(e))?);
        samples.extend(group);
    }
    if samples.is_empty() {
        bail_failed(format!("no ticker has a complete feature window at {asof}"))?;
    }
    let triples: Vec<(usize, usize, f64)> =
        samples.iter().zip(&preds).map(|(s, p)| (s.ticker as usize, t, *p)).collect();
    let returns: Vec<Vec<f64>> =
        panel.all_bars().iter().map(|b| b.returns(alphaseq::data::ReturnKind::Simple)).collect();
    let sectors = alphaseq::pipeline::sector_ids(&panel);
    let market = Market {
        returns: &returns,
        sectors: &sectors,
        periods_per_year: exp.data.frequency.periods_per_year(),
    };
    let weights = strategy::weights(&exp.strategy, &triples, &market, dates.len());
    let positions: Vec<Position> = samples
        .iter()
        .zip(&preds)
        .map(|(s, p)| Position {
            ticker: panel.tickers()[s.ticker as usize].clone(),
            weight: weights[t][s.ticker as usize],
            prediction: *p,
        })
        .collect();

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

/// The fitted model stored in `dir` (`linear.json` or `model.safetensors`).
fn load_model(exp: &Experiment, dir: &std::path::Path) -> Result<Box<dyn Forecaster>, Failure> {
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

fn bail_failed(message: String) -> Result<(), Failure> {
    Err(Failure::Failed(anyhow!(message)))
}
