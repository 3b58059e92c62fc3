//! `alphaseq bench nn [--json] [--iters N] [--parallel N]`: training and inference throughput of
//! the engine on the workloads of the engine issue (W1, W2), and of N models trained at once.
//! Compare with `tools/bench/torch_bench.py` and `tools/bench/keras_bench.py` run beside it.
//!
//! `alphaseq bench features [DATA_DIR] [--json]`: the whole indicator catalogue plus the momentum
//! features for every ticker of `sp500_daily.csv.gz` (market `^GSPC` from `gspc_daily.csv.gz`);
//! compare with `tools/bench/features_pandas.py` (pandas-ta `study("All")` and the pandas momentum
//! code).
//!
//! `alphaseq bench portfolio [DATA_DIR] [--json] [--every N]`: the mean-variance step of study 5
//! on the S&P panel (sector neutral, Ledoit-Wolf over 63 days, 15% volatility, 5 bps), with each
//! stock's trailing 63-day return as its forecast, every bar from 2005-01-03: the closed form and
//! the cost-aware program (on the Ledoit-Wolf covariance, and on a 5-factor PCA model), one
//! thread; compare with `tools/bench/portfolio_cvxpy.py`.

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
    /// The portfolio step (closed form and cost-aware program) on the S&P 500 panel.
    Portfolio {
        /// Folder with sp500_daily.csv.gz, gspc_daily.csv.gz and sectors.csv.
        #[arg(default_value = "../shared/data")]
        data: std::path::PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Rebalance every N bars (1: daily, the study's setting).
        #[arg(long, default_value_t = 1)]
        every: usize,
    },
}

/// Runs a benchmark.
pub fn run(args: BenchArgs) -> Result<(), Failure> {
    let (json, window, parallel, workload) = match args.what {
        BenchWhat::Nn { json, window, parallel, workload } => (json, window, parallel, workload),
        BenchWhat::Features { data, json, repeats } => return features(&data, json, repeats),
        BenchWhat::Portfolio { data, json, every } => return portfolio(&data, json, every),
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

/// Tickers per block of the streamed timing: the streaming writers' block.
const STREAM_TICKERS: usize = alphaseq::features::export::CHUNK;

/// Times the feature library on the S&P panel: the whole matrix in memory, and streamed.
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
    let mut streamed = vec![];
    let mut columns = 0;
    let n = panel.tickers().len();
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        let m = FeatureMatrix::compute(&panel, &spec).map_err(Failure::failed)?;
        times.push(t.elapsed().as_secs_f64());
        columns = m.n_features();
        drop(m);
        // as `features compute` writes the panel, and as the pandas script computes it: a block
        // of tickers at a time, none kept
        let t = Instant::now();
        for start in (0..n).step_by(STREAM_TICKERS) {
            let range = start..(start + STREAM_TICKERS).min(n);
            let block = FeatureMatrix::compute_tickers(&panel, &spec, range);
            drop(block.map_err(Failure::failed)?);
        }
        streamed.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    streamed.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let streamed_median = streamed[streamed.len() / 2];
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
        "rows_per_second": rows as f64 / median, "streamed_seconds": streamed_median,
        "streamed_tickers": STREAM_TICKERS,
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
        outln!(
            "streamed ({STREAM_TICKERS} tickers at a time, none kept, as `features compute` writes them): {streamed_median:.2} s, {:.0} rows/s",
            rows as f64 / streamed_median
        );
    }
    Ok(())
}

/// Times the mean-variance step on the S&P panel (see the module comment).
fn portfolio(dir: &std::path::Path, json: bool, every: usize) -> Result<(), Failure> {
    use alphaseq::data::{self, CalendarSpec, Panel, PanelOptions};
    use alphaseq::strategy::{self, Alpha, Market, OptimizerSpec, Rebalance, Rule, StrategySpec};
    use std::time::Instant;
    let paths = [dir.join("sp500_daily.csv.gz"), dir.join("gspc_daily.csv.gz")];
    let (records, _) = data::read_sources(&paths).map_err(Failure::failed)?;
    let options = PanelOptions {
        calendar: CalendarSpec::Ticker("^GSPC".into()),
        start: chrono::NaiveDate::from_ymd_opt(2000, 1, 1),
        ..PanelOptions::default()
    };
    let mut panel = Panel::from_records(&records, &options).map_err(Failure::failed)?;
    let sectors = data::sectors::read_sectors(&dir.join("sectors.csv")).map_err(Failure::failed)?;
    panel.set_sectors(&sectors);
    let (returns, sector_ids) = alphaseq::pipeline::market_inputs(&panel);
    let dates = panel.dates().to_vec();
    let first = dates
        .partition_point(|d| *d < chrono::NaiveDate::from_ymd_opt(2005, 1, 3).unwrap_or_default());
    let index = panel.ticker_index("^GSPC");
    // each stock's trailing 63-bar return as its forecast
    let mut predictions = vec![];
    for (i, r) in returns.iter().enumerate() {
        if Some(i) == index {
            continue;
        }
        for t in first.max(63)..dates.len() {
            let w = &r[t + 1 - 63..=t];
            if w.iter().all(|x| x.is_finite()) {
                predictions.push((i, t, w.iter().map(|x| 1.0 + x).product::<f64>() - 1.0));
            }
        }
    }
    let costs = alphaseq::backtest::Costs::flat(5.0);
    let market = Market {
        dates: &dates,
        returns: &returns,
        sectors: &sector_ids,
        periods_per_year: 252.0,
        costs: &costs,
        own: None,
    };
    let rebalance = if every > 1 { Rebalance::Every(every) } else { Rebalance::Daily };
    let closed = StrategySpec {
        rule: Rule::MeanVariance,
        cost_bps: 5.0,
        vol_target: Some(0.15),
        rebalance,
        ..StrategySpec::default()
    };
    let program = StrategySpec {
        realised_vol_window: Some(63),
        optimizer: Some(OptimizerSpec { alpha: Alpha::Score, ..OptimizerSpec::default() }),
        ..closed.clone()
    };
    let pca = StrategySpec {
        covariance: alphaseq::portfolio::Estimator::Pca { factors: 5 },
        ..program.clone()
    };
    let rebalances = (first..dates.len()).filter(|&t| rebalance.trades_at(&dates, t)).count();
    let mut out = vec![];
    let steps = [
        ("closed form", &closed),
        ("cost-aware program", &program),
        ("cost-aware program, 5 PCA factors", &pca),
    ];
    for (name, spec) in steps {
        let t = Instant::now();
        let w = strategy::weights(spec, &predictions, &market, dates.len());
        let seconds = t.elapsed().as_secs_f64();
        let names =
            w[first..].iter().map(|row| row.iter().filter(|v| **v != 0.0).count()).sum::<usize>()
                as f64
                / (dates.len() - first) as f64;
        out.push(serde_json::json!({
            "step": name, "dates": dates.len() - first, "rebalances": rebalances,
            "mean_names_held": names, "seconds": seconds,
            "ms_per_rebalance": 1e3 * seconds / rebalances.max(1) as f64,
        }));
    }
    if json {
        outln!("{}", serde_json::to_string_pretty(&out).map_err(Failure::failed)?);
        return Ok(());
    }
    for r in &out {
        outln!(
            "{}: {} dates ({} rebalances), {:.0} names held: {:.2} s, {:.2} ms per rebalance (one thread)",
            r["step"].as_str().unwrap_or_default(),
            r["dates"],
            r["rebalances"],
            r["mean_names_held"].as_f64().unwrap_or(0.0),
            r["seconds"].as_f64().unwrap_or(0.0),
            r["ms_per_rebalance"].as_f64().unwrap_or(0.0)
        );
    }
    Ok(())
}
