//! `alphaseq features compute CONFIG --out FILE`: the experiment's `[data]` and `[features]`
//! sections applied to every ticker (the benchmark included), written as one long table,
//! `date, ticker, <features>`, in CSV or Parquet (by the file's extension), atomically and a
//! few tickers at a time (memory: the panel and those tickers' features). The features are
//! raw: scaling needs a training span and happens in `alphaseq run`.

use std::path::PathBuf;
use std::time::Instant;

use alphaseq::features::export;
use anyhow::anyhow;
use clap::Args;

use crate::config::Experiment;
use crate::{progress, Failure};
use alphaseq::experiment::atomic;

/// Arguments of `features compute`.
#[derive(Debug, Args)]
pub struct ComputeArgs {
    /// The experiment file.
    config: PathBuf,
    /// Output file: `.parquet` / `.pq` for Parquet (zstd), `.csv` for CSV.
    #[arg(long)]
    out: PathBuf,
}

/// Computes and writes the feature table.
pub fn run(args: ComputeArgs) -> Result<(), Failure> {
    let exp = Experiment::load(&args.config).map_err(Failure::usage)?;
    let name = args.out.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_lowercase();
    let parquet = name.ends_with(".parquet") || name.ends_with(".pq");
    if !parquet && !name.ends_with(".csv") {
        return Err(Failure::Usage(anyhow!(
            "--out {}: name a .csv, .parquet or .pq file",
            args.out.display()
        )));
    }
    let log = crate::log::stderr();
    let panel = exp.load_panel(&log)?;
    let started = Instant::now();
    let bar = progress::spinner("computing and writing features");
    // a few tickers at a time: memory holds the panel and those tickers' features
    let written = atomic::write_with(&args.out, |out| {
        if parquet {
            export::write_parquet(&panel, &exp.features, out)
        } else {
            export::write_csv(&panel, &exp.features, out, &args.out)
        }
    });
    bar.finish_and_clear();
    let features = written?;
    log.line(&format!(
        "{features} features of {} tickers x {} dates in {:.2} s -> {}",
        panel.tickers().len(),
        panel.dates().len(),
        started.elapsed().as_secs_f64(),
        args.out.display()
    ));
    Ok(())
}
