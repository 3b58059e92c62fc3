//! `alphaseq bench nn [--json] [--iters N] [--parallel N]`: training and inference throughput of
//! the engine on the workloads of the engine issue (W1, W2), and of N models trained at once.
//! Compare with `tools/bench/torch_bench.py` and `tools/bench/keras_bench.py` run beside it.

use alphaseq_nn::bench;
use clap::{Args, Subcommand};

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
}

/// Runs a benchmark.
pub fn run(args: BenchArgs) -> Result<(), Failure> {
    let BenchWhat::Nn { json, window, parallel, workload } = args.what;
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
        let text = serde_json::to_string_pretty(&results).map_err(|e| Failure::Failed(e.into()))?;
        println!("{text}");
        return Ok(());
    }
    println!(
        "{:<9} {:>13} {:>17} {:>13} {:>17} {:>24}",
        "workload",
        "train samp/s",
        "train, N threads",
        "infer samp/s",
        "infer, N threads",
        "N models at once samp/s"
    );
    for r in &results {
        println!(
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
    println!("N = {n} (--parallel): one model with its batches split over N threads, and N independent models");
    Ok(())
}
