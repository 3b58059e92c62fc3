//! `alphaseq bench nn [--json] [--iters N] [--parallel N]`: training and inference throughput of
//! the engine on the workloads of the engine issue (W1, W2), and of N models trained at once.
//! Compare with `tools/bench/torch_bench.py` and `tools/bench/keras_bench.py` run beside it.
//!
//! `alphaseq bench features [DATA_DIR] [--json]`: the whole indicator catalogue plus the momentum
//! features for every ticker of `sp500_daily.csv.gz` (market `^GSPC` from `gspc_daily.csv.gz`);
//! compare with `tools/bench/features_pandas.py` (pandas-ta `study("All")` and the pandas momentum
//! code).

use alphaseq_nn::bench;
use clap::{Args, Subcommand};

use crate::stdout::outln;
use crate::Failure;

/// Arguments of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Debug, Subcommand)]
enum BenchWhat {
    /// The recurrent-network engine.
    Nn {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Seconds per timing (each figure is the median of 5 timings).
        #[arg(long, default_value_t = 0.5)]
        window: f64,
        /// Models trained at once in the parallel run (default: the number of cores).
        #[arg(long)]
        parallel: Option<usize>,
        /// Only this workload (W1 or W2).
        #[arg(long)]
        workload: Option<String>,
    },
    /// The feature library on the shared S&P 500 data.
    Features {
        /// Folder with sp500_daily.csv.gz and gspc_daily.csv.gz.
        #[arg(default_value = "../shared/data")]
        data: std::path::PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Timings (the figure is their median).
        #[arg(long, default_value_t = 3)]
        repeats: usize,
    },
}

/// Runs a benchmark.
pub fn run(args: BenchArgs) -> Result<(), Failure> {
    let (json, window, parallel, workload) = match args.what {
        BenchWhat::Nn { json, window, parallel, workload } => (json, window, parallel, workload),
        BenchWhat::Features { data, json, repeats } => return features(&data, json, repeats),
    };
    let parallel =
        parallel.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let chosen: Vec<bench::Workload> = bench::workloads()
        .into_iter()
        .filter(|w| workload.as_deref().is_none_or(|name| name.eq_ignore_ascii_case(w.name)))
        .collect();
    if chosen.is_empty() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "unknown workload {:?}; choose W1 or W2",
            workload.unwrap_or_default()
        )));
    }
    let results: Vec<bench::Throughput> =
        chosen.iter().map(|w| bench::measure(w, window.max(0.01), parallel.max(1))).collect();
    if json {
        let text = serde_json::to_string_pretty(&results).map_err(Failure::failed)?;
        outln!("{text}");
        return Ok(());
    }
    outln!(
        "{:<9} {:>13} {:>17} {:>13} {:>17} {:>24}",
        "workload",
        "train samp/s",
        "train, N threads",
        "infer samp/s",
        "infer, N threads",
        "N models at once samp/s"
    );
    for r in &results {
        outln!(
            "{:<9} {:>13.0} {:>17.0} {:>13.0} {:>17.0} {:>13.0} ({:.2}x one)",
            r.workload,
            r.train_samples_per_sec,
            r.threaded_train_samples_per_sec,
            r.infer_samples_per_sec,
            r.threaded_infer_samples_per_sec,
            r.parallel_train_samples_per_sec,
            r.parallel_train_samples_per_sec / r.train_samples_per_sec
        );
    }
    let n = results.first().map_or(0, |r| r.parallel_models);
    outln!("N = {n} (--parallel): one model with its batches split over N threads, and N independent models");
    outln!("GEMM kernels: {}", alphaseq_nn::gemm::kernels());
    Ok(())
}

/// Times the feature library on the S&P panel.
fn features(dir: &std::path::Path, json: bool, repeats: usize) -> Result<(), Failure> {
    use alphaseq::data::{self, CalendarSpec, Panel, PanelOptions};
    use alphaseq::features::{FeatureMatrix, FeatureSpec, MomentumSpec};
    use std::time::Instant;
    let paths = [dir.join("sp500_daily.csv.gz"), dir.join("gspc_daily.csv.gz")];
    let started = Instant::now();
    let (records, _) = data::read_sources(&paths).map_err(Failure::failed)?;
    let options = PanelOptions {
        calendar: CalendarSpec::Ticker("^GSPC".into()),
        start: chrono::NaiveDate::from_ymd_opt(1999, 1, 1),
        ..PanelOptions::default()
    };
    let panel = Panel::from_records(&records, &options).map_err(Failure::failed)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let spec = FeatureSpec {
        returns: vec![],
        volatility: vec![],
        indicators: vec!["all".into()],
        momentum: Some(MomentumSpec { market: Some("^GSPC".into()), ..MomentumSpec::default() }),
        ..FeatureSpec::default()
    };
    let mut times = vec![];
    let mut columns = 0;
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        let m = FeatureMatrix::compute(&panel, &spec).map_err(Failure::failed)?;
        times.push(t.elapsed().as_secs_f64());
        columns = m.n_features();
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let rows: usize = panel
        .all_bars()
        .iter()
        .map(|b| {
            let first = b.adj_close.iter().position(|v| !v.is_nan());
            let last = b.adj_close.iter().rposition(|v| !v.is_nan());
            first.zip(last).map_or(0, |(a, z)| z + 1 - a)
        })
        .sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let result = serde_json::json!({
        "tickers": panel.tickers().len(), "ticker_rows": rows, "columns": columns,
        "load_seconds": load_seconds, "features_seconds": median, "threads": threads,
        "rows_per_second": rows as f64 / median,
    });
    if json {
        outln!("{}", serde_json::to_string_pretty(&result).map_err(Failure::failed)?);
    } else {
        outln!(
            "features: {} tickers, {rows} ticker-rows, {columns} columns: {median:.2} s (median of {}, {threads} threads), {:.0} rows/s; load {load_seconds:.2} s",
            panel.tickers().len(),
            times.len(),
            rows as f64 / median
        );
    }
    Ok(())
}
