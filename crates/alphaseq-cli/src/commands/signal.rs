//! `alphaseq signal --run RUN_DIR --data PRICES... [--asof DATE] [--out FILE]`: positions from a
//! trained run: a thin call of [`RunFolder::signal`], which reads the run's experiment, record and
//! stored folds, chooses the fold whose model traded the as-of date (the last fold after the
//! run's test span; each ticker's own with one model per ticker) and computes the positions as
//! the backtest held them. The prices are read up to the as-of date only. Writes
//! `ticker,weight,prediction,asof` as CSV (stdout or `--out FILE`) and, with `--out`, the same
//! as JSON beside it.

use std::path::PathBuf;

use alphaseq::experiment::atomic;
use alphaseq::experiment::folder::RunFolder;
use chrono::NaiveDate;
use clap::Args;
use serde_json::json;

use crate::config::Experiment;
use crate::stdout::out;
use crate::Failure;

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
    /// Calendar days the last bar of the prices may lie before --asof (default: 5 for daily,
    /// 10 for weekly, 35 for monthly bars); older prices are refused as stale.
    #[arg(long)]
    max_stale_days: Option<i64>,
    /// Write the positions here (CSV) and as JSON beside it (same name, `.json`).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Computes and writes the positions.
pub fn run(args: SignalArgs) -> Result<(), Failure> {
    let usage = |e: alphaseq::Error| Failure::usage(e);
    let dir = &args.run;
    let folder = RunFolder::open(dir).map_err(usage)?;
    let exp: Experiment =
        folder.signal_experiment(&args.data, args.sectors.as_deref(), args.asof).map_err(usage)?;
    let log = crate::log::stderr();
    let panel = exp.load_panel(&log)?;
    let signal = folder.signal(&exp, &panel, args.asof, args.max_stale_days)?;
    for note in &signal.notes {
        log.line(note);
    }
    let (asof, positions) = (signal.asof, &signal.positions);
    let mut csv = String::from("ticker,weight,prediction,asof\n");
    for p in positions {
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
            let text = serde_json::to_string_pretty(&doc).map_err(anyhow::Error::from)?;
            atomic::write(&path.with_extension("json"), text.as_bytes())?;
            eprintln!(
                "signal for {asof}: {} names, gross exposure {:.3}; {}",
                positions.len(),
                signal.gross(),
                path.display()
            );
        }
        None => out!("{csv}"),
    }
    Ok(())
}
